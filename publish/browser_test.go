package publish

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/tributary-rss/tributary/aggregator/model"
)

// xssMarker is what every payload below tries to do: retitle the page and
// add an element with this id. Neither may ever happen.
const xssMarker = "xss-marker"

const xssScript = `document.title='PWNED';var d=document.createElement('div');d.id='xss-marker';document.body.appendChild(d)`

// hostPage embeds the widget from another origin (TRIB), and copies what
// the widget rendered inside its shadow root into light DOM, so that
// --dump-dom shows it.
const hostPage = `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>host page</title></head>
<body>
<h1>A member site</h1>
<div id="box"></div>
<pre id="dump"></pre>
<script>
(function () {
  var before = Object.getOwnPropertyNames(window);
  document.getElementById('box').addEventListener('tributary:rendered', function (e) {
    var added = Object.getOwnPropertyNames(window).filter(function (k) { return before.indexOf(k) < 0; });
    document.body.setAttribute('data-new-globals', added.join(','));
    var items = this.shadowRoot.querySelectorAll('li');
    var out = [];
    items.forEach(function (li) {
      var a = li.querySelector('a.title');
      out.push('ITEM ' + li.textContent + ' HREF ' + (a ? a.getAttribute('href') : 'none'));
    });
    document.getElementById('dump').textContent = out.join('\n');
    document.body.setAttribute('data-rendered', String(e.detail.count));
  });
}());
</script>
<script src="TRIB/embed/news.js" data-count="5" data-summary="200" data-target="box" data-lang="zh"></script>
</body></html>`

// TestWidget_Chromium loads a host page from one loopback origin that
// embeds the widget from another, in headless Chromium: the headlines are
// rendered as text, and hostile titles, summaries, source names and links
// never run script.
func TestWidget_Chromium(t *testing.T) {
	chromium, err := exec.LookPath("chromium")
	if err != nil {
		t.Skip("chromium not installed (apt-get install chromium)")
	}
	fx := loadFixture(t)
	evil := fx.Entries[1]
	evil.Title = `<img src=x onerror="` + xssScript + `">物理系报告`
	evil.Summary = `<script>` + xssScript + `</script><svg onload="` + xssScript + `">`
	evil.SourceTitle = `"><iframe srcdoc="<script>parent.` + xssScript + `</script>">`
	evil.Link = "javascript:" + xssScript
	fx.Entries[1] = evil
	trib := httptest.NewServer(NewServer(newFakeReader(fx), Options{BaseURL: testBaseURL, Sections: []model.Section{fx.Section}}))
	defer trib.Close()
	host := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte(strings.ReplaceAll(hostPage, "TRIB", trib.URL)))
	}))
	defer host.Close()

	dom := dumpDOM(t, chromium, host.URL+"/")
	for _, want := range []string{
		`data-rendered="3"`,
		// The widget defines no global names.
		`data-new-globals=""`,
		`data-tributary-count="3"`,
		"ITEM 新图书馆正式开放 &lt;启用仪式&gt;示例学院 2025-10-17",
		"HREF https://example.edu.cn/news/1017.html",
		// The hostile entry is shown as inert text, without a link.
		"ITEM &lt;img src=x onerror=",
		"物理系报告",
		"HREF none",
		"<title>host page</title>",
	} {
		if !strings.Contains(dom, want) {
			t.Errorf("DOM lacks %q", want)
		}
	}
	for _, bad := range []string{xssMarker + `"`, "PWNED</title>", "<title>PWNED"} {
		if strings.Contains(dom, bad) {
			t.Errorf("an XSS payload ran: DOM contains %q", bad)
		}
	}
	if t.Failed() {
		t.Logf("DOM:\n%s", dom)
	}

	// The iframe fragment: server-rendered, no script allowed by its CSP.
	frame := dumpDOM(t, chromium, trib.URL+"/embed/news.html?summary=200")
	if !strings.Contains(frame, "&lt;img src=x onerror=") || strings.Count(frame, `class="trib-item"`) != 3 {
		t.Errorf("fragment does not show the 3 headlines as text:\n%s", frame)
	}
	if strings.Contains(frame, xssMarker+`"`) || strings.Contains(frame, "PWNED</title>") {
		t.Errorf("an XSS payload ran in the fragment:\n%s", frame)
	}
}

func dumpDOM(t *testing.T, chromium, url string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, chromium,
		"--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--disable-quic", "--no-first-run", "--user-data-dir="+t.TempDir(),
		"--virtual-time-budget=5000", "--dump-dom", url)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("chromium: %v", err)
	}
	return string(out)
}
