package normalize

import (
	"testing"
	"time"

	"github.com/mmcdole/gofeed"

	"github.com/tributary-rss/tributary/aggregator/model"
)

func TestTitleStrip_Apply(t *testing.T) {
	strip, err := CompileTitleStrip([]string{"[置顶]", "【学校要闻】", `/^\[\d+\]\s*/`, "(图)", `/\s*\(\d{4}-\d{2}-\d{2}\)$/`})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ in, want string }{
		{"[置顶]关于2026年寒假放假的通知", "关于2026年寒假放假的通知"},
		{"  【学校要闻】 学校召开教学工作会议", "学校召开教学工作会议"},
		{"[12] 学校召开教学工作会议", "学校召开教学工作会议"},
		{"学校召开运动会(图)", "学校召开运动会"},
		{"学校召开运动会 (2026-12-03)", "学校召开运动会"},
		{"[置顶]【学校要闻】[3]学校召开运动会(图)", "学校召开运动会"},
		{"学校[置顶]召开运动会", "学校[置顶]召开运动会"}, // a literal only at an end
		{"[置顶]", "[置顶]"}, // nothing left: the title stays
		{"【学校要闻】 ", "【学校要闻】 "},
		{"运动会  开幕", "运动会 开幕"},
	}
	for _, tt := range tests {
		if got := strip.Apply(tt.in); got != tt.want {
			t.Errorf("Apply(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	var none *TitleStrip
	if got := none.Apply(" [置顶]x "); got != " [置顶]x " {
		t.Errorf("nil strip changed the title: %q", got)
	}
}

func TestCompileTitleStrip_errors(t *testing.T) {
	tests := []struct {
		list []string
		want string
	}{
		{[]string{"[置顶]", "/[/"}, "title_strip[1]: invalid regular expression /[/: error parsing regexp: missing closing ]: `[`"},
		{[]string{"//"}, "title_strip[0]: empty regular expression //"},
		{[]string{"a", " "}, "title_strip[1]: empty label"},
		{[]string{`/a(?!b)/`}, "title_strip[0]: invalid regular expression /a(?!b)/: error parsing regexp: invalid or unsupported Perl syntax: `(?!`"},
	}
	for _, tt := range tests {
		if _, err := CompileTitleStrip(tt.list); err == nil || err.Error() != tt.want {
			t.Errorf("CompileTitleStrip(%q) = %v, want %q", tt.list, err, tt.want)
		}
	}
}

// TestNormalizer_EntriesTitleStrip: a source's title_strip cleans every
// entry title before entries are told apart, and leaves ids alone (they
// come from the raw title, so changing the list never re-announces
// entries).
func TestNormalizer_EntriesTitleStrip(t *testing.T) {
	feed := &gofeed.Feed{Items: []*gofeed.Item{
		{Title: "[置顶]关于2026年寒假放假的通知", Link: "https://www.example.edu.cn/info/1001/1.htm", Published: "2026-12-03"},
		{Title: "【学校要闻】学校召开教学工作会议", Link: "https://www.example.edu.cn/info/1001/2.htm", Published: "2026-12-02"},
		{Title: "[置顶]", Link: "https://www.example.edu.cn/info/1001/3.htm", Published: "2026-12-01"},
	}}
	now := time.Date(2026, 12, 4, 0, 0, 0, 0, time.UTC)
	src := model.Source{ID: "s", URL: "https://www.example.edu.cn/tzgg.htm", Location: time.UTC}
	n := New(Options{})
	plain := n.Entries(feed, src, src.URL, now)
	src.TitleStrip = []string{"[置顶]", "【学校要闻】"}
	stripped := n.Entries(feed, src, src.URL, now)
	want := []string{"关于2026年寒假放假的通知", "学校召开教学工作会议", "[置顶]"}
	for i, e := range stripped {
		if e.Title != want[i] || e.ID != plain[i].ID {
			t.Errorf("entry %d: %q (id %s), want %q (id %s)", i, e.Title, e.ID, want[i], plain[i].ID)
		}
	}
}
