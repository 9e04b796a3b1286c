package fetch

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/xml"
	"errors"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// rssDoc is just enough RSS to check titles. encoding/xml refuses any
// declared encoding but UTF-8, so unmarshalling also proves the declaration
// was rewritten.
type rssDoc struct {
	Channel struct {
		Title string `xml:"title"`
		Items []struct {
			Title string `xml:"title"`
		} `xml:"item"`
	} `xml:"channel"`
}

// readFixture reads testdata/name; a name starting with ../ is another
// package's (the list pages live once, with the parser's fixtures).
func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func gzipBytes(t testing.TB, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func newServer(t *testing.T, h http.HandlerFunc) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

// serveBytes answers every request with body and the given headers.
func serveBytes(body []byte, headers map[string]string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		for k, v := range headers {
			w.Header().Set(k, v)
		}
		_, _ = w.Write(body)
	}
}

func TestFetcher_Fetch(t *testing.T) {
	gbk := readFixture(t, "gbk.rss")
	tests := []struct {
		name        string
		body        []byte
		headers     map[string]string
		wantCharset string
		wantChannel string
		wantItem    string
	}{
		{"utf-8", readFixture(t, "utf8.rss"), map[string]string{"Content-Type": "application/rss+xml; charset=utf-8"}, "utf-8", "资讯", "学院新闻"},
		{"gbk declared", gbk, map[string]string{"Content-Type": "text/xml"}, "gbk", "新闻", "学院资讯"},
		{"gbk declaration beats header utf-8", gbk, map[string]string{"Content-Type": "text/xml; charset=utf-8"}, "gbk", "新闻", "学院资讯"},
		{"gb2312 declared holding gb18030", readFixture(t, "gb2312-gb18030.rss"), nil, "gb2312", "学院", "朱镕基 䶮 𠮷 资讯"},
		{"big5 declared", readFixture(t, "big5.rss"), map[string]string{"Content-Type": "application/rss+xml"}, "big5", "資訊 新聞", "學院公告"},
		{"gbk from content-type only", readFixture(t, "gbk-nodecl.rss"), map[string]string{"Content-Type": "application/xml; charset=GBK"}, "gbk", "新闻 学院", "资讯"},
		{"gbk undeclared sniffed", readFixture(t, "gbk-nodecl.rss"), map[string]string{"Content-Type": "application/xml"}, "gb18030", "新闻 学院", "资讯"},
		{"gzip content-encoding", gzipBytes(t, gbk), map[string]string{"Content-Encoding": "gzip", "Content-Type": "text/xml"}, "gbk", "新闻", "学院资讯"},
		{"gzip without content-encoding", gzipBytes(t, gbk), map[string]string{"Content-Type": "application/octet-stream"}, "gbk", "新闻", "学院资讯"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newServer(t, serveBytes(tt.body, tt.headers))
			res, err := New(Options{}).Fetch(context.Background(), Request{URL: srv.URL})
			if err != nil {
				t.Fatalf("Fetch: %v", err)
			}
			if res.StatusCode != http.StatusOK || res.NotModified {
				t.Errorf("status = %d, not modified = %v; want 200, false", res.StatusCode, res.NotModified)
			}
			if res.Charset != tt.wantCharset {
				t.Errorf("Charset = %q, want %q", res.Charset, tt.wantCharset)
			}
			if res.ContentType != tt.headers["Content-Type"] && tt.headers["Content-Type"] != "" {
				t.Errorf("ContentType = %q, want %q", res.ContentType, tt.headers["Content-Type"])
			}
			if !utf8.Valid(res.Body) {
				t.Fatalf("body is not UTF-8: %q", res.Body)
			}
			var doc rssDoc
			if err := xml.Unmarshal(res.Body, &doc); err != nil {
				t.Fatalf("unmarshal converted body: %v\n%s", err, res.Body)
			}
			if doc.Channel.Title != tt.wantChannel {
				t.Errorf("channel title = %q, want %q", doc.Channel.Title, tt.wantChannel)
			}
			if len(doc.Channel.Items) != 1 || doc.Channel.Items[0].Title != tt.wantItem {
				t.Errorf("items = %+v, want one titled %q", doc.Channel.Items, tt.wantItem)
			}
		})
	}
}

