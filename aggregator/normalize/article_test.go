package normalize

import (
	"strings"
	"testing"
	"time"

	"github.com/tributary-rss/tributary/aggregator/model"
)

func TestNormalizer_Article(t *testing.T) {
	tests := []struct {
		name                   string
		html                   string
		wantContent, wantNot   string
		wantSummary, wantImage string
	}{
		{"body with a relative image", `<p>学校召开秋季学期教学工作会议。</p><img src="../img/a.jpg" width="600"><script>alert(1)</script>`,
			`<img src="https://www.example.edu.cn/info/img/a.jpg"`, "script", "学校召开秋季学期教学工作会议。", "https://www.example.edu.cn/info/img/a.jpg"},
		{"a long body gets a cut summary", "<p>" + strings.Repeat("长", 200) + "</p>", "<p>", "", strings.Repeat("长", 139) + "…", ""},
		{"nothing left after sanitizing", `<script>x()</script><style>p{}</style>`, "", "", "", ""},
	}
	n := New(Options{})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := n.Article(model.ArticlePage{HTML: tt.html}, model.Source{}, "https://www.example.edu.cn/info/1001/3401.htm", time.Time{})
			if !strings.Contains(a.Content, tt.wantContent) || tt.wantNot != "" && strings.Contains(a.Content, tt.wantNot) {
				t.Errorf("content = %q, want it to hold %q and not %q", a.Content, tt.wantContent, tt.wantNot)
			}
			if tt.wantContent == "" && a.Content != "" {
				t.Errorf("content = %q, want none", a.Content)
			}
			if a.Summary != tt.wantSummary || a.Image != tt.wantImage {
				t.Errorf("summary %q, image %q; want %q, %q", a.Summary, a.Image, tt.wantSummary, tt.wantImage)
			}
		})
	}
}

// TestNormalizer_ArticleMeta: the article's headline, time and author
// are read as the entry keeps them: plain text cut to the title length,
// the headline without the source's labels, the time in the source's
// zone (a far future one dropped).
func TestNormalizer_ArticleMeta(t *testing.T) {
	shanghai := time.FixedZone("CST", 8*3600)
	now := time.Date(2026, 12, 4, 2, 0, 0, 0, time.UTC)
	src := model.Source{Location: shanghai, TitleStrip: []string{"【学校要闻】"}}
	tests := []struct {
		name string
		page model.ArticlePage
		want *model.ArticleMeta
	}{
		{"all three", model.ArticlePage{Title: "【学校要闻】学校召开<b>教学</b>工作会议", Date: "2026-12-03 16:35", Author: "教务处"},
			&model.ArticleMeta{Title: "学校召开教学工作会议", Published: time.Date(2026, 12, 3, 16, 35, 0, 0, shanghai), Author: "教务处"}},
		{"a Chinese date without a time", model.ArticlePage{Date: "2026年12月3日"},
			&model.ArticleMeta{Published: time.Date(2026, 12, 3, 0, 0, 0, 0, shanghai)}},
		{"a metadata time with its zone", model.ArticlePage{Date: "2026-12-03T08:35:00Z"},
			&model.ArticleMeta{Published: time.Date(2026, 12, 3, 16, 35, 0, 0, shanghai)}},
		{"a date a week ahead is dropped", model.ArticlePage{Title: "运动会", Date: "2026-12-11 09:00"},
			&model.ArticleMeta{Title: "运动会"}},
		{"an author of megabytes is cut", model.ArticlePage{Author: strings.Repeat("长", 5000)},
			&model.ArticleMeta{Author: strings.Repeat("长", 999) + "…"}},
		{"nothing said", model.ArticlePage{Date: "昨天"}, nil},
	}
	n := New(Options{})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.page.HTML = "<p>正文</p>"
			got := n.Article(tt.page, src, "https://www.example.edu.cn/info/1001/3401.htm", now).Meta
			switch {
			case (got == nil) != (tt.want == nil):
				t.Fatalf("meta = %+v, want %+v", got, tt.want)
			case got == nil:
			case got.Title != tt.want.Title || got.Author != tt.want.Author || !got.Published.Equal(tt.want.Published):
				t.Errorf("meta = %+v, want %+v", got, tt.want)
			case !got.Published.IsZero() && got.Published.Location() != shanghai:
				t.Errorf("published in %v, want the source's zone", got.Published.Location())
			}
		})
	}
}

