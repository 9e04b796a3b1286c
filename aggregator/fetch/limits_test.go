package fetch

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
)

// An HTML page is bounded by MaxHTMLBytes, a feed by MaxBodyBytes only:
// a DOM costs ten to thirty times its page, a feed's parse far less.
func TestFetcher_FetchHTMLLimit(t *testing.T) {
	const htmlLimit = 64 << 10
	page := func(n int) []byte {
		return []byte("<!DOCTYPE html><html><body><ul>" + strings.Repeat("<li>x</li>", n/10) + "</ul></body></html>")
	}
	rss := func(n int) []byte {
		return []byte(`<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>` +
			strings.Repeat("<item><title>x</title></item>", n/29) + "</channel></rss>")
	}
	tests := []struct {
		name    string
		body    []byte
		ctype   string
		wantErr bool
	}{
		{"page within the limit", page(htmlLimit - 1000), "text/html", false},
		{"page over the limit", page(2 * htmlLimit), "text/html", true},
		{"page over the limit sent as a feed", page(2 * htmlLimit), "application/rss+xml", true},
		{"page over the limit gzipped", gzipBytes(t, page(2*htmlLimit)), "text/html", true},
		{"feed over the HTML limit", rss(2 * htmlLimit), "application/rss+xml", false},
		{"feed over the HTML limit sent as text/html", rss(2 * htmlLimit), "text/html", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			headers := map[string]string{"Content-Type": tt.ctype}
			if bytes.HasPrefix(tt.body, []byte(gzipMagic)) {
				headers["Content-Encoding"] = "gzip"
			}
			srv := newServer(t, serveBytes(tt.body, headers))
			f := New(Options{MaxBodyBytes: 1 << 20, MaxHTMLBytes: htmlLimit})
			res, err := f.Fetch(context.Background(), Request{URL: srv.URL})
			if !tt.wantErr {
				if err != nil {
					t.Fatalf("err = %v, want the body", err)
				}
				if len(res.Body) == 0 {
					t.Fatal("empty body")
				}
				return
			}
			if !errors.Is(err, ErrBodyTooLarge) {
				t.Fatalf("err = %v, want ErrBodyTooLarge", err)
			}
			want := fmt.Sprintf("HTML page larger than %d bytes (fetch.max_html_bytes)", htmlLimit)
			var fe *Error
			if !errors.As(err, &fe) || fe.Reason != want {
				t.Errorf("reason = %q, want %q", fe.Reason, want)
			}
			if !strings.Contains(err.Error(), want) {
				t.Errorf("err = %q, want it to contain %q", err, want)
			}
		})
	}
}

// TestNew_htmlLimitDefault pins the default HTML limit: 4 MiB, the
// config's default.
func TestNew_htmlLimitDefault(t *testing.T) {
	if got := New(Options{}).maxHTML; got != DefaultMaxHTMLBytes || DefaultMaxHTMLBytes != 4<<20 {
		t.Errorf("maxHTML = %d (DefaultMaxHTMLBytes %d), want 4 MiB", got, DefaultMaxHTMLBytes)
	}
}

// headerRecorder is a server that remembers the headers of each request.
type headerRecorder struct {
	mu  sync.Mutex
	got []http.Header
}

func (h *headerRecorder) record(r *http.Request) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.got = append(h.got, r.Header.Clone())
}

func (h *headerRecorder) requests() []http.Header {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.got
}

// A source's own headers and any credentials go only to the origin
// (scheme, host and port) the fetch started at: a redirect to another
// host (here another port of 127.0.0.1, which net/http takes for the same
// domain and sends Cookie and Authorization to) gets none of them, a
// redirect within the origin keeps them, and so does a return to it.
func TestFetcher_FetchRedirectHeaders(t *testing.T) {
	private := map[string]string{
		"X-Api-Key": "secret-key", "Cookie": "session=s", "Authorization": "Bearer t", "User-Agent": "CampusBot/1.0",
	}
	stripped := []string{"X-Api-Key", "Cookie", "Authorization"}
	tests := []struct {
		name string
		// hops is the path through servers "a" (where the fetch starts)
		// and "b": each letter is one request.
		hops     string
		wantKept string // which requests, by hop letter position, keep the headers
	}{
		{"same host", "aa", "yy"},
		{"other host", "ab", "yn"},
		{"other host and back", "aba", "yny"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			recs := map[byte]*headerRecorder{'a': {}, 'b': {}}
			servers := map[byte]string{}
			var order []*headerRecorder
			var mu sync.Mutex
			handler := func(name byte) http.HandlerFunc {
				return func(w http.ResponseWriter, r *http.Request) {
					recs[name].record(r)
					mu.Lock()
					order = append(order, recs[name])
					step := len(order)
					mu.Unlock()
					if step < len(tt.hops) {
						next := tt.hops[step]
						http.Redirect(w, r, fmt.Sprintf("%s/hop%d", servers[next], step), http.StatusFound)
						return
					}
					_, _ = w.Write([]byte(tinyRSS))
				}
			}
			servers['a'] = newServer(t, handler('a')).URL
			servers['b'] = newServer(t, handler('b')).URL
			_, err := New(Options{}).Fetch(context.Background(), Request{URL: servers['a'] + "/feed", Headers: private})
			if err != nil {
				t.Fatal(err)
			}
			if len(order) != len(tt.hops) {
				t.Fatalf("%d requests, want %d", len(order), len(tt.hops))
			}
			seen := map[*headerRecorder]int{}
			for i, rec := range order {
				h := rec.requests()[seen[rec]]
				seen[rec]++
				if ua := h.Get("User-Agent"); ua != "CampusBot/1.0" {
					t.Errorf("request %d: User-Agent = %q, want the source's", i+1, ua)
				}
				for _, k := range stripped {
					got := h.Get(k)
					if tt.wantKept[i] == 'y' && got != private[k] {
						t.Errorf("request %d (server %c): %s = %q, want %q", i+1, tt.hops[i], k, got, private[k])
					}
					if tt.wantKept[i] == 'n' && got != "" {
						t.Errorf("request %d (server %c): %s = %q sent to another host", i+1, tt.hops[i], k, got)
					}
				}
			}
		})
	}
}

func TestSameOrigin(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{"https://example.edu.cn/rss", "https://example.edu.cn/a/b.htm", true},
		{"https://example.edu.cn/rss", "https://EXAMPLE.edu.cn:443/x", true},
		{"http://example.edu.cn/rss", "http://example.edu.cn:80/x", true},
		{"https://example.edu.cn/rss", "http://example.edu.cn/x", false},
		{"http://example.edu.cn/rss", "https://example.edu.cn/x", true},
		{"http://example.edu.cn:8080/rss", "https://example.edu.cn/x", false},
		{"https://example.edu.cn/rss", "https://example.edu.cn:8443/x", false},
		{"https://example.edu.cn/rss", "https://news.example.edu.cn/x", false},
		{"https://example.edu.cn/rss", "https://example.edu.cn.evil.test/x", false},
		{"http://127.0.0.1:8080/", "http://127.0.0.1:8081/", false},
	}
	for _, tt := range tests {
		if got := SameOrigin(tt.a, tt.b); got != tt.want {
			t.Errorf("SameOrigin(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}
