package publish

import (
	"encoding/json"
	"html"
	"net/http"
	"net/url"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/tributary-rss/tributary/aggregator/model"
)

// embedStylePage is a host page that embeds the widget and the iframe
// three ways each: with every new option (show_source=false, date=short,
// more=URL, background=transparent, in the dark theme), with the defaults
// (the control: the measurement must tell them apart), and the widget with
// data-show-source="0" and data-date="none", and with a bad data-more. Once all have rendered it measures them and writes the
// findings as JSON into #result of the page framing it, for --dump-dom.
// It is served from the daemon's origin so that it may look into the
// iframes.
const embedStylePage = `<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>host</title>
<style>body { margin: 8px; background: #fdf6e3; } iframe { display: block; width: 100%; border: 0; height: 300px; }</style>
<script>
var warnings = [];
console.warn = function (m) { warnings.push(String(m)); };
</script>
</head><body>
<div id="w-opts"></div>
<script src="/embed/news.js" data-target="w-opts" data-lang="zh" data-lines="1" data-theme="dark"
  data-show-source="false" data-date="short" data-more="MORE" data-background="transparent"></script>
<div id="w-default"></div>
<script src="/embed/news.js" data-target="w-default" data-lang="zh" data-lines="1" data-theme="dark"></script>
<div id="w-zero"></div>
<script src="/embed/news.js" data-target="w-zero" data-lang="zh" data-lines="1" data-show-source="0" data-date="none"></script>
<div id="w-badmore"></div>
<script src="/embed/news.js" data-target="w-badmore" data-lang="zh" data-more="javascript:alert(1)"></script>
<iframe id="f-opts" src="/embed/news.html?lines=1&theme=dark&show_source=false&date=short&more=MOREQ&background=transparent"></iframe>
<iframe id="f-default" src="/embed/news.html?lines=1&theme=dark"></iframe>
<script>
(function () {
  var pending = 6, out = {width: window.innerWidth, warnings: warnings};
  function rows(root, row, title) {
    return Array.prototype.map.call(root.querySelectorAll(row), function (li) {
      var t = li.querySelector(title);
      return t.getBoundingClientRect().width / li.getBoundingClientRect().width;
    });
  }
  function texts(root, sel) {
    return Array.prototype.map.call(root.querySelectorAll(sel), function (n) { return n.textContent; });
  }
  function done() {
    if (--pending === 0) {
      window.parent.document.getElementById('result').textContent = JSON.stringify(out);
    }
  }
  ['w-opts', 'w-default', 'w-zero', 'w-badmore'].forEach(function (id) {
    var host = document.getElementById(id);
    host.addEventListener('tributary:rendered', function () {
      var root = host.shadowRoot, more = root.querySelector('.more');
      out[id] = {ratios: rows(root, 'li.item', '.title'), dates: texts(root, '.date'), sources: texts(root, '.source'),
        more: more ? more.href : '', background: getComputedStyle(root.querySelector('.box')).backgroundColor};
      done();
    });
  });
  ['f-opts', 'f-default'].forEach(function (id) {
    var frame = document.getElementById(id);
    function measure() {
      var doc = frame.contentDocument, more = doc.querySelector('.trib-more a');
      out[id] = {ratios: rows(doc, 'li.trib-item', '.trib-title'), dates: texts(doc, '.trib-date'), sources: texts(doc, '.trib-source'),
        more: more ? more.href : '', background: getComputedStyle(doc.documentElement).backgroundColor,
        bodyBackground: getComputedStyle(doc.body).backgroundColor};
      done();
    }
    if (frame.contentDocument && frame.contentDocument.readyState === 'complete' && frame.contentDocument.querySelector('.trib-list')) {
      measure();
    } else {
      frame.addEventListener('load', measure);
    }
  });
}());
</script>
</body></html>`

// embedMeasure is what embedStylePage measured of one widget or iframe.
type embedMeasure struct {
	// Ratios are each row's title width over the row's.
	Ratios         []float64
	Dates, Sources []string
	More           string
	Background     string
	BodyBackground string
}

