package publish

import (
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"os/exec"
	"strings"
	"testing"
)

// freshnessDriver signs in to the console framed at a phone's width,
// opens the freshness report (filtered, then not) and records each
// page's width, sideways overflow, the widest card and the sparklines'
// widths into #result, as addFlowDriver does.
const freshnessDriver = `<!DOCTYPE html><html><head><meta charset="utf-8"><style>body{margin:0} iframe{border:0}</style></head>
<body><iframe id="console" width="390" height="900"></iframe>
<script>
(function () {
  var f = document.getElementById('console'), out = {pages: {}}, step = 0;
  function record(name) {
    var d = f.contentDocument, root = d.documentElement, widest = 0, sparks = [];
    d.querySelectorAll('main .card, main li, main article').forEach(function (el) {
      widest = Math.max(widest, el.getBoundingClientRect().right);
    });
    d.querySelectorAll('svg.spark').forEach(function (el) { sparks.push(el.getBoundingClientRect().width); });
    out.pages[name] = {path: f.contentWindow.location.pathname, width: f.contentWindow.innerWidth,
      overflow: root.scrollWidth - root.clientWidth, text: d.body.innerText, widest: widest, sparks: sparks};
  }
  function finish() {
    var pre = document.createElement('pre');
    pre.id = 'result';
    pre.textContent = JSON.stringify(out);
    document.body.appendChild(pre);
  }
  f.addEventListener('load', function () {
    var d = f.contentDocument;
    try {
      switch (step++) {
      case 0:
        d.getElementById('token').value = 'TOKEN';
        d.querySelector('main form button[type=submit]').click();
        break;
      case 1:
        f.contentWindow.location = '/admin/freshness?show=stale&lang=zh';
        break;
      case 2:
        record('stale');
        f.contentWindow.location = '/admin/freshness?lang=zh';
        break;
      default:
        record('all');
        finish();
      }
    } catch (e) {
      out.error = String(e) + ' after page ' + (step - 1);
      finish();
    }
  });
  f.src = '/admin/signin';
}());
</script></body></html>`

// TestConsole_freshnessChromium opens the freshness report in headless
// Chromium at 390 px: no sideways scrolling, no card past the screen's
// edge, every sparkline drawn within it, the Chinese words shown.
func TestConsole_freshnessChromium(t *testing.T) {
	chromium, err := exec.LookPath("chromium")
	if err != nil {
		t.Skip("chromium not installed (apt-get install chromium)")
	}
	b := newBureau(t)
	srv, _ := b.server(t, nil)
	mux := http.NewServeMux()
	mux.Handle("/", frameable(srv))
	mux.HandleFunc("GET /drive", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, strings.ReplaceAll(freshnessDriver, "TOKEN", consoleToken))
	})
	host := newHTTPTest(t, mux)

	got := parseFreshnessResult(t, chromiumDOM(t, chromium, host.URL+"/drive"))
	if got.Error != "" {
		t.Fatalf("the walk stopped: %s", got.Error)
	}
	for _, name := range []string{"stale", "all"} {
		p, ok := got.Pages[name]
		if !ok {
			t.Fatalf("no %s page recorded: %+v", name, got)
		}
		t.Logf("%s: %s, %d px wide, overflow %d, widest card to %.0f px, sparklines %v", name, p.Path, p.Width, p.Overflow, p.Widest, p.Sparks)
		if p.Path != "/admin/freshness" || p.Width != 390 || p.Overflow > 0 || p.Widest > 390 {
			t.Errorf("%s page %s: %d px wide, overflows sideways by %d px, a card reaches %.0f px", name, p.Path, p.Width, p.Overflow, p.Widest)
		}
		if len(p.Sparks) == 0 {
			t.Errorf("%s page: no sparkline drawn", name)
		}
		for _, w := range p.Sparks {
			if w <= 0 || w > 390 {
				t.Errorf("%s page: a sparkline %.0f px wide", name, w)
			}
		}
		if !strings.Contains(p.Text, "网站更新情况") || !strings.Contains(p.Text, "天未更新") {
			t.Errorf("%s page text:\n%s", name, p.Text)
		}
	}
}

type freshnessResult struct {
	Pages map[string]struct {
		Path     string    `json:"path"`
		Width    int       `json:"width"`
		Overflow int       `json:"overflow"`
		Text     string    `json:"text"`
		Widest   float64   `json:"widest"`
		Sparks   []float64 `json:"sparks"`
	} `json:"pages"`
	Error string `json:"error"`
}

func parseFreshnessResult(t *testing.T, dom string) freshnessResult {
	t.Helper()
	m := flowResultRe.FindStringSubmatch(dom)
	if m == nil {
		t.Fatalf("no result in the DOM:\n%s", dom)
	}
	var got freshnessResult
	if err := json.Unmarshal([]byte(html.UnescapeString(m[1])), &got); err != nil {
		t.Fatalf("result %q: %v", m[1], err)
	}
	return got
}
