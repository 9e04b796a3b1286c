package publish

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/publish/i18n"
)

// statusLayoutScript measures the status page as Chromium laid it out and
// writes the findings into the parent page's #layout-result as JSON, for
// --dump-dom:
//   - headers and labels that take more than one line,
//   - Latin words, numbers or dates split across lines (URLs, which may
//     break anywhere, are left out; Chinese may break between characters),
//   - the page's and the table's horizontal overflow, and whether rows
//     are cards.
//
// Lines are told apart by vertical overlap rather than equal tops, since
// Chinese and Latin glyph boxes on one line start at different heights.
const statusLayoutScript = `<script>
(function () {
  function lines(range) {
    var rects = Array.prototype.slice.call(range.getClientRects())
      .filter(function (r) { return r.width > 0 && r.height > 0; })
      .sort(function (a, b) { return a.top - b.top; });
    var n = 0, bottom = -Infinity;
    rects.forEach(function (r) {
      if (r.top >= bottom - 2) { n++; bottom = r.bottom; } else { bottom = Math.max(bottom, r.bottom); }
    });
    return n;
  }
  function elementLines(el) {
    var r = document.createRange();
    r.selectNodeContents(el);
    return lines(r);
  }
  function visible(el) { return el.getClientRects().length > 0; }
  function measure() {
    var root = document.documentElement;
    var main = document.querySelector('main');
    var out = {width: window.innerWidth, overflow: root.scrollWidth - root.clientWidth,
      mainOverflow: main.scrollWidth - main.clientWidth,
      rowDisplay: getComputedStyle(document.querySelector('tbody tr')).display,
      checked: 0, multiLine: [], broken: []};
    document.querySelectorAll('th, .label, .bar-label, h1').forEach(function (el) {
      if (!visible(el)) { return; }
      out.checked++;
      if (elementLines(el) !== 1) { out.multiLine.push(el.textContent); }
    });
    var walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (var node = walker.nextNode(); node; node = walker.nextNode()) {
      var p = node.parentElement;
      if (p.closest('.url, script, style') || !visible(p)) { continue; }
      // Dates, clocks and versions are one word; hyphenated words may
      // break at their hyphens.
      var re = /\d+(?:[-:.\/]\d+)+|[A-Za-z0-9]+/g, m;
      while ((m = re.exec(node.data)) !== null) {
        var r = document.createRange();
        r.setStart(node, m.index);
        r.setEnd(node, m.index + m[0].length);
        out.checked++;
        if (lines(r) > 1) { out.broken.push(m[0] + ' in ' + p.tagName + '.' + p.className); }
      }
    }
    // The frame's parent is the page --dump-dom prints.
    var doc = window.parent.document;
    var pre = doc.createElement('pre');
    pre.id = 'layout-result';
    pre.textContent = JSON.stringify(out);
    doc.body.appendChild(pre);
  }
  window.addEventListener('load', function () { document.fonts.ready.then(measure); });
}());
</script>`

// layoutResult is what statusLayoutScript reports.
type layoutResult struct {
	Width    int `json:"width"`
	Overflow int `json:"overflow"`
	// MainOverflow is how far the table reaches past its container.
	MainOverflow int      `json:"mainOverflow"`
	RowDisplay   string   `json:"rowDisplay"`
	Checked      int      `json:"checked"`
	MultiLine    []string `json:"multiLine"`
	Broken       []string `json:"broken"`
}

// statusLayoutFixture is statusFixture with what makes layouts break:
// long URLs, a long error and notes.
func statusLayoutFixture() []model.SourceStatus {
	list := statusFixture()
	list = append(list,
		model.SourceStatus{ID: "long", Title: "Department of Mechanical and Aerospace Engineering News",
			ConfiguredURL: "https://www.example.edu.cn/departments/mechanical-and-aerospace-engineering/news/index_list_page_2026.htm?category=academic-affairs&page=1",
			EffectiveURL:  "https://www.example.edu.cn/departments/mechanical-and-aerospace-engineering/feeds/news-and-announcements.xml",
			Discovered:    true, LastAttempt: statusT0, LastStatus: 504, ErrorsInRow: 12, SectionIDs: []string{"news", "campus"},
			LastError: `Get "https://c.example/rss": context deadline exceeded (Client.Timeout exceeded while awaiting headers)`,
			Skipped:   2, Articles: &model.ArticleStatus{OK: 180, Failed: 20, Pending: 5, LastError: "HTTP 404 Not Found"},
			DateIssues: model.DateIssues{Undated: 14, Future: 2, Example: "发布时间：2026-11-29"}},
		model.SourceStatus{ID: "paused", Title: "教务处通知公告", ConfiguredURL: "https://jwc.example.edu.cn/tzgg.htm",
			LastAttempt: statusT0.Add(-50 * time.Hour), LastSuccess: statusT0.Add(-50 * time.Hour), LastStatus: 200, Paused: true, Entries: 1234},
	)
	return list
}

