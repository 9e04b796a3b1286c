package poll

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/aggregator/parse"
	"github.com/tributary-rss/tributary/aggregator/poll/polltest"
	"github.com/tributary-rss/tributary/aggregator/read"
)

// fixture reads testdata/name; a name starting with ../ is another
// package's (pages the parser's tests read too live once, there).
func fixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// site is a small web site for poll tests: each path answers with a
// status and a body the test changes between polls, and hits are counted.
type site struct {
	mu    sync.Mutex
	pages map[string]sitePage
	hits  map[string]int
}

type sitePage struct {
	status      int
	contentType string
	body        []byte
}

func newSite() *site { return &site{pages: map[string]sitePage{}, hits: map[string]int{}} }

func (s *site) set(path string, status int, contentType string, body []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pages[path] = sitePage{status, contentType, body}
}

func (s *site) count(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hits[path]
}

func (s *site) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.hits[r.URL.Path]++
	p, ok := s.pages[r.URL.Path]
	s.mu.Unlock()
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", p.contentType)
	w.WriteHeader(p.status)
	_, _ = w.Write(p.body)
}

func homePage(t *testing.T, feed string) []byte {
	return []byte(strings.ReplaceAll(string(fixture(t, "home_feed.html")), "{{FEED}}", feed))
}

// TestPoller_Discovery: a source URL that is an HTML page advertising a
// feed is read through that feed, found in the same poll and kept as the
// effective URL; when it fails read.RediscoverAfterErrors polls in a row the
// page is asked again and its new feed taken.
func TestPoller_Discovery(t *testing.T) {
	s := newSite()
	s.set("/index.html", 200, "text/html; charset=utf-8", homePage(t, "/rss/news.xml"))
	s.set("/rss/news.xml", 200, "application/rss+xml", []byte(polltest.FeedRSS))
	h := newPollHarness(t, s)
	h.src.URL = h.srv.URL + "/index.html"
	feed := h.srv.URL + "/rss/news.xml"

	res, st := h.poll()
	if res.Err != nil || res.New != 1 || res.Discovered != feed || res.FetchURL != feed {
		t.Fatalf("first poll: %+v", res)
	}
	if st.EffectiveURL != feed || !st.Discovered || st.Title != "t" || st.LastError != "" {
		t.Fatalf("state after discovery: %+v", st)
	}
	res, st = h.poll()
	if res.Err != nil || s.count("/index.html") != 1 || s.count("/rss/news.xml") != 2 || res.Discovered != "" {
		t.Fatalf("second poll: %+v; page fetched %d times, feed %d", res, s.count("/index.html"), s.count("/rss/news.xml"))
	}

	// The site moves its feed: the old one is gone, the page names another.
	s.set("/rss/news.xml", 404, "text/plain", []byte("not found"))
	s.set("/index.html", 200, "text/html; charset=utf-8", homePage(t, "/feeds/all.rss"))
	s.set("/feeds/all.rss", 200, "application/rss+xml", []byte(polltest.FeedRSS))
	for i := 1; i <= read.RediscoverAfterErrors; i++ {
		if _, st = h.poll(); st.ErrorsInRow != i || st.LastError != "HTTP 404 Not Found" {
			t.Fatalf("failing poll %d: %+v", i, st)
		}
	}
	if s.count("/index.html") != 1 {
		t.Fatalf("page fetched %d times while the feed failed", s.count("/index.html"))
	}
	res, st = h.poll()
	if res.Err != nil || st.EffectiveURL != h.srv.URL+"/feeds/all.rss" || !st.Discovered || st.ErrorsInRow != 0 {
		t.Fatalf("rediscovery: %+v, state %+v", res.Err, st)
	}

	// The page turns into a feed itself: discovery ends.
	s.set("/feeds/all.rss", 500, "text/plain", nil)
	s.set("/index.html", 200, "application/rss+xml", []byte(polltest.FeedRSS))
	for range read.RediscoverAfterErrors + 1 {
		_, st = h.poll()
	}
	if st.EffectiveURL != "" || st.Discovered || st.LastError != "" {
		t.Fatalf("page that became a feed: state %+v", st)
	}
}