// TestEmbedStyle_Chromium embeds the widget and the iframe on a phone's
// width (390 px) in headless Chromium with show_source=false, date=short,
// more=URL and background=transparent: titles take most of the row (with
// the source label shown they do not), dates read MM-DD in the section's
// zone, "更多" goes to the host's list page, nothing paints a background
// (the dark theme's own shows without the option), and a widget given a
// javascript: more link keeps the default with a console warning.
func TestEmbedStyle_Chromium(t *testing.T) {
	chromium, err := exec.LookPath("chromium")
	if err != nil {
		t.Skip("chromium not installed (apt-get install chromium)")
	}
	fx := loadFixture(t)
	for i := range fx.Entries {
		// A member school's name and column, as portals label sources.
		fx.Entries[i].SourceTitle = "滨江第二中学 · 学校要闻"
		fx.Entries[i].Title = "滨江第二中学举行2025年秋季运动会暨第十二届体育文化节开幕式"
	}
	// 01:30 in Shanghai on 17 October, still the 16th in UTC.
	fx.Entries[0].Published = time.Date(2025, 10, 16, 17, 30, 0, 0, time.UTC)
	shanghai, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	const more = "https://www.example.edu.cn/xwzx/list.htm?type=2"
	srv := NewServer(newFakeReader(fx), Options{BaseURL: testBaseURL, Sections: []model.Section{fx.Section}, Location: shanghai})
	mux := http.NewServeMux()
	mux.Handle("/", srv)
	mux.HandleFunc("GET /host", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		page := strings.NewReplacer("MOREQ", url.QueryEscape(more), "MORE", more).Replace(embedStylePage)
		_, _ = w.Write([]byte(page))
	})
	mux.HandleFunc("GET /phone", func(w http.ResponseWriter, _ *http.Request) {
		// Headless Chromium keeps its window at least 500 px wide; a
		// frame of 390 px is the viewport the host page sees.
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte(`<!DOCTYPE html><html><head><meta charset="utf-8"><style>body{margin:0} iframe{border:0}</style></head>` +
			`<body><iframe src="/host" width="390" height="1200"></iframe><pre id="result"></pre></body></html>`))
	})
	ts := newHTTPTest(t, mux)
	got := parseEmbedResult(t, chromiumDOM(t, chromium, ts.URL+"/phone"))
	if got.Width != 390 {
		t.Fatalf("host viewport %d px wide, want 390", got.Width)
	}
	shortDates := []string{"10-17", "10-16", "10-15"}
	transparent := "rgba(0, 0, 0, 0)"
	dark := "rgb(22, 23, 24)"
	tests := []struct {
		name       string
		m          embedMeasure
		measured   bool // the title widths are compared
		wide       bool // every title wider than 70% of its row
		dates      []string
		sources    int
		more       string
		background string
	}{
		{"widget with options", got.WOpts, true, true, shortDates, 0, more, transparent},
		{"widget by default", got.WDefault, true, false, []string{"2025-10-17", "2025-10-16", "2025-10-15"}, 3, testBaseURL + "/sections/news", dark},
		{"widget with show_source 0 and no date", got.WZero, true, true, []string{}, 0, testBaseURL + "/sections/news", ""},
		{"widget with a javascript: more", got.WBadMore, false, false, nil, 3, testBaseURL + "/sections/news", ""},
		{"iframe with options", got.FOpts, true, true, shortDates, 0, more, transparent},
		{"iframe by default", got.FDefault, true, false, []string{"2025-10-17", "2025-10-16", "2025-10-15"}, 3, testBaseURL + "/sections/news", dark},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Logf("title/row ratios %.2f, dates %q, more %s, background %s", tt.m.Ratios, tt.m.Dates, tt.m.More, tt.m.Background)
			if len(tt.m.Ratios) != 3 {
				t.Fatalf("%d rows measured, want 3", len(tt.m.Ratios))
			}
			if tt.measured {
				for i, r := range tt.m.Ratios {
					if wide := r > 0.7; wide != tt.wide {
						t.Errorf("row %d: title takes %.0f%% of the row; want more than 70%%: %t", i, r*100, tt.wide)
					}
				}
			}
			if tt.dates != nil && strings.Join(tt.m.Dates, " ") != strings.Join(tt.dates, " ") {
				t.Errorf("dates %q, want %q", tt.m.Dates, tt.dates)
			}
			if len(tt.m.Sources) != tt.sources {
				t.Errorf("%d source labels, want %d", len(tt.m.Sources), tt.sources)
			}
			if tt.m.More != tt.more {
				t.Errorf("更多 links to %q, want %q", tt.m.More, tt.more)
			}
			if tt.background != "" && tt.m.Background != tt.background {
				t.Errorf("background %s, want %s", tt.m.Background, tt.background)
			}
			if tt.m.BodyBackground != "" && tt.m.BodyBackground != transparent {
				t.Errorf("the iframe's body paints %s", tt.m.BodyBackground)
			}
		})
	}
	if len(got.Warnings) != 1 || !strings.Contains(got.Warnings[0], "data-more") {
		t.Errorf("console warnings %q, want one about data-more", got.Warnings)
	}
}

type embedResult struct {
	Width    int
	Warnings []string
	WOpts    embedMeasure `json:"w-opts"`
	WDefault embedMeasure `json:"w-default"`
	WZero    embedMeasure `json:"w-zero"`
	WBadMore embedMeasure `json:"w-badmore"`
	FOpts    embedMeasure `json:"f-opts"`
	FDefault embedMeasure `json:"f-default"`
}

var embedResultRe = regexp.MustCompile(`<pre id="result">([^<]*)</pre>`)

func parseEmbedResult(t *testing.T, dom string) embedResult {
	t.Helper()
	m := embedResultRe.FindStringSubmatch(dom)
	if m == nil || m[1] == "" {
		t.Fatalf("no result in the DOM:\n%s", dom)
	}
	var got embedResult
	if err := json.Unmarshal([]byte(html.UnescapeString(m[1])), &got); err != nil {
		t.Fatalf("result %q: %v", m[1], err)
	}
	return got
}
