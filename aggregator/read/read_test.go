package read

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/tributary-rss/tributary/aggregator/fetch"
	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/aggregator/parse"
)

const feedRSS = `<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><ttl>60</ttl>
<item><title>a</title><guid>a</guid><link>https://example.com/a</link></item></channel></rss>`

// site serves a feed at /feed.xml (ETag "v1"), a page advertising it at
// /, a list page without a feed at /list.htm, a page advertising a broken
// feed at /broken/ and a plain login page at /login.
func site(t *testing.T) *httptest.Server {
	t.Helper()
	list, err := os.ReadFile("../parse/testdata/list_ul.html")
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/feed.xml", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("ETag", `"v1"`)
		if r.Header.Get("If-None-Match") == `"v1"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("Content-Type", "application/rss+xml")
		_, _ = w.Write([]byte(feedRSS))
	})
	mux.HandleFunc("/{$}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		_, _ = w.Write([]byte(`<html><head><link rel="alternate" type="application/rss+xml" href="/feed.xml"></head><body>home</body></html>`))
	})
	mux.HandleFunc("/broken/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		_, _ = w.Write([]byte(`<html><head><link rel="alternate" type="application/rss+xml" href="/gone.xml"></head><body>home</body></html>`))
	})
	mux.HandleFunc("/list.htm", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write(list)
	})
	mux.HandleFunc("/login", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		_, _ = w.Write([]byte(`<html><head><title>Login</title></head><body><form>user</form></body></html>`))
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

func TestReader_Read(t *testing.T) {
	srv := site(t)
	r := &Reader{Fetcher: fetch.New(fetch.Options{Timeout: 5 * time.Second})}
	tests := []struct {
		name      string
		path      string
		st        model.SourceState
		kind      Kind
		items     int
		unchanged bool
		detected  bool
		fetchURL  string // path of the last fetch
		reason    string // the error's reason; "" for none
	}{
		{name: "feed", path: "/feed.xml", kind: KindFeed, items: 1, fetchURL: "/feed.xml"},
		{name: "feed unchanged (304)", path: "/feed.xml", st: model.SourceState{ETag: `"v1"`}, unchanged: true, fetchURL: "/feed.xml"},
		{name: "page advertising a feed", path: "/", kind: KindDiscovered, items: 1, fetchURL: "/feed.xml"},
		{name: "discovered feed, read directly", path: "/", st: model.SourceState{Discovered: true, EffectiveURL: "SRV/feed.xml"},
			kind: KindFeed, items: 1, fetchURL: "/feed.xml"},
		{name: "discovered feed failing: back to the page", path: "/",
			st:   model.SourceState{Discovered: true, EffectiveURL: "SRV/feed.xml", ErrorsInRow: RediscoverAfterErrors},
			kind: KindDiscovered, items: 1, fetchURL: "/feed.xml"},
		{name: "list page by detection", path: "/list.htm", kind: KindList, items: 3, detected: true, fetchURL: "/list.htm"},
		{name: "advertised feed broken", path: "/broken/", kind: KindDiscovered, fetchURL: "/gone.xml",
			reason: "advertised feed SRV/gone.xml: HTTP 404 Not Found"},
		{name: "a feed URL turned into a page", path: "/login", st: model.SourceState{LastSuccess: time.Now()},
			kind: KindFeed, fetchURL: "/login", reason: parse.PageReason([]byte(`<html><head><title>Login</title></head><body><form>user</form></body></html>`))},
		{name: "page advertising nothing, listing nothing", path: "/login", kind: KindList, fetchURL: "/login",
			reason: parse.NoFeedReason + "; " + parse.NoListReason},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := tt.st
			st.EffectiveURL = strings.ReplaceAll(st.EffectiveURL, "SRV", srv.URL)
			src := model.Source{ID: "s", URL: srv.URL + tt.path, Location: time.UTC}
			res, err := r.Read(context.Background(), src, st)
			if tt.reason != "" {
				if err == nil || Reason(err) != strings.ReplaceAll(tt.reason, "SRV", srv.URL) {
					t.Fatalf("err = %v, reason %q; want %q", err, Reason(err), tt.reason)
				}
			} else if err != nil {
				t.Fatal(err)
			}
			if res.Kind != tt.kind || res.Unchanged != tt.unchanged || res.Detected != tt.detected || res.FetchURL != srv.URL+tt.fetchURL {
				t.Errorf("kind %v unchanged %v detected %v fetch %s; want %v %v %v %s",
					res.Kind, res.Unchanged, res.Detected, res.FetchURL, tt.kind, tt.unchanged, tt.detected, srv.URL+tt.fetchURL)
			}
			if got := 0; res.Feed != nil {
				got = len(res.Feed.Items)
				if got < tt.items || tt.items == 0 {
					t.Errorf("%d items, want %d", got, tt.items)
				}
			} else if tt.items > 0 {
				t.Errorf("no feed, want %d items", tt.items)
			}
			if tt.kind == KindFeed && tt.items > 0 && res.Hints.TTL != time.Hour {
				t.Errorf("feed hints %+v, want the feed's ttl", res.Hints)
			}
		})
	}
}

// The selectors detection chose are reused while they read the page, and
// detection runs again when the block they were chosen for changed.
func TestReader_recordedDetection(t *testing.T) {
	srv := site(t)
	r := &Reader{Fetcher: fetch.New(fetch.Options{Timeout: 5 * time.Second})}
	src := model.Source{ID: "s", URL: srv.URL + "/list.htm", Location: time.UTC}
	first, err := r.Read(context.Background(), src, model.SourceState{})
	if err != nil || !first.Detected {
		t.Fatalf("first read: %v, detected %v", err, first.Detected)
	}
	rules := first.Page.Rules
	st := model.SourceState{Detected: &rules, DetectedFrom: BlockFingerprint(nil)}
	again, err := r.Read(context.Background(), src, st)
	if err != nil || !again.Detected || again.Page.Lists != nil {
		t.Errorf("with recorded selectors: %v, detected %v, detection ran %v", err, again.Detected, again.Page.Lists != nil)
	}
	src.Scrape = &model.Scrape{Skip: "li.none"}
	fresh, err := r.Read(context.Background(), src, st)
	if err != nil || fresh.Page.Lists == nil {
		t.Errorf("after the block changed: %v, detection ran %v", err, fresh.Page != nil && fresh.Page.Lists != nil)
	}
}

func TestReason(t *testing.T) {
	inner := &parse.ParseError{Reason: "not a feed: HTML page"}
	tests := []struct {
		err  error
		want string
	}{
		{inner, "not a feed: HTML page"},
		{&DiscoveryError{FeedURL: "https://a/feed", Err: inner}, "advertised feed https://a/feed: not a feed: HTML page"},
		{errors.New("plain"), "plain"},
	}
	for _, tt := range tests {
		if got := Reason(tt.err); got != tt.want {
			t.Errorf("Reason(%v) = %q, want %q", tt.err, got, tt.want)
		}
	}
}