// TestPoller_DiscoveryFailures pins the reasons of pages that lead to no
// feed.
func TestPoller_DiscoveryFailures(t *testing.T) {
	tests := []struct {
		name  string
		page  []byte
		feed  sitePage
		want  string
		tries int // fetches of the advertised feed
	}{
		{"page advertising nothing, holding no list", listPage(t, "no_list.html"), sitePage{}, parse.NoFeedReason + "; " + parse.NoListReason, 0},
		{"advertised feed missing", homePage(t, "/rss.xml"), sitePage{404, "text/plain", nil}, "advertised feed {{SRV}}/rss.xml: HTTP 404 Not Found", 1},
		{"advertised feed broken", homePage(t, "/rss.xml"), sitePage{200, "application/rss+xml", []byte(`<?xml version="1.0"?><rss version="2.0"><channel><item>`)},
			"advertised feed {{SRV}}/rss.xml: parse error at line 1: unexpected EOF", 1},
		{"advertised feed is another page", homePage(t, "/rss.xml"), sitePage{200, "text/html", homePage(t, "/other.xml")},
			"advertised feed {{SRV}}/rss.xml: not a feed: HTML page advertising {{SRV}}/other.xml", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newSite()
			s.set("/", 200, "text/html", tt.page)
			if tt.feed.status != 0 {
				s.set("/rss.xml", tt.feed.status, tt.feed.contentType, tt.feed.body)
			}
			h := newPollHarness(t, s)
			h.src.URL = h.srv.URL + "/"
			want := strings.ReplaceAll(tt.want, "{{SRV}}", h.srv.URL)
			for i := 1; i <= 2; i++ {
				if _, st := h.poll(); st.LastError != want || st.EffectiveURL != "" || st.Discovered {
					t.Fatalf("poll %d: last_error %q (effective %q), want %q", i, st.LastError, st.EffectiveURL, want)
				}
			}
			if got := s.count("/rss.xml"); got != 2*tt.tries || s.count("/other.xml") != 0 {
				t.Errorf("advertised feed fetched %d times, want %d", got, 2*tt.tries)
			}
		})
	}
}

// TestPoller_Scrape: a list page read with scrape: rules; items without a
// link are counted, and rules matching nothing fail the poll with their
// reason.
func TestPoller_Scrape(t *testing.T) {
	tests := []struct {
		name        string
		rules       model.Scrape
		wantNew     int
		wantSkipped int
		wantErr     string
	}{
		{"list", model.Scrape{Items: "ul.news-list > li", Date: "span.date", Summary: "p.intro"}, 4, 2, ""},
		{"pinned items left out by skip", model.Scrape{Items: "ul.news-list > li", Skip: "#line_u8_0"}, 3, 2, ""},
		{"items matching nothing", model.Scrape{Items: "ul.list > li"}, 0, 0, parse.NoItemsReason},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newSite()
			s.set("/xxyw.htm", 200, "text/html", fixture(t, "../../parse/testdata/list_ul.html"))
			h := newPollHarness(t, s)
			h.src.URL = h.srv.URL + "/xxyw.htm"
			h.src.Scrape = &tt.rules
			res, st := h.poll()
			if st.LastError != tt.wantErr || res.New != tt.wantNew || res.Skipped != tt.wantSkipped || st.Skipped != tt.wantSkipped {
				t.Errorf("poll: new %d, skipped %d (state %d), last_error %q; want %d, %d, %q",
					res.New, res.Skipped, st.Skipped, st.LastError, tt.wantNew, tt.wantSkipped, tt.wantErr)
			}
			if tt.wantErr == "" && st.Title != "学校要闻-示例学院" {
				t.Errorf("source title %q", st.Title)
			}
		})
	}
}

// TestPoller_ScrapeRulesChanged: new scrape: rules read an unchanged list
// page afresh, instead of waiting for the site to change it.
func TestPoller_ScrapeRulesChanged(t *testing.T) {
	s := newSite()
	s.set("/xxyw.htm", 200, "text/html", fixture(t, "../../parse/testdata/list_ul.html"))
	h := newPollHarness(t, s)
	h.src.URL = h.srv.URL + "/xxyw.htm"
	h.src.Scrape = &model.Scrape{Items: "ul.news-list > li"}
	if res, _ := h.poll(); res.Err != nil || res.New != 4 {
		t.Fatalf("first poll: %+v", res)
	}
	if res, _ := h.poll(); !res.SameBody {
		t.Fatalf("second poll parsed the same page again: %+v", res)
	}
	h.src.Scrape = &model.Scrape{Items: "ul.news-list > li", Summary: "p.intro"}
	if res, st := h.poll(); res.SameBody || res.Err != nil || st.ParseRules == "" {
		t.Errorf("poll after new rules: %+v, parse rules %q", res, st.ParseRules)
	}
	if res, _ := h.poll(); !res.SameBody {
		t.Errorf("the poll after that parsed the page again: %+v", res)
	}
}