// TestServer_StatusLayoutChromium lays /status out in headless Chromium at
// a phone's width (390 px) and a desktop's (1200 px), in both languages:
// no header or label takes two lines, no word breaks inside, nothing
// overflows sideways, and narrow screens get cards.
func TestServer_StatusLayoutChromium(t *testing.T) {
	chromium, err := exec.LookPath("chromium")
	if err != nil {
		t.Skip("chromium not installed (apt-get install chromium)")
	}
	// Section titles as portals write them (statusSections has a hostile
	// one, a single long word, which the escaping tests want).
	srv := newStatusServer(t, &fakeStatus{list: statusLayoutFixture()}, func(o *Options) {
		o.Sections = []model.Section{{ID: "news", Title: "资讯"}, {ID: "campus", Title: "Campus life and events"}}
	})
	ts := statusLayoutHost(t, srv)
	tests := []struct {
		width int
		lang  string
		rows  string // computed display of a row
	}{
		{390, i18n.ZH, "block"},
		{390, i18n.EN, "block"},
		{1200, i18n.ZH, "table-row"},
		{1200, i18n.EN, "table-row"},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s %dpx", tt.lang, tt.width), func(t *testing.T) {
			dom := chromiumDOM(t, chromium, fmt.Sprintf("%s/layout-frame?width=%d&lang=%s", ts.URL, tt.width, tt.lang))
			got := parseLayoutResult(t, dom)
			t.Logf("%d headers and words measured; rows display as %s", got.Checked, got.RowDisplay)
			if got.Width != tt.width {
				t.Fatalf("viewport %d px wide, want %d", got.Width, tt.width)
			}
			if got.RowDisplay != tt.rows {
				t.Errorf("rows display as %q, want %q", got.RowDisplay, tt.rows)
			}
			if got.Overflow > 0 || got.MainOverflow > 0 {
				t.Errorf("the page overflows sideways by %d px, the table by %d px", got.Overflow, got.MainOverflow)
			}
			if got.Checked < 100 {
				t.Errorf("only %d headers and words measured: the script did not see the page", got.Checked)
			}
			if len(got.MultiLine) > 0 {
				t.Errorf("headers or labels on more than one line: %q", got.MultiLine)
			}
			if len(got.Broken) > 0 {
				t.Errorf("words broken across lines: %q", got.Broken)
			}
		})
	}
}

// statusLayoutHost is a listener serving srv, plus two test pages.
// /layout-host is the /status page as srv renders it, read over HTTP,
// with statusLayoutScript added: the page's own CSP allows no script and
// no framing, so the measuring copy is served without it; the markup and
// stylesheets are the real ones. /layout-frame shows it in an iframe of
// ?width= pixels: headless Chromium keeps its window at least 500 px
// wide, and the frame's width is the viewport its media queries see.
func statusLayoutHost(t *testing.T, srv *Server) *httptest.Server {
	t.Helper()
	mux := http.NewServeMux()
	mux.Handle("/", srv)
	mux.HandleFunc("GET /layout-host", func(w http.ResponseWriter, r *http.Request) {
		resp, err := http.Get("http://" + r.Host + "/status?" + r.URL.RawQuery)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		if err != nil || resp.StatusCode != http.StatusOK {
			http.Error(w, fmt.Sprintf("status page: %d %v", resp.StatusCode, err), http.StatusBadGateway)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = io.WriteString(w, strings.Replace(string(body), "</body>", statusLayoutScript+"</body>", 1))
	})
	mux.HandleFunc("GET /layout-frame", func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		width, err := strconv.Atoi(q.Get("width"))
		if err != nil {
			http.Error(w, "width: "+err.Error(), http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!DOCTYPE html><html><head><meta charset="utf-8"><style>body{margin:0} iframe{border:0}</style></head>`+
			`<body><iframe src="/layout-host?lang=%s" width="%d" height="900"></iframe></body></html>`, url.QueryEscape(q.Get("lang")), width)
	})
	return newHTTPTest(t, mux)
}

var layoutResultRe = regexp.MustCompile(`<pre id="layout-result">([^<]*)</pre>`)

func parseLayoutResult(t *testing.T, dom string) layoutResult {
	t.Helper()
	m := layoutResultRe.FindStringSubmatch(dom)
	if m == nil {
		t.Fatalf("no layout result in the DOM:\n%s", dom)
	}
	var got layoutResult
	if err := json.Unmarshal([]byte(html.UnescapeString(m[1])), &got); err != nil {
		t.Fatalf("layout result %q: %v", m[1], err)
	}
	return got
}

// chromiumDOM is the DOM of url after headless Chromium loaded it and ran
// its scripts, with extra flags (a window size).
func chromiumDOM(t *testing.T, chromium, url string, extra ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	args := append([]string{
		"--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--disable-quic", "--no-first-run", "--hide-scrollbars", "--force-device-scale-factor=1",
		"--user-data-dir=" + t.TempDir(), "--virtual-time-budget=5000", "--window-size=1400,1000",
	}, extra...)
	out, err := exec.CommandContext(ctx, chromium, append(args, "--dump-dom", url)...).Output()
	if err != nil {
		t.Fatalf("chromium: %v", err)
	}
	return string(out)
}
