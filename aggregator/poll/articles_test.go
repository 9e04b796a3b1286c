package poll

import (
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/tributary-rss/tributary/aggregator/fetch"
	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/aggregator/normalize"
	"github.com/tributary-rss/tributary/aggregator/scheduler/plan/plantest"
	"github.com/tributary-rss/tributary/aggregator/store"
)

// articleRig polls a list page with content.fetch into a real (embedded)
// store.
type articleRig struct {
	t      *testing.T
	site   *site
	store  *store.Store
	poller *Poller
	src    model.Source
	list   string
}

func newArticleRig(t *testing.T, maxPerPoll int) *articleRig {
	t.Helper()
	s := newSite()
	for _, p := range []string{"/news/info/1.htm", "/news/info/2.htm", "/news/info/3.htm", "/news/info/4.htm"} {
		s.set(p, 200, "text/html; charset=utf-8", fixture(t, "../../parse/testdata/article_generic.html"))
	}
	s.set("/news/info/5.htm", 404, "text/plain", []byte("not found"))
	h := newPollHarness(t, s)
	st := newDueStore(t)
	p := New(st, fetch.New(fetch.Options{Timeout: 5 * time.Second}), normalize.New(normalize.Options{}),
		[]model.Section{{ID: "news", MaxItems: 50}}, slog.New(slog.DiscardHandler))
	p.Now = func() time.Time { return plantest.Now }
	src := h.src
	src.URL = h.srv.URL + "/news/list.htm"
	src.Location = time.FixedZone("CST", 8*3600)
	src.Scrape = &model.Scrape{Items: "ul.list li", Date: "span"}
	src.Content = &model.Content{Fetch: true, MaxPerPoll: maxPerPoll}
	r := &articleRig{t: t, site: s, store: st, poller: p, src: src}
	r.setList("1")
	return r
}

// setList serves the list page, made different from the last one by v.
func (r *articleRig) setList(v string) {
	r.site.set("/news/list.htm", 200, "text/html; charset=utf-8",
		[]byte(strings.ReplaceAll(string(fixture(r.t, "list_articles.html")), "{{VERSION}}", v)))
}

func (r *articleRig) poll() Result {
	r.t.Helper()
	res := r.poller.Poll(context.Background(), r.src, plantest.QuarterHourly())
	if res.Err != nil {
		r.t.Fatalf("poll: %v", res.Err)
	}
	return res
}

func (r *articleRig) articleHits() int {
	n := 0
	for i := 1; i <= 5; i++ {
		n += r.site.count("/news/info/" + string(rune('0'+i)) + ".htm")
	}
	return n
}

func (r *articleRig) entries() map[string]model.Entry {
	r.t.Helper()
	es, err := r.store.SectionEntries(context.Background(), "news", 0)
	if err != nil {
		r.t.Fatal(err)
	}
	out := map[string]model.Entry{}
	for _, e := range es {
		out[strings.TrimPrefix(e.Link, r.src.URL[:strings.LastIndex(r.src.URL, "/")+1])] = e
	}
	return out
}

