package fetch

import (
	"bytes"
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/net/http/httpproxy"
)

const tinyRSS = `<?xml version="1.0"?><rss version="2.0"><channel><title>t</title></channel></rss>`

func TestFetcher_FetchRedirects(t *testing.T) {
	tests := []struct {
		name          string
		chain         []int // status of each hop before the feed
		wantPermanent int   // index of the hop whose target is PermanentURL; -1 for none
	}{
		{"302 followed", []int{302}, -1},
		{"307 followed", []int{307}, -1},
		{"301", []int{301}, 0},
		{"308", []int{308}, 0},
		{"301 then 301", []int{301, 301}, 1},
		{"301 then 302", []int{301, 302}, 0},
		{"302 then 301", []int{302, 301}, -1},
		{"five hops", []int{302, 302, 302, 302, 302}, -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mux := http.NewServeMux()
			srv := newServer(t, mux.ServeHTTP)
			hop := func(i int) string { return "/hop" + string(rune('a'+i)) }
			for i, code := range tt.chain {
				mux.HandleFunc(hop(i), func(w http.ResponseWriter, r *http.Request) {
					http.Redirect(w, r, hop(i+1), code)
				})
			}
			mux.HandleFunc(hop(len(tt.chain)), serveBytes([]byte(tinyRSS), nil))
			res, err := New(Options{}).Fetch(context.Background(), Request{URL: srv.URL + hop(0)})
			if err != nil {
				t.Fatal(err)
			}
			if want := srv.URL + hop(len(tt.chain)); res.URL != want {
				t.Errorf("URL = %q, want %q", res.URL, want)
			}
			want := ""
			if tt.wantPermanent >= 0 {
				want = srv.URL + hop(tt.wantPermanent+1)
			}
			if res.PermanentURL != want {
				t.Errorf("PermanentURL = %q, want %q", res.PermanentURL, want)
			}
		})
	}
}

func TestFetcher_FetchRedirectErrors(t *testing.T) {
	tests := []struct {
		name       string
		handler    func(srvURL string) http.HandlerFunc
		wantReason string
	}{
		{"loop", func(string) http.HandlerFunc {
			return func(w http.ResponseWriter, r *http.Request) {
				next := map[string]string{"/a": "/b", "/b": "/a"}[r.URL.Path]
				http.Redirect(w, r, next, http.StatusFound)
			}
		}, "redirect: loop back to"},
		{"six hops", func(string) http.HandlerFunc {
			return func(w http.ResponseWriter, r *http.Request) {
				http.Redirect(w, r, r.URL.Path+"x", http.StatusFound)
			}
		}, "redirect: more than 5 hops"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newServer(t, tt.handler(""))
			_, err := New(Options{}).Fetch(context.Background(), Request{URL: srv.URL + "/a"})
			if !errors.Is(err, ErrRedirect) {
				t.Fatalf("err = %v, want ErrRedirect", err)
			}
			if got := reason(err); !strings.HasPrefix(got, tt.wantReason) {
				t.Errorf("Reason = %q, want prefix %q", got, tt.wantReason)
			}
		})
	}
}

// closedPort returns a loopback address nobody listens on.
func closedPort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

