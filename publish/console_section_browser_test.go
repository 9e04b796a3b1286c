package publish

import (
	"strings"
	"testing"
	"time"

	"github.com/tributary-rss/tributary/aggregator/model"
)

// sectionDriver frames the console's section page at 390 px, signed in,
// and measures it as a phone shows it: the sideways overflow, for every
// entry the top and bottom of each action (a row holds them all when
// every action starts below where any other ends), whether the pin's date
// field shows, the unlabelled controls; then it opens the first entry's
// 置顶至… and measures again. The console runs no script of its own.
const sectionDriver = `<!DOCTYPE html><html><head><meta charset="utf-8"><style>body{margin:0} iframe{border:0}</style></head>
<body><iframe id="console" width="390" height="900"></iframe>
<script>
(function () {
  var f = document.getElementById('console'), out = {}, step = 0;
  function measure() {
    var d = f.contentDocument, root = d.documentElement, rows = [], unlabelled = [];
    d.querySelectorAll('#newest li.entry').forEach(function (li) {
      var boxes = [];
      li.querySelectorAll('.actions > form > button, .actions > details > summary').forEach(function (el) {
        var r = el.getBoundingClientRect();
        boxes.push({top: r.top, bottom: r.bottom, right: r.right});
      });
      var at = li.querySelector('input[type=datetime-local]');
      rows.push({id: li.id, boxes: boxes, dateShown: !!at && at.checkVisibility()});
    });
    d.querySelectorAll('main input:not([type=hidden]), main select').forEach(function (el) {
      if (el.labels.length === 0 && !el.getAttribute('aria-label')) { unlabelled.push(el.name); }
    });
    var wide = [];
    d.querySelectorAll('body *').forEach(function (el) {
      var r = el.getBoundingClientRect();
      if (r.right > root.clientWidth + 0.5 && el.checkVisibility()) { wide.push(el.tagName + '.' + el.className + ' ' + Math.round(r.right)); }
    });
    return {width: f.contentWindow.innerWidth, wide: wide, overflow: root.scrollWidth - root.clientWidth, rows: rows,
      unlabelled: unlabelled, text: d.body.innerText};
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
        f.contentWindow.location = '/admin/sections/news?lang=zh';
        break;
      default:
        out.closed = measure();
        d.querySelector('#newest details.pin-until summary').click();
        out.open = measure();
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

type sectionMeasure struct {
	Width      int      `json:"width"`
	Overflow   int      `json:"overflow"`
	Unlabelled []string `json:"unlabelled"`
	// Wide are the elements past the page's right edge.
	Wide []string `json:"wide"`
	Text string   `json:"text"`
	Rows []struct {
		ID    string `json:"id"`
		Boxes []struct {
			Top, Bottom, Right float64
		} `json:"boxes"`
		DateShown bool `json:"dateShown"`
	} `json:"rows"`
}

// TestConsole_sectionPhoneChromium: at 390 px the section page does not
// scroll sideways, each entry's actions (下架, 置顶, 置顶至…) sit in one
// row inside the page, no date field shows until 置顶至… is opened, and
// opening it shows the field, still without sideways scrolling.
func TestConsole_sectionPhoneChromium(t *testing.T) {
	chromium := needChromium(t)
	env := newConsoleEnv(t, "http://feeds.example.org", nil)
	entries := sectionFixture(8)
	// The longest a portal's titles and sources get, with no break
	// opportunity in a URL-like title.
	entries[1].Title = "关于做好2025年全市中小学校春季学期开学工作暨校园安全专项检查的通知（含附件：各区县检查安排及联系人名单）"
	entries[2].SourceTitle = "某某市第一职业技术学院继续教育学院（培训中心）新闻网"
	entries[3].Title = "https://www.example.edu.cn/info/1002/very-long-path-without-any-break-in-it-at-all.htm"
	setSectionEntries(env, entries)
	env.admin.mod = model.SectionModeration{Pinned: []model.ModeratedEntry{{Entry: entries[4], At: consoleNow.Add(-time.Hour)}}}
	var got struct {
		Closed, Open sectionMeasure
		Error        string
	}
	driveConsole(t, chromium, env.s, sectionDriver, &got)
	if got.Error != "" {
		t.Fatalf("the walk stopped: %s", got.Error)
	}
	for _, tt := range []struct {
		name      string
		m         sectionMeasure
		dateShown int // entries whose date field shows
	}{
		{"closed", got.Closed, 0},
		{"first 置顶至… open", got.Open, 1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p := tt.m
			if p.Width != 390 || p.Overflow > 0 {
				t.Errorf("%d px wide, overflows sideways by %d px: %q", p.Width, p.Overflow, p.Wide)
			}
			if len(p.Unlabelled) > 0 {
				t.Errorf("controls without a label: %q", p.Unlabelled)
			}
			if len(p.Rows) != len(entries) || !strings.Contains(p.Text, "搜索标题") || !strings.Contains(p.Text, "全部来源") {
				t.Fatalf("%d entries measured, text:\n%s", len(p.Rows), p.Text)
			}
			shown := 0
			for _, row := range p.Rows {
				if row.DateShown {
					// The open disclosure takes the row below; its
					// summary goes with it.
					shown++
					continue
				}
				if len(row.Boxes) < 2 {
					t.Errorf("%s: %d actions", row.ID, len(row.Boxes))
					continue
				}
				for _, b := range row.Boxes {
					if b.Right > 390 {
						t.Errorf("%s: an action ends at %.0f px, past the page", row.ID, b.Right)
					}
					for _, o := range row.Boxes {
						if b.Top >= o.Bottom {
							t.Errorf("%s: actions on two rows: %+v", row.ID, row.Boxes)
						}
					}
				}
			}
			if shown != tt.dateShown {
				t.Errorf("%d date fields shown, want %d", shown, tt.dateShown)
			}
		})
	}
}
