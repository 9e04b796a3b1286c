package publish

import (
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"os/exec"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tributary-rss/tributary/aggregator/model"
)

// addFlowDriver walks the add flow in the console, framed at 390 px, as
// an editor would: sign in, open the add page, paste the school's URL,
// press 查找, choose the second list, tick a section, preview, add. At
// each page it records the path, the sideways overflow, the text, and
// the form controls without a label, and at the end writes it all into
// #result as JSON for --dump-dom. The console runs no script of its
// own; this page, its parent, does the typing and clicking.
const addFlowDriver = `<!DOCTYPE html><html><head><meta charset="utf-8"><style>body{margin:0} iframe{border:0}</style></head>
<body><iframe id="console" width="390" height="900"></iframe>
<script>
(function () {
  var f = document.getElementById('console'), out = {pages: {}}, step = 0;
  function record(name) {
    var d = f.contentDocument, root = d.documentElement, unlabelled = [];
    d.querySelectorAll('main input:not([type=hidden]), main textarea, main select').forEach(function (el) {
      if (el.labels.length === 0 && !el.getAttribute('aria-label')) { unlabelled.push(el.name); }
    });
    var choice = d.querySelector('.choice');
    out.pages[name] = {path: f.contentWindow.location.pathname, width: f.contentWindow.innerWidth,
      overflow: root.scrollWidth - root.clientWidth, text: d.body.innerText, unlabelled: unlabelled,
      choiceWidth: choice ? choice.getBoundingClientRect().width : 0};
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
        f.contentWindow.location = '/admin/sources/new?lang=zh';
        break;
      case 2:
        record('first');
        d.getElementById('f-url').value = 'SCHOOL';
        d.querySelector('button[value=discover]').click();
        break;
      case 3:
        record('choices');
        out.checked = d.querySelector('input[name=pick]:checked').id;
        d.getElementById('pick-2').click();
        d.querySelector('input[name=sections][value=news]').click();
        d.querySelector('button[value=preview]').click();
        break;
      case 4:
        record('preview');
        d.querySelector('button[value=add]').click();
        break;
      default:
        record('added');
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

// flowResult is what addFlowDriver reports.
type flowResult struct {
	Pages   map[string]flowPage `json:"pages"`
	Checked string              `json:"checked"`
	Error   string              `json:"error"`
}

type flowPage struct {
	Path        string   `json:"path"`
	Width       int      `json:"width"`
	Overflow    int      `json:"overflow"`
	Text        string   `json:"text"`
	Unlabelled  []string `json:"unlabelled"`
	ChoiceWidth float64  `json:"choiceWidth"`
}

// TestConsole_addFlowChromium walks the add flow in headless Chromium at
// a phone's width: each step fits 390 px with no sideways scrolling, its
// controls are labelled, the choices are cards, the words are Chinese,
// and the list chosen is the one added, with the URL pasted.
func TestConsole_addFlowChromium(t *testing.T) {
	chromium := needChromium(t)
	// The school's page as a member site serves it; detection is the
	// fake Admin's (its lists are those of such a page).
	school := newHTTPTest(t, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, `<!DOCTYPE html><html><head><title>示例大学</title></head><body><div class="news"><ul><li><a href="/info/1001/3400.htm">学校召开2025年党风廉政建设工作会议</a><span class="time">2025-03-10</span></li></ul></div></body></html>`)
	}))
	env := newConsoleEnv(t, "http://feeds.example.org", nil)
	env.admin.discovery = &model.Discovery{Feeds: []model.FeedLink{}, ReasonCode: model.MsgNoFeed, Lists: schoolLists()}
	published := time.Date(2025, 3, 28, 9, 30, 0, 0, time.UTC)
	env.admin.preview = &model.Preview{Kind: model.PreviewListPage, Title: "示例大学", FetchedURL: school.URL + "/",
		Entries: []model.PreviewEntry{
			{ID: "p1", Title: "关于2025年清明节放假安排的通知", Link: school.URL + "/info/1002/5521.htm", Published: &published, DateText: "[03-28]"},
			{ID: "p2", Title: "关于开展2025年度研究生招生复试工作的通知（含各学院复试名单及时间安排）", Link: school.URL + "/info/1002/5520.htm", NoDate: true},
		},
		Skipped:  []model.PreviewSkip{{Position: 3, Title: "更多>>", Reason: "no link", Code: model.MsgSkipNoLink}},
		Warnings: []model.ListWarning{{Code: model.ListWarnSameLink, Count: 4, Total: 8, Detail: school.URL + "/list.htm?category=notices&page=1"}},
		Article: &model.PreviewArticle{URL: school.URL + "/info/1002/5521.htm", Title: "关于2025年清明节放假安排的通知",
			Published: &published, Author: "校长办公室", HTML: `<p>根据国务院办公厅通知，现将放假安排如下。</p><table><tr><td>4月4日</td><td>放假</td><td>https://www.example.edu.cn/a/very/long/path/without/any/break/in/it.htm</td></tr></table>`},
	}
	var got flowResult
	driveConsole(t, chromium, env.s, strings.ReplaceAll(addFlowDriver, "SCHOOL", school.URL+"/"), &got)
	if got.Error != "" {
		t.Fatalf("the walk stopped: %s", got.Error)
	}
	for _, name := range []string{"first", "choices", "preview", "added"} {
		p, ok := got.Pages[name]
		if !ok {
			t.Fatalf("no %s page recorded: %+v", name, got)
		}
		t.Logf("%s: %s, %d px wide, overflow %d", name, p.Path, p.Width, p.Overflow)
		if p.Width != 390 || p.Overflow > 0 {
			t.Errorf("%s page: %d px wide, overflows sideways by %d px", name, p.Width, p.Overflow)
		}
		if len(p.Unlabelled) > 0 {
			t.Errorf("%s page: controls without a label: %q", name, p.Unlabelled)
		}
	}
	if c := got.Pages["choices"]; got.Checked != "pick-1" || c.ChoiceWidth < 300 || c.ChoiceWidth > 390 ||
		!strings.Contains(c.Text, "找到了 2 个新闻列表") || !strings.Contains(c.Text, "学校召开2025年党风廉政建设工作会议") {
		t.Errorf("choices: checked %q, card %.0f px wide, text:\n%s", got.Checked, c.ChoiceWidth, c.Text)
	}
	if p := got.Pages["preview"]; !strings.Contains(p.Text, "网页上写的是“[03-28]”") || !strings.Contains(p.Text, "8 条中有 4 条指向同一链接") ||
		!strings.Contains(p.Text, "根据国务院办公厅通知") {
		t.Errorf("preview text:\n%s", p.Text)
	}
	if p := got.Pages["added"]; p.Path != "/admin/sources/new1" || !strings.Contains(p.Text, "已添加来源") {
		t.Errorf("after adding: %s\n%s", p.Path, p.Text)
	}
	adds, _ := env.admin.requests()
	if len(adds) != 1 || adds[0].URL != school.URL+"/" || adds[0].Scrape == nil || *adds[0].Scrape != schoolLists()[1].Scrape ||
		!slices.Equal(adds[0].Sections, []string{"news"}) {
		t.Errorf("added %+v, want the pasted URL with the second list in news", adds)
	}
}