func TestReason(t *testing.T) {
	bomb := gzipBytes(t, bytes.Repeat([]byte("a"), 4096))
	tests := []struct {
		name    string
		url     func(t *testing.T) string
		opts    Options
		want    string
		wantPfx bool
	}{
		{"timeout", func(t *testing.T) string {
			return newServer(t, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Length", "100")
				w.WriteHeader(200)
				w.(http.Flusher).Flush()
				<-r.Context().Done()
			}).URL
		}, Options{Timeout: 100 * time.Millisecond}, "timeout after 100ms", false},
		{"header timeout", func(t *testing.T) string {
			return newServer(t, func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() }).URL
		}, Options{HeaderTimeout: 100 * time.Millisecond}, "timeout after 100ms waiting for response headers", false},
		{"connection refused", func(t *testing.T) string { return "http://" + closedPort(t) + "/" },
			Options{}, "connection refused", false},
		{"TLS error", func(t *testing.T) string {
			srv := httptest.NewTLSServer(serveBytes([]byte(tinyRSS), nil))
			t.Cleanup(srv.Close)
			return srv.URL // its certificate is not trusted
		}, Options{}, "TLS error: ", true},
		{"HTTP status", func(t *testing.T) string {
			return newServer(t, func(w http.ResponseWriter, r *http.Request) { http.NotFound(w, r) }).URL
		}, Options{}, "HTTP 404 Not Found", false},
		{"gone", func(t *testing.T) string {
			return newServer(t, func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(410) }).URL
		}, Options{}, "HTTP 410 Gone", false},
		{"body over the limit", func(t *testing.T) string {
			return newServer(t, serveChunked(bytes.Repeat([]byte("a"), 2048))).URL
		}, Options{MaxBodyBytes: 1024}, "body over the 1024-byte limit", false},
		{"decompressed body over the limit", func(t *testing.T) string {
			return newServer(t, serveBytes(bomb, map[string]string{"Content-Encoding": "gzip"})).URL
		}, Options{MaxBodyBytes: 1024}, "decompressed body over the 1024-byte limit", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := New(tt.opts).Fetch(context.Background(), Request{URL: tt.url(t)})
			if err == nil {
				t.Fatal("Fetch succeeded")
			}
			got := reason(err)
			if tt.wantPfx && !strings.HasPrefix(got, tt.want) || !tt.wantPfx && got != tt.want {
				t.Errorf("Reason = %q, want %q (err %v)", got, tt.want, err)
			}
		})
	}
}

func TestFetcher_FetchPerHost(t *testing.T) {
	var inFlight, peak atomic.Int32
	release := make(chan struct{})
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		n := inFlight.Add(1)
		for p := peak.Load(); n > p && !peak.CompareAndSwap(p, n); p = peak.Load() {
		}
		<-release
		inFlight.Add(-1)
		_, _ = w.Write([]byte(tinyRSS))
	})
	f := New(Options{PerHost: 2})
	done := make(chan error)
	for range 6 {
		go func() {
			_, err := f.Fetch(context.Background(), Request{URL: srv.URL})
			done <- err
		}()
	}
	// Wait until two fetches are at the server and the other four wait for
	// a slot (polling a condition, not sleeping for a guessed time).
	host := strings.TrimPrefix(srv.URL, "http://")
	waiting := func() int {
		f.hosts.mu.Lock()
		defer f.hosts.mu.Unlock()
		if s := f.hosts.slots[host]; s != nil {
			return s.users
		}
		return 0
	}
	deadline := time.Now().Add(5 * time.Second)
	for (inFlight.Load() < 2 || waiting() < 6) && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	if n := inFlight.Load(); n != 2 {
		t.Errorf("%d fetches reached the host at once, want 2", n)
	}
	close(release)
	for range 6 {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
	if p := peak.Load(); p != 2 {
		t.Errorf("peak concurrent fetches to one host = %d, want 2", p)
	}
}

func TestFetcher_FetchProxy(t *testing.T) {
	var seen atomic.Value
	proxy := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		seen.Store(r.URL.String()) // a proxied request carries the absolute URL
		_, _ = w.Write([]byte(tinyRSS))
	})
	// The same function http.ProxyFromEnvironment uses, fed HTTP_PROXY as
	// the environment would; a non-loopback feed host, since loopback
	// addresses are never proxied.
	cfg := httpproxy.Config{HTTPProxy: proxy.URL}
	pf := cfg.ProxyFunc()
	f := New(Options{Proxy: func(r *http.Request) (*url.URL, error) { return pf(r.URL) }})
	res, err := f.Fetch(context.Background(), Request{URL: "http://feeds.example.test/rss.xml"})
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := seen.Load().(string); got != "http://feeds.example.test/rss.xml" {
		t.Errorf("proxy saw %q", got)
	}
	if !bytes.Contains(res.Body, []byte("<title>t</title>")) {
		t.Errorf("body = %q", res.Body)
	}
}