func TestApplyArticle(t *testing.T) {
	shanghai := time.FixedZone("CST", 8*3600)
	day := time.Date(2026, 12, 3, 0, 0, 0, 0, shanghai)
	listed := model.Entry{Title: "关于2026年硕士研究生招生考试考点安排的…", Link: "https://yz.example.edu.cn/info/1021/5678.htm",
		Published: day.UTC(), Updated: day.UTC()}
	headline := "关于2026年硕士研究生招生考试考点安排的公告"
	with := func(f func(*model.Entry)) model.Entry { e := listed; f(&e); return e }
	at := func(h, m int) time.Time { return day.Add(time.Duration(h)*time.Hour + time.Duration(m)*time.Minute) }
	tests := []struct {
		name        string
		entry       model.Entry
		meta        model.ArticleMeta
		wantTitle   string
		wantPub     time.Time
		wantUpdated time.Time
		wantAuthor  string
	}{
		{"cut title, day only, no author: all completed", listed, model.ArticleMeta{Title: headline, Published: at(16, 35), Author: "研招办"},
			headline, at(16, 35), at(16, 35), "研招办"},
		{"three dots", with(func(e *model.Entry) { e.Title = "关于2026年硕士研究生招生考试..." }), model.ArticleMeta{Title: headline},
			headline, day, day, ""},
		{"two dots and a space", with(func(e *model.Entry) { e.Title = "关于2026年硕士研究生 招生考试 .." }), model.ArticleMeta{Title: headline},
			headline, day, day, ""},
		{"midline ellipsis ⋯", with(func(e *model.Entry) { e.Title = "关于2026年硕士研究生招生考试考点⋯" }), model.ArticleMeta{Title: headline},
			headline, day, day, ""},
		{"full-width digits in the list", with(func(e *model.Entry) { e.Title = "关于２０２６年硕士研究生招生…" }), model.ArticleMeta{Title: headline},
			headline, day, day, ""},
		{"an unrelated heading never replaces", listed, model.ArticleMeta{Title: "重庆交通大学研究生招生信息网"},
			listed.Title, day, day, ""},
		{"a closely matching headline replaces", with(func(e *model.Entry) { e.Title = "关于2026年硕士研究生招生考试考场安排的…" }),
			model.ArticleMeta{Title: headline}, headline, day, day, ""},
		{"a title given whole stays", with(func(e *model.Entry) { e.Title = "研究生招生考试考点安排公告" }), model.ArticleMeta{Title: headline},
			"研究生招生考试考点安排公告", day, day, ""},
		{"a title cut without a mark, the headline going on mid-word", with(func(e *model.Entry) { e.Title = "关于2026年硕士研究生招生考试考点安" }),
			model.ArticleMeta{Title: headline}, headline, day, day, ""},
		{"a whole title the headline only adds a name to", with(func(e *model.Entry) { e.Title = "关于2026年硕士研究生招生考试考点安排的公告" }),
			model.ArticleMeta{Title: headline + " 示例交通大学"}, headline, day, day, ""},
		{"no title: the headline", with(func(e *model.Entry) { e.Title = "" }), model.ArticleMeta{Title: headline}, headline, day, day, ""},
		{"the link as title: the headline", with(func(e *model.Entry) { e.Title = e.Link }), model.ArticleMeta{Title: headline}, headline, day, day, ""},
		{"a list time stays", with(func(e *model.Entry) { e.Published, e.Updated = at(9, 0).UTC(), at(9, 0).UTC() }),
			model.ArticleMeta{Published: at(16, 35)}, listed.Title, at(9, 0), at(9, 0), ""},
		{"another day never moves it", listed, model.ArticleMeta{Published: at(16, 35).AddDate(0, 0, 1)}, listed.Title, day, day, ""},
		{"the day before never moves it", listed, model.ArticleMeta{Published: at(23, 50).AddDate(0, 0, -1)}, listed.Title, day, day, ""},
		{"an article day without time changes nothing", listed, model.ArticleMeta{Published: day}, listed.Title, day, day, ""},
		{"an undated entry takes the article's date", with(func(e *model.Entry) {
			e.NoDate, e.Published, e.Updated = true, at(30, 0).UTC(), at(30, 0).UTC()
		}), model.ArticleMeta{Published: at(16, 35).AddDate(0, 0, -2)}, listed.Title, at(16, 35).AddDate(0, 0, -2), at(16, 35).AddDate(0, 0, -2), ""},
		{"a later update time stays", with(func(e *model.Entry) { e.Updated = at(20, 0).UTC() }), model.ArticleMeta{Published: at(16, 35)},
			listed.Title, at(16, 35), at(20, 0), ""},
		{"the feed's author stays", with(func(e *model.Entry) { e.Author = "张三" }), model.ArticleMeta{Author: "研招办"}, listed.Title, day, day, "张三"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := tt.meta
			got := ApplyArticle(tt.entry, &m)
			if got.Title != tt.wantTitle || !got.Published.Equal(tt.wantPub) || !got.Updated.Equal(tt.wantUpdated) || got.Author != tt.wantAuthor {
				t.Errorf("got %q %v (updated %v) by %q\nwant %q %v (updated %v) by %q", got.Title, got.Published.In(shanghai), got.Updated.In(shanghai), got.Author,
					tt.wantTitle, tt.wantPub, tt.wantUpdated, tt.wantAuthor)
			}
			if got.NoDate && !m.Published.IsZero() || got.Article != &m {
				t.Errorf("no_date %v, article %v", got.NoDate, got.Article)
			}
			if again := ApplyArticle(got, &m); again.Title != got.Title || !again.Published.Equal(got.Published) || again.Author != got.Author {
				t.Errorf("not idempotent: %+v then %+v", got, again)
			}
		})
	}
	if got := ApplyArticle(listed, nil); got.Title != listed.Title || got.Article != nil {
		t.Errorf("nil meta changed the entry: %+v", got)
	}
}

// TestNormalizer_Excerpt: a preview's article HTML is bounded and stays
// well-formed: the cut closes what it leaves open.
func TestNormalizer_Excerpt(t *testing.T) {
	n := New(Options{})
	long := "<div><p>" + strings.Repeat("学校召开教学工作会议。", 20000) + "</p><p>尾</p></div>"
	got := n.Excerpt(long, 64<<10)
	if len(got) > 64<<10 || !strings.HasSuffix(got, "</p></div>") || strings.Contains(got, "尾") {
		t.Errorf("excerpt of %d bytes ends %q", len(got), got[max(0, len(got)-40):])
	}
	if short := "<p>短</p>"; n.Excerpt(short, 64<<10) != short {
		t.Errorf("a short article was changed: %q", n.Excerpt(short, 64<<10))
	}
}
