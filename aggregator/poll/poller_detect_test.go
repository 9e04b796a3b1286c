package poll

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tributary-rss/tributary/aggregator/fetch"
	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/aggregator/normalize"
	"github.com/tributary-rss/tributary/aggregator/poll/polltest"
	"github.com/tributary-rss/tributary/aggregator/scheduler/plan/plantest"
	"github.com/tributary-rss/tributary/aggregator/store"
	"github.com/tributary-rss/tributary/aggregator/testkit"
)

// listsDir holds the list pages several packages test with (kept once,
// in package parse).
const listsDir = "../parse/testdata/lists"

func listPage(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(listsDir, name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// entryStore is a polltest.MemStore that keeps the entries of the last ingest.
type entryStore struct {
	*polltest.MemStore
	mu   sync.Mutex
	last []model.Entry
}

func (s *entryStore) IngestRules(ctx context.Context, r store.Policy, es []model.Entry, now time.Time) (store.IngestResult, error) {
	s.mu.Lock()
	s.last = es
	s.mu.Unlock()
	return s.MemStore.IngestRules(ctx, r, es, now)
}

func (s *entryStore) titles() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, e := range s.last {
		out = append(out, e.Title)
	}
	return out
}

// detectHarness polls a source of a page whose body the test sets.
type detectHarness struct {
	t      *testing.T
	poller *Poller
	store  *entryStore
	logs   *testkit.LogBuffer
	src    model.Source
	mu     sync.Mutex
	body   []byte
}

func newDetectHarness(t *testing.T) *detectHarness {
	h := &detectHarness{t: t, store: &entryStore{MemStore: polltest.NewMemStore()}, logs: &testkit.LogBuffer{}}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		h.mu.Lock()
		defer h.mu.Unlock()
		w.Header().Set("Content-Type", "text/html")
		_, _ = w.Write(h.body)
	}))
	t.Cleanup(srv.Close)
	logger := slog.New(slog.NewTextHandler(h.logs, &slog.HandlerOptions{Level: slog.LevelInfo}))
	h.poller = New(h.store, fetch.New(fetch.Options{Timeout: 5 * time.Second}), normalize.New(normalize.Options{}),
		[]model.Section{{ID: "news", MaxItems: 50}}, logger)
	h.poller.Now = func() time.Time { return plantest.Now }
	h.src = model.Source{ID: "s1", URL: srv.URL + "/xwdt/gzdt.htm", Schedule: "@every 15m", Location: time.UTC, SectionIDs: []string{"news"}}
	return h
}

func (h *detectHarness) serve(body []byte) {
	h.mu.Lock()
	h.body = body
	h.mu.Unlock()
}

func (h *detectHarness) poll() (Result, model.SourceState) {
	h.t.Helper()
	res := h.poller.Poll(context.Background(), h.src, plantest.QuarterHourly())
	st, _ := h.store.SourceState(context.Background(), h.src.ID)
	return res, st
}

// count is how many log lines carry msg.
func (h *detectHarness) count(msg string) int {
	return strings.Count(h.logs.String(), `msg="`+msg+`"`)
}

