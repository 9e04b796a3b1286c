package poll

import (
	"context"
	"crypto/sha256"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tributary-rss/tributary/aggregator/fetch"
	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/aggregator/normalize"
	"github.com/tributary-rss/tributary/aggregator/scheduler/plan/plantest"
	"github.com/tributary-rss/tributary/aggregator/store"
	"github.com/tributary-rss/tributary/aggregator/store/storetest"
)

// schoolFeed is a school news column's RSS as a CMS exports it (dates in
// +0800, a channel link to the site), with the given item dates.
func schoolFeed(dates ...time.Time) string {
	s := `<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>实验小学 学校新闻</title>` +
		`<link>https://sx.example.edu.cn/xxxw/</link><description>学校新闻</description>`
	for i, d := range dates {
		// Each article has its own page, numbered as the CMS counts.
		n := d.Unix() / 3600
		s += fmt.Sprintf(`<item><title>校园新闻 %d</title><link>https://sx.example.edu.cn/info/1001/%d.htm</link>`+
			`<guid>https://sx.example.edu.cn/info/1001/%d.htm</guid><pubDate>%s</pubDate></item>`,
			i, n, n, d.In(time.FixedZone("CST", 8*3600)).Format(time.RFC1123Z))
	}
	return s + `</channel></rss>`
}

// feedServer serves the feed body it holds, with an ETag so an unchanged
// feed answers 304 as many CMS do.
type feedServer struct {
	mu   sync.Mutex
	body string
}

func (f *feedServer) set(body string) { f.mu.Lock(); f.body = body; f.mu.Unlock() }

func (f *feedServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	body := f.body
	f.mu.Unlock()
	etag := fmt.Sprintf(`"%x"`, sha256.Sum256([]byte(body)))
	w.Header().Set("ETag", etag)
	if r.Header.Get("If-None-Match") == etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
	_, _ = w.Write([]byte(body))
}

func newFreshnessPoller(st *store.Store, now *atomic.Int64) *Poller {
	p := New(st, fetch.New(fetch.Options{Timeout: 5 * time.Second}), normalize.New(normalize.Options{}),
		[]model.Section{{ID: "schools", MaxItems: 50}}, slog.New(slog.DiscardHandler))
	p.Now = func() time.Time { return time.UnixMilli(now.Load()) }
	return p
}

// TestPoller_Freshness: with a fake clock, a school whose newest entry
// passes 14 days is reported stale by the first poll after (its feed
// answering 304), never again on later polls, and fresh by the poll that
// finds a new entry.
func TestPoller_Freshness(t *testing.T) {
	t0 := time.Date(2025, 3, 3, 8, 0, 0, 0, time.UTC)
	feed := &feedServer{}
	feed.set(schoolFeed(t0.Add(-time.Hour), t0.Add(-48*time.Hour)))
	srv := httptest.NewServer(feed)
	t.Cleanup(srv.Close)
	st := store.New(storetest.StartEmbedded(t), "", nil)
	var now atomic.Int64
	p := newFreshnessPoller(st, &now)
	src := model.Source{ID: "sx", URL: srv.URL + "/rss.xml", Schedule: "@every 15m", Location: time.UTC, SectionIDs: []string{"schools"},
		StaleAfter: model.DefaultStaleAfter}
	day := 24 * time.Hour
	steps := []struct {
		at      time.Duration
		publish bool
		want    string
	}{
		{0, false, ""},
		{7 * day, false, ""},
		{14*day - 2*time.Hour, false, ""},
		{14 * day, false, model.FreshnessStale},
		{14*day + time.Hour, false, ""},
		{20 * day, false, ""},
		{21 * day, true, model.FreshnessFresh},
		{21*day + time.Hour, false, ""},
	}
	for _, s := range steps {
		now.Store(t0.Add(s.at).UnixMilli())
		if s.publish {
			feed.set(schoolFeed(t0.Add(s.at-time.Hour), t0.Add(-time.Hour)))
		}
		res := p.Poll(context.Background(), src, plantest.QuarterHourly())
		if res.Err != nil {
			t.Fatalf("poll at +%v: %v", s.at, res.Err)
		}
		got := ""
		if res.Freshness != nil {
			got = res.Freshness.To
		}
		if got != s.want {
			t.Errorf("poll at +%v (status %d): crossing %q, want %q", s.at, res.Status, got, s.want)
		}
	}
}

// TestPoller_FreshnessTwoInstances: two instances (pollers with stores
// of their own on one redis-server) polling the same stale school at once
// report the crossing once between them.
func TestPoller_FreshnessTwoInstances(t *testing.T) {
	t0 := time.Date(2025, 3, 3, 8, 0, 0, 0, time.UTC)
	feed := &feedServer{}
	feed.set(schoolFeed(t0.Add(-time.Hour)))
	srv := httptest.NewServer(feed)
	t.Cleanup(srv.Close)
	addr := storetest.StartRedis(t)
	var now atomic.Int64
	now.Store(t0.UnixMilli())
	pollers := []*Poller{
		newFreshnessPoller(store.New(storetest.NewClient(t, addr), "", nil), &now),
		newFreshnessPoller(store.New(storetest.NewClient(t, addr), "", nil), &now),
	}
	src := model.Source{ID: "sx", URL: srv.URL + "/rss.xml", Schedule: "@every 15m", Location: time.UTC, SectionIDs: []string{"schools"}}
	if res := pollers[0].Poll(context.Background(), src, plantest.QuarterHourly()); res.Err != nil || res.Freshness != nil {
		t.Fatalf("first poll: err %v, crossing %+v", res.Err, res.Freshness)
	}
	now.Store(t0.Add(15 * 24 * time.Hour).UnixMilli())
	var crossings atomic.Int64
	var wg sync.WaitGroup
	for i := range 6 {
		p := pollers[i%2]
		wg.Go(func() {
			if res := p.Poll(context.Background(), src, plantest.QuarterHourly()); res.Freshness != nil {
				crossings.Add(1)
			}
		})
	}
	wg.Wait()
	if n := crossings.Load(); n != 1 {
		t.Errorf("%d polls reported the crossing, want exactly 1", n)
	}
}