func TestFetcher_FetchRedirect(t *testing.T) {
	feed := readFixture(t, "utf8.rss")
	mux := http.NewServeMux()
	mux.HandleFunc("/old", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/new.xml", http.StatusMovedPermanently)
	})
	mux.HandleFunc("/new.xml", serveBytes(feed, nil))
	srv := newServer(t, mux.ServeHTTP)

	res, err := New(Options{}).Fetch(context.Background(), Request{URL: srv.URL + "/old"})
	if err != nil {
		t.Fatal(err)
	}
	if want := srv.URL + "/new.xml"; res.URL != want {
		t.Errorf("URL = %q, want %q", res.URL, want)
	}
	if !bytes.Equal(res.Body, feed) {
		t.Errorf("clean UTF-8 body was changed:\n%s", res.Body)
	}
}

func TestFetcher_FetchHeaders(t *testing.T) {
	tests := []struct {
		name   string
		opts   Options
		wantUA string
	}{
		{"default", Options{}, "Tributary/dev (+https://github.com/tributary-rss/tributary)"},
		{"version", Options{Version: "1.2.3"}, "Tributary/1.2.3 (+https://github.com/tributary-rss/tributary)"},
		{"custom", Options{UserAgent: "Tributary/9 custom", Version: "1.2.3"}, "Tributary/9 custom"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := make(chan http.Header, 1)
			srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
				got <- r.Header.Clone()
				_, _ = w.Write([]byte("<rss/>"))
			})
			if _, err := New(tt.opts).Fetch(context.Background(), Request{URL: srv.URL}); err != nil {
				t.Fatal(err)
			}
			h := <-got
			checks := map[string]string{
				"User-Agent":      tt.wantUA,
				"Accept":          acceptHeader,
				"Accept-Encoding": "gzip",
				"If-None-Match":   "",
			}
			for k, want := range checks {
				if h.Get(k) != want {
					t.Errorf("%s = %q, want %q", k, h.Get(k), want)
				}
			}
			if !strings.Contains(h.Get("User-Agent"), "Tributary/") {
				t.Errorf("User-Agent %q lacks Tributary/", h.Get("User-Agent"))
			}
		})
	}
}

func TestFetcher_FetchNotModified(t *testing.T) {
	const etag, lastMod = `"v1"`, "Sat, 01 Mar 2025 08:00:00 GMT"
	tests := []struct {
		name      string
		echo      bool // the server repeats the validators on its 304
		wantETag  string
		wantLastM string
	}{
		{"validators echoed", true, etag, lastMod},
		{"validators omitted keep the request's", false, etag, lastMod},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := make(chan http.Header, 1)
			srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
				got <- r.Header.Clone()
				if r.Header.Get("If-None-Match") != etag || r.Header.Get("If-Modified-Since") != lastMod {
					w.Header().Set("ETag", `"v2"`)
					_, _ = w.Write([]byte("<rss/>"))
					return
				}
				if tt.echo {
					w.Header().Set("ETag", etag)
					w.Header().Set("Last-Modified", lastMod)
				}
				w.WriteHeader(http.StatusNotModified)
			})
			res, err := New(Options{}).Fetch(context.Background(), Request{URL: srv.URL, ETag: etag, LastModified: lastMod})
			if err != nil {
				t.Fatal(err)
			}
			h := <-got
			if h.Get("If-None-Match") != etag || h.Get("If-Modified-Since") != lastMod {
				t.Errorf("server got If-None-Match %q, If-Modified-Since %q", h.Get("If-None-Match"), h.Get("If-Modified-Since"))
			}
			if !res.NotModified || res.StatusCode != http.StatusNotModified || res.Body != nil {
				t.Errorf("got NotModified=%v status=%d body=%q; want true, 304, nil", res.NotModified, res.StatusCode, res.Body)
			}
			if res.ETag != tt.wantETag || res.LastModified != tt.wantLastM {
				t.Errorf("validators = %q, %q; want %q, %q", res.ETag, res.LastModified, tt.wantETag, tt.wantLastM)
			}
		})
	}
}

func TestFetcher_FetchNewValidators(t *testing.T) {
	srv := newServer(t, serveBytes([]byte("<rss/>"), map[string]string{
		"ETag": `"abc"`, "Last-Modified": "Sun, 02 Mar 2025 09:00:00 GMT",
	}))
	res, err := New(Options{}).Fetch(context.Background(), Request{URL: srv.URL, ETag: `"old"`})
	if err != nil {
		t.Fatal(err)
	}
	if res.ETag != `"abc"` || res.LastModified != "Sun, 02 Mar 2025 09:00:00 GMT" {
		t.Errorf("validators = %q, %q", res.ETag, res.LastModified)
	}
}

