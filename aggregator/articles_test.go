package aggregator

import (
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/tributary-rss/tributary/aggregator/fetch"
	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/aggregator/normalize"
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
		s.set(p, 200, "text/html; charset=utf-8", fixture(t, "article_generic.html"))
	}
	s.set("/news/info/5.htm", 404, "text/plain", []byte("not found"))
	h := newPollHarness(t, s)
	st := newDueStore(t)
	p := NewPoller(st, fetch.New(fetch.Options{Timeout: 5 * time.Second}), normalize.New(normalize.Options{}),
		[]model.Section{{ID: "news", MaxItems: 50}}, slog.New(slog.DiscardHandler))
	p.Now = func() time.Time { return planNow }
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

func (r *articleRig) poll() PollResult {
	r.t.Helper()
	res := r.poller.Poll(context.Background(), r.src, quarterHourly())
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

// TestScheduler_PollNowFetchesArticles: a poll asked for outside the loop
// (the fetch command) fetches the articles it leaves before it returns,
// within max_per_poll.
func TestScheduler_PollNowFetchesArticles(t *testing.T) {
	r := newArticleRig(t, 2)
	sched, err := NewScheduler(r.poller, r.store, []model.Source{r.src}, 1, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	res, ok := sched.PollNow(context.Background(), r.src)
	if !ok || res.Err != nil || res.New != 6 {
		t.Fatalf("PollNow: %v, %+v", ok, res)
	}
	if n := r.articleHits(); n != 2 {
		t.Errorf("%d article pages fetched, want max_per_poll (2)", n)
	}
}
