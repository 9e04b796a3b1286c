package publish

import (
	"encoding/json"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"github.com/tributary-rss/tributary/aggregator/model"
)

// subscribeMeasureScript runs in a copy of the subscribe page once it has
// loaded (its own deferred script has run by then): it measures the
// layout, checks that the QR image decodes, clicks the RSS copy button
// and, when the status line answers, writes the findings as JSON into
// #result of the page framing it, for --dump-dom.
const subscribeMeasureScript = `<script>
window.addEventListener('load', function () {
  var root = document.documentElement, out = {width: window.innerWidth, overflow: root.scrollWidth - root.clientWidth};
  var buttons = Array.prototype.slice.call(document.querySelectorAll('button[data-copy]'));
  out.buttons = buttons.length;
  out.visible = buttons.filter(function (b) { return !b.hidden && b.getClientRects().length > 0; }).length;
  out.right = 0;
  document.querySelectorAll('.sub-copy input, .sub-copy button, img.sub-qr, h1').forEach(function (el) {
    out.right = Math.max(out.right, el.getBoundingClientRect().right);
  });
  var img = document.querySelector('img.sub-qr');
  out.qrWidth = img.getBoundingClientRect().width;
  var pending = 2;
  function done() {
    if (--pending === 0) {
      parent.document.getElementById('result').textContent = JSON.stringify(out);
    }
  }
  img.decode().then(function () { out.qrDecoded = true; done(); }, function () { out.qrDecoded = false; done(); });
  var status = document.querySelector('.sub-status');
  new MutationObserver(function (_, obs) {
    obs.disconnect();
    var input = document.getElementById('feed-rss');
    out.status = status.textContent;
    out.selection = [input.selectionStart, input.selectionEnd, input.value.length];
    done();
  }).observe(status, {childList: true, characterData: true, subtree: true});
  buttons[0].click();
});
</script>`

type subscribeLayout struct {
	Width, Overflow, Buttons, Visible int
	Right, QRWidth                    float64
	QRDecoded                         bool
	Status                            string
	Selection                         []int
}

// TestSubscribe_Chromium opens the subscribe page on a phone's width
// (390 px) in headless Chromium: nothing overflows sideways, the copy
// buttons show (the script ran under the page's policy), the QR code
// loads from the daemon, and the RSS button copies the address, or, where
// the browser refuses the clipboard, selects it and says how to copy.
func TestSubscribe_Chromium(t *testing.T) {
	chromium, err := exec.LookPath("chromium")
	if err != nil {
		t.Skip("chromium not installed (apt-get install chromium)")
	}
	sec := model.Section{ID: "news", Title: "滨江区中小学新闻汇总"}
	srv := NewServer(newFakeReader(fixture{}), Options{BaseURL: testBaseURL, Sections: []model.Section{sec}})
	mux := http.NewServeMux()
	mux.Handle("/", srv)
	// The page's own policy forbids framing and inline script; the copy
	// that is measured is its markup as served, without that header,
	// plus the measuring script. Its stylesheets, script and image are
	// the daemon's.
	mux.HandleFunc("GET /measured", func(w http.ResponseWriter, r *http.Request) {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest(http.MethodGet, "/sections/news/subscribe", nil)
		req.Header.Set("Accept-Language", "zh-CN")
		srv.ServeHTTP(rec, req)
		body, _ := io.ReadAll(rec.Result().Body)
		if rec.Code != http.StatusOK {
			http.Error(w, string(body), http.StatusBadGateway)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = io.WriteString(w, strings.Replace(string(body), "</body>", subscribeMeasureScript+"</body>", 1))
	})
	mux.HandleFunc("GET /phone", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = io.WriteString(w, `<!DOCTYPE html><html><head><meta charset="utf-8"><style>body{margin:0} iframe{border:0}</style></head>`+
			`<body><iframe src="/measured" width="390" height="1600"></iframe><pre id="result"></pre></body></html>`)
	})
	ts := newHTTPTest(t, mux)
	dom := chromiumDOM(t, chromium, ts.URL+"/phone")
	m := regexp.MustCompile(`<pre id="result">([^<]*)</pre>`).FindStringSubmatch(dom)
	if m == nil || m[1] == "" {
		t.Fatalf("no result in the DOM:\n%s", dom)
	}
	var got subscribeLayout
	if err := json.Unmarshal([]byte(html.UnescapeString(m[1])), &got); err != nil {
		t.Fatalf("result %q: %v", m[1], err)
	}
	t.Logf("%+v", got)
	if got.Width != 390 {
		t.Fatalf("viewport %d px wide, want 390", got.Width)
	}
	if got.Overflow > 0 || got.Right > 390 {
		t.Errorf("the page overflows sideways by %d px; rightmost field or button ends at %.0f px", got.Overflow, got.Right)
	}
	if got.Buttons != 3 || got.Visible != 3 {
		t.Errorf("%d copy buttons, %d visible: want 3 shown by the script", got.Buttons, got.Visible)
	}
	if !got.QRDecoded || got.QRWidth != 200 {
		t.Errorf("QR image decoded %t, %.0f px wide: want a 200 px image", got.QRDecoded, got.QRWidth)
	}
	const rss = "https://feeds.example.org/sections/news.rss"
	switch got.Status {
	case "已复制: " + rss:
	case "请按 Ctrl+C（手机上长按地址）复制。":
		if len(got.Selection) != 3 || got.Selection[0] != 0 || got.Selection[1] != got.Selection[2] {
			t.Errorf("copy refused, and the address is not selected: selection %v", got.Selection)
		}
	default:
		t.Errorf("after the click the status says %q", got.Status)
	}
}
