package publish

import (
	"strings"
	"testing"

	"github.com/tributary-rss/tributary/aggregator/model"
)

// reviewDriver frames the console's review queue at 390 px, signed in,
// and measures it as a phone shows it: the sideways overflow, the
// elements past the right edge, unlabelled controls, and per entry the
// boxes of its checkbox and its two buttons.
const reviewDriver = `<!DOCTYPE html><html><head><meta charset="utf-8"><style>body{margin:0} iframe{border:0}</style></head>
<body><iframe id="console" width="390" height="900"></iframe>
<script>
(function () {
  var f = document.getElementById('console'), out = {}, step = 0;
  function box(el) { var r = el.getBoundingClientRect(); return {top: r.top, bottom: r.bottom, left: r.left, right: r.right}; }
  function measure() {
    var d = f.contentDocument, root = d.documentElement, rows = [], unlabelled = [], wide = [];
    d.querySelectorAll('li.review-entry').forEach(function (li) {
      var b = [];
      li.querySelectorAll('.actions > button').forEach(function (el) { b.push(box(el)); });
      rows.push({id: li.id, buttons: b, pick: box(li.querySelector('input[type=checkbox]'))});
    });
    d.querySelectorAll('main input:not([type=hidden]), main select').forEach(function (el) {
      if (el.labels.length === 0 && !el.getAttribute('aria-label')) { unlabelled.push(el.name); }
    });
    d.querySelectorAll('body *').forEach(function (el) {
      var r = el.getBoundingClientRect();
      if (r.right > root.clientWidth + 0.5 && el.checkVisibility()) { wide.push(el.tagName + '.' + el.className + ' ' + Math.round(r.right)); }
    });
    var bulk = [];
    d.querySelectorAll('.review-bulk > button').forEach(function (el) { bulk.push(box(el)); });
    return {width: f.contentWindow.innerWidth, overflow: root.scrollWidth - root.clientWidth, wide: wide, rows: rows, bulk: bulk,
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
        f.contentWindow.location = '/admin/sections/news/review?lang=zh';
        break;
      default:
        out.page = measure();
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

type reviewBox struct{ Top, Bottom, Left, Right float64 }

// TestConsole_reviewPhoneChromium: at 390 px the queue, with the longest
// titles, sources and links a portal sees, does not scroll sideways, has
// no control without a label, and every entry's checkbox and buttons and
// the selection's buttons sit inside the page.
func TestConsole_reviewPhoneChromium(t *testing.T) {
	chromium := needChromium(t)
	_, srv, _ := newReviewConsoleWith(t, func(es []model.Entry) {
		es[0].Title = "关于做好2025年全市中小学校春季学期开学工作暨校园安全专项检查的通知（含附件：各区县检查安排及联系人名单）"
		es[1].SourceTitle = "某某市第一职业技术学院继续教育学院（培训中心）新闻网"
		es[1].Link = "https://www.example.edu.cn/info/1002/very-long-path-without-any-break-in-it-at-all-0123456789.htm?id=1234567890"
		es[1].Summary = strings.Repeat("摘要文字", 40)
	})
	var got struct {
		Page struct {
			Width, Overflow  int
			Wide, Unlabelled []string
			Text             string
			Bulk             []reviewBox
			Rows             []struct {
				ID      string
				Buttons []reviewBox
				Pick    reviewBox
			}
		}
		Error string
	}
	driveConsole(t, chromium, srv, reviewDriver, &got)
	p := got.Page
	if got.Error != "" || len(p.Rows) != 3 || !strings.Contains(p.Text, "共 3 条等待审核") {
		t.Fatalf("error %q, %d rows, text:\n%s", got.Error, len(p.Rows), p.Text)
	}
	if p.Width != 390 || p.Overflow > 0 {
		t.Errorf("%d px wide, overflows sideways by %d px: %q", p.Width, p.Overflow, p.Wide)
	}
	if len(p.Unlabelled) > 0 {
		t.Errorf("controls without a label: %q", p.Unlabelled)
	}
	boxes := map[string][]reviewBox{"selection": p.Bulk}
	for _, row := range p.Rows {
		if len(row.Buttons) != 2 {
			t.Errorf("%s: %d buttons", row.ID, len(row.Buttons))
		}
		boxes[row.ID] = append(row.Buttons, row.Pick)
	}
	for id, bs := range boxes {
		for _, b := range bs {
			if b.Left < 0 || b.Right > 390 || b.Right <= b.Left {
				t.Errorf("%s: a control spans %.0f–%.0f px, outside the page", id, b.Left, b.Right)
			}
		}
	}
}
