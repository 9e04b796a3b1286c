package poll

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tributary-rss/tributary/aggregator/fetch"
	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/aggregator/normalize"
	"github.com/tributary-rss/tributary/aggregator/parse"
	"github.com/tributary-rss/tributary/aggregator/scheduler/plan/plantest"
)

// keyHost is a web host for header tests: each path redirects or answers
// with a body, and the X-Api-Key each path received is recorded.
type keyHost struct {
	srv    *httptest.Server
	mu     sync.Mutex
	routes map[string]func(w http.ResponseWriter, r *http.Request)
	keys   map[string][]string // path → X-Api-Key of each request
}

func newKeyHost(t *testing.T) *keyHost {
	t.Helper()
	h := &keyHost{routes: map[string]func(http.ResponseWriter, *http.Request){}, keys: map[string][]string{}}
	h.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.mu.Lock()
		h.keys[r.URL.Path] = append(h.keys[r.URL.Path], r.Header.Get("X-Api-Key"))
		route := h.routes[r.URL.Path]
		h.mu.Unlock()
		if route == nil {
			http.NotFound(w, r)
			return
		}
		route(w, r)
	}))
	t.Cleanup(h.srv.Close)
	return h
}

func (h *keyHost) redirect(path, to string, code int) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.routes[path] = func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, to, code) }
}

func (h *keyHost) serve(path, contentType, body string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.routes[path] = func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", contentType)
		_, _ = w.Write([]byte(body))
	}
}

// received is the X-Api-Key values path got, one per request.
func (h *keyHost) received(path string) []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]string(nil), h.keys[path]...)
}

// keyFeed is an RSS feed whose one item links to link.
func keyFeed(link string) string {
	return `<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><link>` + link + `</link>` +
		`<item><title>通知</title><link>` + link + `</link><guid>` + link + `</guid><pubDate>Mon, 30 Nov 2026 08:00:00 GMT</pubDate></item></channel></rss>`
}

const keyArticle = `<!DOCTYPE html><html><head><title>通知</title></head><body><div class="v_news_content"><p>正文第一段，足够长的文字。</p></div></body></html>`

// times is n copies of v.
func times(v string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = v
	}
	return out
}

func newKeyPoller(t *testing.T) *Poller {
	t.Helper()
	return New(newDueStore(t), fetch.New(fetch.Options{Timeout: 5 * time.Second}), normalize.New(normalize.Options{}),
		[]model.Section{{ID: "news", MaxItems: 10}}, slog.New(slog.DiscardHandler))
}

