package scheduler

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tributary-rss/tributary/aggregator/fetch"
	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/aggregator/normalize"
	"github.com/tributary-rss/tributary/aggregator/poll"
	"github.com/tributary-rss/tributary/aggregator/scheduler/plan/plantest"
)

// TestScheduler_PollManyFetchesArticles: a poll asked for outside the
// loop (the fetch command) fetches the articles it leaves before it
// returns, within max_per_poll.
func TestScheduler_PollManyFetchesArticles(t *testing.T) {
	list, err := os.ReadFile("../poll/testdata/list_articles.html")
	if err != nil {
		t.Fatal(err)
	}
	article, err := os.ReadFile("../parse/testdata/article_generic.html")
	if err != nil {
		t.Fatal(err)
	}
	var articleHits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		switch {
		case r.URL.Path == "/news/list.htm":
			_, _ = w.Write([]byte(strings.ReplaceAll(string(list), "{{VERSION}}", "1")))
		case strings.HasPrefix(r.URL.Path, "/news/info/"):
			articleHits.Add(1)
			_, _ = w.Write(article)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	st := newDueStore(t)
	p := poll.New(st, fetch.New(fetch.Options{Timeout: 5 * time.Second}), normalize.New(normalize.Options{}),
		[]model.Section{{ID: "news", MaxItems: 50}}, slog.New(slog.DiscardHandler))
	p.Now = func() time.Time { return plantest.Now }
	src := model.Source{ID: "s1", URL: srv.URL + "/news/list.htm", Schedule: "@every 15m", SectionIDs: []string{"news"},
		Location: time.FixedZone("CST", 8*3600),
		Scrape:   &model.Scrape{Items: "ul.list li", Date: "span"},
		Content:  &model.Content{Fetch: true, MaxPerPoll: 2}}
	sched, err := New(p, dueOn(st), []model.Source{src}, 1, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	res, ok := pollOne(context.Background(), sched, src)
	if !ok || res.Err != nil || res.New != 6 {
		t.Fatalf("PollMany: %v, %+v", ok, res)
	}
	if n := articleHits.Load(); n != 2 {
		t.Errorf("%d article pages fetched, want max_per_poll (2)", n)
	}
}