// TestPoller_DetectsList: a source that is only a URL, whose page
// advertises no feed, is read by detection; the selectors chosen are
// recorded, logged once and reused while they read the page; a new
// template is detected afresh and logged once; a page of comparable
// lists fails the poll naming them, keeping what was recorded.
func TestPoller_DetectsList(t *testing.T) {
	h := newDetectHarness(t)
	vsb := listPage(t, "vsb_split_day.html")
	h.serve(vsb)
	res, st := h.poll()
	want := model.Scrape{Items: "div.news-list li", Link: "div.txt a", Date: "div.date"}
	if res.Err != nil || st.Detected == nil || *st.Detected != want || res.New != 12 || st.Warnings != nil {
		t.Fatalf("first poll: %v, new %d, detected %+v, warnings %+v; want %+v", res.Err, res.New, st.Detected, st.Warnings, want)
	}
	if got := h.store.titles(); got[0] != "关于做好2025年清明节假期安全稳定工作的通知" {
		t.Errorf("first entry %q", got[0])
	}

	// The same body is not read again, unless the recorded selectors
	// changed (here by hand); they are reused, even where detection would
	// choose otherwise.
	if res, st := h.poll(); !res.SameBody || st.Detected == nil || *st.Detected != want {
		t.Fatalf("same body: %+v, detected %+v", res, st.Detected)
	}
	st.Detected = &model.Scrape{Items: "div.news-list li:nth-child(-n+5)", Link: "div.txt a", Date: "div.date"}
	if err := h.store.SaveSourceState(context.Background(), h.src.ID, st); err != nil {
		t.Fatal(err)
	}
	if res, st := h.poll(); res.Err != nil || res.SameBody || res.New != 5 || st.Detected.Items != "div.news-list li:nth-child(-n+5)" {
		t.Fatalf("recorded selectors: %v, new %d, detected %+v; want them reused", res.Err, res.New, st.Detected)
	}

	// A new template: the recorded selectors match nothing.
	h.serve(listPage(t, "webplus_news.html"))
	res, st = h.poll()
	if res.Err != nil || st.Detected == nil || st.Detected.Items != "ul.news_list li.news" || res.New != 16 {
		t.Fatalf("new template: %v, new %d, detected %+v", res.Err, res.New, st.Detected)
	}
	h.serve(append(listPage(t, "webplus_news.html"), "<!-- changed -->"...))
	if res, _ := h.poll(); res.Err != nil || res.SameBody {
		t.Fatalf("new template, changed body: %+v", res)
	}

	// A homepage of two comparable lists is not guessed at.
	h.serve(listPage(t, "home_two.html"))
	ingests := h.store.Ingests()
	res, st = h.poll()
	reason := "HTML page advertises no feed; 2 lists found: div.news li (10 items"
	if res.Err == nil || !strings.HasPrefix(st.LastError, reason) || st.Detected == nil || st.Detected.Items != "ul.news_list li.news" ||
		h.store.Ingests() != ingests {
		t.Fatalf("ambiguous page: %v, last error %q, detected %+v, ingests %d→%d", res.Err, st.LastError, st.Detected, ingests, h.store.Ingests())
	}
	if h.count("list detected") != 1 || h.count("list detection changed") != 1 {
		t.Errorf("logs:\n%s\nwant one list detected and one list detection changed", h.logs.String())
	}
}

// TestPoller_DetectsPartialBlock: a scrape: block without items has the
// list detected with its keys kept; a changed block detects afresh, and
// its warnings are kept with the source.
func TestPoller_DetectsPartialBlock(t *testing.T) {
	h := newDetectHarness(t)
	h.serve(listPage(t, "vsb_split_day.html"))
	h.src.Scrape = &model.Scrape{Skip: "li:first-child"}
	res, st := h.poll()
	want := model.Scrape{Items: "div.news-list li", Link: "div.txt a", Date: "div.date", Skip: "li:first-child"}
	if res.Err != nil || st.Detected == nil || *st.Detected != want || res.New != 11 {
		t.Fatalf("partial block: %v, new %d, detected %+v; want %+v", res.Err, res.New, st.Detected, want)
	}
	h.src.Scrape = &model.Scrape{Date: "span.nothing"}
	res, st = h.poll()
	want = model.Scrape{Items: "div.news-list li", Link: "div.txt a", Date: "span.nothing"}
	if res.Err != nil || res.SameBody || st.Detected == nil || *st.Detected != want {
		t.Fatalf("changed block: %+v, detected %+v; want %+v", res, st.Detected, want)
	}
	wantWarn := model.ListWarning{Code: model.ListWarnDateNoMatch, Count: 0, Total: 12, Detail: "span.nothing"}
	if len(st.Warnings) != 1 || st.Warnings[0] != wantWarn {
		t.Errorf("warnings %+v, want [%+v]", st.Warnings, wantWarn)
	}
	// Items named: nothing detected, nothing recorded.
	h.src.Scrape = &model.Scrape{Items: "div.news-list li"}
	if res, st := h.poll(); res.Err != nil || st.Detected != nil || st.Warnings != nil {
		t.Fatalf("items named: %v, detected %+v, warnings %+v", res.Err, st.Detected, st.Warnings)
	}
}

// TestParseRules: a source without rules or detection keeps the empty
// fingerprint it always had; a recorded detection, and any change of it,
// changes the fingerprint, so an unchanged page is read again with it.
func TestParseRules(t *testing.T) {
	bare := model.Source{URL: "https://www.example.edu.cn/"}
	a, b := &model.Scrape{Items: "div.news li"}, &model.Scrape{Items: "div.list li"}
	if got := parseRules(bare, nil); got != "" {
		t.Errorf("no rules: %q, want empty", got)
	}
	fps := map[string]string{
		"detected a": parseRules(bare, a), "detected b": parseRules(bare, b),
		"block": parseRules(model.Source{Scrape: &model.Scrape{}}, nil), "block and a": parseRules(model.Source{Scrape: &model.Scrape{}}, a),
	}
	seen := map[string]string{}
	for name, fp := range fps {
		if fp == "" || seen[fp] != "" {
			t.Errorf("%s: fingerprint %q (also %s)", name, fp, seen[fp])
		}
		seen[fp] = name
	}
}