func TestFetcher_FetchStatusError(t *testing.T) {
	tests := []struct {
		code       int
		retryAfter string
		wantMsg    string
	}{
		{http.StatusNotFound, "", "http 404 Not Found"},
		{http.StatusInternalServerError, "", "http 500 Internal Server Error"},
		{http.StatusServiceUnavailable, "120", "http 503 Service Unavailable"},
		{http.StatusTooManyRequests, "Wed, 21 Oct 2026 07:28:00 GMT", "http 429 Too Many Requests"},
	}
	for _, tt := range tests {
		t.Run(http.StatusText(tt.code), func(t *testing.T) {
			srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
				if tt.retryAfter != "" {
					w.Header().Set("Retry-After", tt.retryAfter)
				}
				http.Error(w, "nope", tt.code)
			})
			_, err := New(Options{}).Fetch(context.Background(), Request{URL: srv.URL})
			var se *StatusError
			if !errors.As(err, &se) {
				t.Fatalf("err = %v, want a *StatusError", err)
			}
			if se.Code != tt.code || se.RetryAfter != tt.retryAfter {
				t.Errorf("StatusError = %+v, want code %d, Retry-After %q", se, tt.code, tt.retryAfter)
			}
			if want := "fetch " + srv.URL + ": " + tt.wantMsg; err.Error() != want {
				t.Errorf("err = %q, want %q", err, want)
			}
		})
	}
}

func TestFetcher_FetchBodyLimit(t *testing.T) {
	const limit = 1 << 20
	random := make([]byte, 2*limit)
	rng := rand.NewChaCha8([32]byte{1})
	_, _ = rng.Read(random)
	// A gzip stream may hold several members (RFC 1952 §2.2), so 50
	// copies of 1 MiB of zeros make a 50 MiB bomb without compressing 50 MiB
	// under the race detector.
	bomb := bytes.Repeat(gzipBytes(t, make([]byte, 1<<20)), 50)
	tests := []struct {
		name    string
		handler http.HandlerFunc
		wantMsg string // "" means the fetch must succeed
	}{
		{"exactly the limit", serveBytes(bytes.Repeat([]byte("a"), limit), nil), ""},
		{"content-length over", serveBytes(bytes.Repeat([]byte("a"), 2*limit), map[string]string{"Content-Length": "2097152"}), "content-length 2097152 exceeds the 1048576-byte limit"},
		{"chunked over", serveChunked(bytes.Repeat([]byte("a"), 2*limit)), "more than 1048576 bytes on the wire"},
		{"gzip bomb", serveBytes(bomb, map[string]string{"Content-Encoding": "gzip"}), "more than 1048576 bytes after gzip decompression"},
		{"gzip bomb without header", serveBytes(bomb, nil), "more than 1048576 bytes after gzip decompression"},
		{"gzip over on the wire", serveChunked(gzipBytes(t, random)), "more than 1048576 bytes on the wire"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newServer(t, tt.handler)
			res, err := New(Options{MaxBodyBytes: limit}).Fetch(context.Background(), Request{URL: srv.URL})
			if tt.wantMsg == "" {
				if err != nil || len(res.Body) != limit {
					t.Fatalf("err = %v; want a %d-byte body", err, limit)
				}
				return
			}
			if !errors.Is(err, ErrBodyTooLarge) {
				t.Fatalf("err = %v, want ErrBodyTooLarge", err)
			}
			if !strings.Contains(err.Error(), tt.wantMsg) || !strings.HasPrefix(err.Error(), "fetch "+srv.URL+": ") {
				t.Errorf("err = %q, want it to name the URL and contain %q", err, tt.wantMsg)
			}
		})
	}
}

// serveChunked flushes before writing so no Content-Length is sent and the
// client only learns the size by reading.
func serveChunked(body []byte) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if bytes.HasPrefix(body, []byte(gzipMagic)) {
			w.Header().Set("Content-Encoding", "gzip")
		}
		w.WriteHeader(http.StatusOK)
		w.(http.Flusher).Flush()
		_, _ = w.Write(body)
	}
}