// TestPoller_FetchArticles: the articles of new entries are fetched newest
// first, max_per_poll a pass; each replaces its entry's content (the
// page's navigation, sidebar, share bar and footer gone) and is fetched
// once; a document link and a missing page end up failed, the latter
// after MaxArticleTries.
func TestPoller_FetchArticles(t *testing.T) {
	r := newArticleRig(t, 2)
	if res := r.poll(); res.New != 6 || res.ArticlesPending != 6 {
		t.Fatalf("first poll: %d new, %d articles pending; want 6, 6", res.New, res.ArticlesPending)
	}
	passes := []ArticleResult{
		{Fetched: 2, OK: 2, Pending: 4},            // 1, 2
		{Fetched: 2, OK: 2, Failed: 1, Pending: 1}, // the PDF is never fetched; 3, 4
		{Fetched: 1, Retry: 1, Pending: 1},         // 5: 404
		{Fetched: 1, Retry: 1, Pending: 1},
		{Fetched: 1, Failed: 1},
		{},
	}
	for i, want := range passes {
		got := r.poller.FetchArticles(context.Background(), r.src)
		want.SourceID = r.src.ID
		if got != want {
			t.Fatalf("pass %d: %+v, want %+v", i+1, got, want)
		}
	}
	es := r.entries()
	sports := es["info/1.htm"]
	for _, keep := range []string{"秋季运动会在学校田径场隆重开幕", "sports-meeting.jpg"} {
		if !strings.Contains(sports.Content, keep) {
			t.Errorf("article lacks %q: %s", keep, sports.Content)
		}
	}
	for _, drop := range []string{"热门文章", "分享到", "Copyright", "当前位置"} {
		if strings.Contains(sports.Content, drop) {
			t.Errorf("article keeps %q: %s", drop, sports.Content)
		}
	}
	if !strings.HasPrefix(sports.Summary, "10月16日上午") || sports.ArticleLink != sports.Link {
		t.Errorf("summary %q, article link %q", sports.Summary, sports.ArticleLink)
	}
	if e := es["info/5.htm"]; e.Content != "" || e.ArticleLink != "" {
		t.Errorf("entry whose article failed: %+v", e)
	}
	st, err := r.store.SourceState(context.Background(), r.src.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got := st.Articles; got.OK != 4 || got.Failed != 2 || got.Pending != 0 || got.LastError != "HTTP 404 Not Found" {
		t.Errorf("article state %+v", got)
	}

	// The list again, changed elsewhere: entries unchanged, articles kept,
	// nothing fetched again.
	hits := r.articleHits()
	r.setList("2")
	if res := r.poll(); res.Unchanged != 6 || res.ArticlesPending != 0 {
		t.Errorf("re-poll: %+v", res)
	}
	if got := r.poller.FetchArticles(context.Background(), r.src); got.Fetched != 0 || r.articleHits() != hits {
		t.Errorf("re-poll fetched %d articles (%d hits, had %d)", got.Fetched, r.articleHits(), hits)
	}
	if e := r.entries()["info/1.htm"]; e.Content != sports.Content {
		t.Errorf("re-poll replaced the article with %q", e.Content)
	}
}

// TestPoller_ArticlesCompleteEntries: through the real poller and store,
// the articles of a list page that cuts its titles and prints only the
// day complete their entries: the headline replaces the cut title, the
// article's time refines the bare day so same-day entries sort by it,
// the info line's author fills the entry's, and a re-poll of the list
// keeps all that. An article dated another day leaves the entry's day
// alone.
func TestPoller_ArticlesCompleteEntries(t *testing.T) {
	cst := time.FixedZone("CST", 8*3600)
	articles := []struct{ path, title, time, author string }{
		{"info/1021/5671.htm", "关于2026年硕士研究生招生考试考点安排的公告", "2026-11-27 09:00", "研究生招生办公室"},
		{"info/1021/5672.htm", "关于做好2026年硕士研究生网上确认工作的通知", "2026-11-27 16:35", "研究生招生办公室"},
		{"info/1021/5673.htm", "关于公布2026年推免生拟录取名单的通知", "2026-11-27 11:00", ""},
		{"info/1021/5670.htm", "研究生招生宣讲会安排", "2026-11-25 16:00", "招生宣传组"},
	}
	s := newSite()
	page := string(fixture(t, "article_vsb.html"))
	for _, a := range articles {
		s.set("/yz/"+a.path, 200, "text/html; charset=utf-8",
			[]byte(strings.NewReplacer("{{TITLE}}", a.title, "{{TIME}}", a.time, "{{AUTHOR}}", a.author).Replace(page)))
	}
	list := string(fixture(t, "list_cut.html"))
	setList := func(v string) {
		s.set("/yz/tzgg.htm", 200, "text/html; charset=utf-8", []byte(strings.ReplaceAll(list, "{{VERSION}}", v)))
	}
	setList("1")
	h := newPollHarness(t, s)
	st := newDueStore(t)
	p := New(st, fetch.New(fetch.Options{Timeout: 5 * time.Second}), normalize.New(normalize.Options{}),
		[]model.Section{{ID: "news", MaxItems: 50}}, slog.New(slog.DiscardHandler))
	p.Now = func() time.Time { return plantest.Now }
	src := h.src
	src.URL, src.Location = h.srv.URL+"/yz/tzgg.htm", cst
	src.Scrape = &model.Scrape{Items: "ul.list li", Date: "span"}
	src.Content = &model.Content{Fetch: true}
	r := &articleRig{t: t, site: s, store: st, poller: p, src: src}
	if res := r.poll(); res.New != 4 {
		t.Fatalf("first poll: %+v", res)
	}
	if got := r.poller.FetchArticles(context.Background(), r.src); got.OK != 4 {
		t.Fatalf("articles: %+v", got)
	}
	type row struct {
		path, title, author string
		published           time.Time
	}
	want := []row{
		{"info/1021/5672.htm", articles[1].title, "研究生招生办公室", time.Date(2026, 11, 27, 16, 35, 0, 0, cst)},
		{"info/1021/5673.htm", articles[2].title, "", time.Date(2026, 11, 27, 11, 0, 0, 0, cst)},
		{"info/1021/5671.htm", articles[0].title, "研究生招生办公室", time.Date(2026, 11, 27, 9, 0, 0, 0, cst)},
		{"info/1021/5670.htm", "研究生招生宣讲会安排", "招生宣传组", time.Date(2026, 11, 26, 0, 0, 0, 0, cst)},
	}
	check := func(when string) {
		t.Helper()
		es, err := r.store.SectionEntries(context.Background(), "news", 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(es) != len(want) {
			t.Fatalf("%s: %d entries, want %d", when, len(es), len(want))
		}
		for i, e := range es {
			got := row{strings.TrimPrefix(e.Link, h.srv.URL+"/yz/"), e.Title, e.Author, e.Published}
			if got.path != want[i].path || got.title != want[i].title || got.author != want[i].author || !got.published.Equal(want[i].published) {
				t.Errorf("%s: entry %d is %s %q by %q at %v\n want %s %q by %q at %v", when, i, got.path, got.title, got.author,
					got.published.In(cst), want[i].path, want[i].title, want[i].author, want[i].published)
			}
			if strings.Contains(e.Content, "下一条") || strings.Contains(e.Content, "关闭") {
				t.Errorf("%s: %s keeps the pager: %s", when, got.path, e.Content)
			}
		}
	}
	check("after the articles")
	setList("2")
	if res := r.poll(); res.Unchanged != 4 {
		t.Errorf("re-poll: %+v, want 4 unchanged", res)
	}
	check("after a re-poll")
}