// A source's headers (an API key) reach only its own host: not the host
// a redirect of the feed leads to, on that poll or later ones (a
// permanent redirect makes the other host's URL the one polled), and not
// the host an article link redirects to. A redirect within the host keeps
// them.
func TestPoller_headersStayWithHost(t *testing.T) {
	// Enough polls for a permanent redirect to be adopted.
	const polls = PermanentRedirectPolls + 1
	tests := []struct {
		name string
		// setup routes a and b; the source is a's /feed.
		setup func(a, b *keyHost)
		// want maps "a/path" or "b/path" to the keys each request got.
		want map[string][]string
	}{
		{
			name: "feed redirected to another host",
			setup: func(a, b *keyHost) {
				a.redirect("/feed", b.srv.URL+"/feed.xml", http.StatusFound)
				b.serve("/feed.xml", "application/rss+xml", keyFeed(a.srv.URL+"/art"))
			},
			want: map[string][]string{"a/feed": times("k", polls), "b/feed.xml": times("", polls)},
		},
		{
			name: "feed moved to another host for good",
			setup: func(a, b *keyHost) {
				a.redirect("/feed", b.srv.URL+"/feed.xml", http.StatusMovedPermanently)
				b.serve("/feed.xml", "application/rss+xml", keyFeed(a.srv.URL+"/art"))
			},
			// The last poll goes to b directly.
			want: map[string][]string{"a/feed": times("k", polls-1), "b/feed.xml": times("", polls)},
		},
		{
			name: "feed redirected within the host",
			setup: func(a, _ *keyHost) {
				a.redirect("/feed", a.srv.URL+"/feed.xml", http.StatusFound)
				a.serve("/feed.xml", "application/rss+xml", keyFeed(a.srv.URL+"/art"))
			},
			want: map[string][]string{"a/feed": times("k", polls), "a/feed.xml": times("k", polls)},
		},
		{
			name: "article redirected to another host",
			setup: func(a, b *keyHost) {
				a.serve("/feed", "application/rss+xml", keyFeed(a.srv.URL+"/art"))
				a.redirect("/art", b.srv.URL+"/art.htm", http.StatusFound)
				b.serve("/art.htm", "text/html; charset=utf-8", keyArticle)
			},
			want: map[string][]string{"a/art": {"k"}, "b/art.htm": {""}},
		},
		{
			name: "article redirected within the host",
			setup: func(a, _ *keyHost) {
				a.serve("/feed", "application/rss+xml", keyFeed(a.srv.URL+"/art"))
				a.redirect("/art", a.srv.URL+"/art.htm", http.StatusFound)
				a.serve("/art.htm", "text/html; charset=utf-8", keyArticle)
			},
			want: map[string][]string{"a/art": {"k"}, "a/art.htm": {"k"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, b := newKeyHost(t), newKeyHost(t)
			a.serve("/art", "text/html; charset=utf-8", keyArticle) // the article cases redirect it
			tt.setup(a, b)
			p := newKeyPoller(t)
			src := model.Source{ID: "s1", URL: a.srv.URL + "/feed", Schedule: "@every 15m", Location: time.UTC,
				SectionIDs: []string{"news"}, Headers: map[string]string{"X-Api-Key": "k"},
				Content: &model.Content{Fetch: true}}
			for i := range polls {
				if res := p.Poll(context.Background(), src, plantest.QuarterHourly()); res.Err != nil {
					t.Fatalf("poll %d: %v", i+1, res.Err)
				}
			}
			if res := p.FetchArticles(context.Background(), src); res.OK != 1 {
				t.Fatalf("articles: %+v, want 1 fetched", res)
			}
			hosts := map[string]*keyHost{"a": a, "b": b}
			for where, want := range tt.want {
				host, path, _ := strings.Cut(where, "/")
				if got := hosts[host].received("/" + path); fmt.Sprint(got) != fmt.Sprint(want) {
					t.Errorf("%s got X-Api-Key %q, want %q", where, got, want)
				}
			}
		})
	}
}

// A list page over the parser's element bound is cut, not refused: the
// poll stores its first items and says it was cut.
func TestPoller_listPageCut(t *testing.T) {
	a := newKeyHost(t)
	var page strings.Builder
	page.WriteString(`<!DOCTYPE html><html><head><title>通知公告</title></head><body><ul class="list">`)
	for i := range 400 {
		fmt.Fprintf(&page, `<li><a href="/info/%d.htm">通知 %d</a><span>2026-11-%02d</span></li>`, i, i, 1+i%28)
	}
	page.WriteString(`</ul></body></html>`)
	a.serve("/list.htm", "text/html; charset=utf-8", page.String())
	p := newKeyPoller(t)
	p.HTML = parse.NewLimiter(1)
	// 5 elements of chrome, then 3 per item: 31 whole items, and the li
	// and link of the 32nd.
	p.HTML.MaxElements = 100
	src := model.Source{ID: "s1", URL: a.srv.URL + "/list.htm", Schedule: "@every 15m", Location: time.UTC,
		SectionIDs: []string{"news"}, Scrape: &model.Scrape{Items: "ul.list > li", Date: "span"}}
	res := p.Poll(context.Background(), src, plantest.QuarterHourly())
	if res.Err != nil {
		t.Fatal(res.Err)
	}
	if res.PageCut != 100 || res.New != 32 {
		t.Errorf("PageCut %d, %d new; want 100, 32", res.PageCut, res.New)
	}
}