func TestFetcher_FetchTimeout(t *testing.T) {
	const timeout = 200 * time.Millisecond
	tests := []struct {
		name    string
		handler http.HandlerFunc
	}{
		{"no headers", func(w http.ResponseWriter, r *http.Request) {
			<-r.Context().Done()
		}},
		{"stalled body", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Length", "1000")
			_, _ = w.Write([]byte("<rss>"))
			w.(http.Flusher).Flush()
			<-r.Context().Done()
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newServer(t, tt.handler)
			start := time.Now()
			_, err := New(Options{Timeout: timeout}).Fetch(context.Background(), Request{URL: srv.URL})
			if !errors.Is(err, context.DeadlineExceeded) {
				t.Fatalf("err = %v, want it to wrap context.DeadlineExceeded", err)
			}
			if want := "fetch " + srv.URL + ": timeout after 200ms"; !strings.HasPrefix(err.Error(), want) {
				t.Errorf("err = %q, want prefix %q", err, want)
			}
			if elapsed := time.Since(start); elapsed > 5*time.Second {
				t.Errorf("Fetch took %v with a %v timeout", elapsed, timeout)
			}
		})
	}
}

// A deadline or cancellation from the caller is not reported as our timeout.
func TestFetcher_FetchCallerContext(t *testing.T) {
	tests := []struct {
		name    string
		ctx     func() (context.Context, context.CancelFunc)
		wantErr error
	}{
		{"caller deadline", func() (context.Context, context.CancelFunc) {
			return context.WithTimeout(context.Background(), 100*time.Millisecond)
		}, context.DeadlineExceeded},
		{"caller cancel", func() (context.Context, context.CancelFunc) {
			return context.WithCancel(context.Background())
		}, context.Canceled},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := tt.ctx()
			defer cancel()
			entered := make(chan struct{}, 1)
			srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
				entered <- struct{}{}
				<-r.Context().Done()
			})
			go func() {
				<-entered
				if tt.wantErr == context.Canceled {
					cancel()
				}
			}()
			_, err := New(Options{Timeout: time.Minute}).Fetch(ctx, Request{URL: srv.URL})
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
			if strings.Contains(err.Error(), "timeout after") {
				t.Errorf("err = %q blames the fetch timeout", err)
			}
		})
	}
}

func TestFetcher_FetchConnectionReset(t *testing.T) {
	tests := []struct {
		name   string
		prefix string // written before the reset
	}{
		{"before response", ""},
		{"mid body", "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n<rss>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
				conn, buf, err := w.(http.Hijacker).Hijack()
				if err != nil {
					t.Error(err)
					return
				}
				_, _ = buf.WriteString(tt.prefix)
				_ = buf.Flush()
				_ = conn.(*net.TCPConn).SetLinger(0) // close sends RST, not FIN
				_ = conn.Close()
			})
			_, err := New(Options{}).Fetch(context.Background(), Request{URL: srv.URL})
			if err == nil {
				t.Fatal("Fetch succeeded on a reset connection")
			}
			var se *StatusError
			if errors.As(err, &se) || errors.Is(err, ErrBodyTooLarge) {
				t.Errorf("err = %v, want a transport error", err)
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, "fetch "+srv.URL+": ") ||
				!(strings.Contains(msg, "reset") || strings.Contains(msg, "EOF")) {
				t.Errorf("err = %q, want the URL and a reset or EOF", msg)
			}
		})
	}
}

func TestFetcher_FetchBadURL(t *testing.T) {
	_, err := New(Options{}).Fetch(context.Background(), Request{URL: "ftp://127.0.0.1/feed"})
	if err == nil || !strings.HasPrefix(err.Error(), "fetch ftp://127.0.0.1/feed: ") {
		t.Errorf("err = %v, want a wrapped scheme error", err)
	}
}

func TestNew(t *testing.T) {
	f := New(Options{})
	if f.timeouts.total != DefaultTimeout || f.maxBody != DefaultMaxBodyBytes {
		t.Errorf("defaults = %v, %d", f.timeouts.total, f.maxBody)
	}
	tr, ok := f.client.Transport.(*http.Transport)
	if !ok || !tr.DisableCompression || tr.MaxIdleConnsPerHost != 2 || tr.ResponseHeaderTimeout != 20*time.Second {
		t.Errorf("default transport = %#v", f.client.Transport)
	}
}