func TestFetcher_FetchExtraHeaders(t *testing.T) {
	var got http.Header
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		got = r.Header.Clone()
		_, _ = w.Write([]byte(tinyRSS))
	})
	req := Request{URL: srv.URL, ETag: `"v1"`, Headers: map[string]string{
		"X-Api-Key": "k", "If-None-Match": "overridden?", "Accept-Encoding": "br",
	}}
	if _, err := New(Options{}).Fetch(context.Background(), req); err != nil {
		t.Fatal(err)
	}
	tests := []struct{ header, want string }{
		{"X-Api-Key", "k"},
		{"If-None-Match", `"v1"`},
		{"Accept-Encoding", "gzip"},
	}
	for _, tt := range tests {
		if v := got.Get(tt.header); v != tt.want {
			t.Errorf("%s = %q, want %q", tt.header, v, tt.want)
		}
	}
}

func TestParseCacheHints(t *testing.T) {
	exp := time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		h    map[string]string
		want CacheHints
	}{
		{"none", nil, CacheHints{}},
		{"max-age", map[string]string{"Cache-Control": "public, max-age=600"}, CacheHints{MaxAge: 10 * time.Minute}},
		{"s-maxage wins", map[string]string{"Cache-Control": "max-age=60, s-maxage=120"}, CacheHints{MaxAge: 2 * time.Minute}},
		{"expires", map[string]string{"Expires": exp.Format(http.TimeFormat)}, CacheHints{Expires: exp}},
		{"max-age beats expires", map[string]string{"Cache-Control": "max-age=5", "Expires": exp.Format(http.TimeFormat)}, CacheHints{MaxAge: 5 * time.Second}},
		{"no-cache", map[string]string{"Cache-Control": "no-cache", "Expires": exp.Format(http.TimeFormat)}, CacheHints{NoCache: true}},
		{"bad", map[string]string{"Cache-Control": "max-age=-3", "Expires": "0"}, CacheHints{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := http.Header{}
			for k, v := range tt.h {
				h.Set(k, v)
			}
			if got := parseCacheHints(h); got != tt.want {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestFetcher_FetchSameBody(t *testing.T) {
	gbk := readFixture(t, "gbk.rss")
	srv := newServer(t, serveBytes(gbk, map[string]string{"Content-Type": "application/rss+xml; charset=gbk"}))
	f := New(Options{})
	first, err := f.Fetch(context.Background(), Request{URL: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		hash     string
		wantSame bool
	}{
		{"no hash", "", false},
		{"same hash", first.BodyHash, true},
		{"other hash", strings.Repeat("0", 64), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := f.Fetch(context.Background(), Request{URL: srv.URL, BodyHash: tt.hash})
			if err != nil {
				t.Fatal(err)
			}
			if res.SameBody != tt.wantSame || (res.Body == nil) != tt.wantSame || res.BodyHash != first.BodyHash {
				t.Errorf("SameBody %v, body %d bytes, hash %s; want same=%v", res.SameBody, len(res.Body), res.BodyHash, tt.wantSame)
			}
		})
	}
}

// FuzzParseCacheHints: any header values give non-negative, bounded hints
// and never panic.
func FuzzParseCacheHints(f *testing.F) {
	f.Add("max-age=600", "")
	f.Add("", "Wed, 21 Oct 2015 07:28:00 GMT")
	f.Fuzz(func(t *testing.T, cc, expires string) {
		h := http.Header{"Cache-Control": {cc}, "Expires": {expires}}
		c := parseCacheHints(h)
		if c.MaxAge < 0 || c.MaxAge > 366*24*time.Hour {
			t.Errorf("MaxAge %v out of range for %q", c.MaxAge, cc)
		}
	})
}