// frameable serves h with framing by its own origin allowed: the console
// forbids every frame, and the driver must frame it to read its pages.
// Nothing else of the answers changes.
func frameable(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.ServeHTTP(&frameWriter{ResponseWriter: w}, r)
	})
}

type frameWriter struct {
	http.ResponseWriter
	wrote bool
}

func (f *frameWriter) WriteHeader(code int) {
	if f.wrote {
		return
	}
	f.wrote = true
	h := f.Header()
	h.Del("X-Frame-Options")
	h.Set("Content-Security-Policy", strings.Replace(h.Get("Content-Security-Policy"), "frame-ancestors 'none'", "frame-ancestors 'self'", 1))
	f.ResponseWriter.WriteHeader(code)
}

func (f *frameWriter) Write(b []byte) (int, error) {
	f.WriteHeader(http.StatusOK)
	return f.ResponseWriter.Write(b)
}

var driverResultRe = regexp.MustCompile(`<pre id="result">([^<]*)</pre>`)

// needChromium is headless Chromium's path; without it the test skips.
func needChromium(t *testing.T) string {
	t.Helper()
	chromium, err := exec.LookPath("chromium")
	if err != nil {
		t.Skip("chromium not installed (apt-get install chromium)")
	}
	return chromium
}

// driveConsole serves the console h, framed by driver: a page whose
// script walks the console in an iframe (TOKEN in it becomes the
// console's token) and writes what it found into #result as JSON. It
// loads that page in headless Chromium and decodes the JSON into out.
func driveConsole(t *testing.T, chromium string, h http.Handler, driver string, out any) {
	t.Helper()
	mux := http.NewServeMux()
	mux.Handle("/", frameable(h))
	mux.HandleFunc("GET /drive", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, strings.ReplaceAll(driver, "TOKEN", consoleToken))
	})
	host := newHTTPTest(t, mux)
	dom := chromiumDOM(t, chromium, host.URL+"/drive")
	m := driverResultRe.FindStringSubmatch(dom)
	if m == nil {
		t.Fatalf("no result in the DOM:\n%s", dom)
	}
	if err := json.Unmarshal([]byte(html.UnescapeString(m[1])), out); err != nil {
		t.Fatalf("result %q: %v", m[1], err)
	}
}
