package main

import (
	"bufio"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// startAbuseDaemon runs the daemon (the real publish.NewHTTPServer settings, with a
// short ReadHeaderTimeout) on one fixture source and waits for its entries.
func startAbuseDaemon(t *testing.T, readHeaderTimeout time.Duration) *daemon {
	t.Helper()
	src := newFixtureSource(t, "alpha.xml", "application/rss+xml", nil)
	cfg := writeConfig(t, t.TempDir(), "", "@every 1h", src.srv.URL)
	d := startDaemonHooks(t, cfg, daemonHooks{readHeaderTimeout: readHeaderTimeout})
	d.waitPolls(t, 1)
	return d
}

// rawRequest sends target exactly as written (no client-side cleaning or
// escaping) with extra header lines, and returns the status and body.
func rawRequest(t *testing.T, addr, target string, header ...string) (int, string) {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	req := "GET " + target + " HTTP/1.1\r\nHost: feeds.example.test\r\nConnection: close\r\n"
	for _, h := range header {
		req += h + "\r\n"
	}
	if _, err := io.WriteString(conn, req+"\r\n"); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("GET %.80s: %v", target, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("GET %.80s: body: %v", target, err)
	}
	return resp.StatusCode, string(body)
}

// Hostile requests get a 4xx (or net/http's redirect to the cleaned path,
// which is itself a 404), never a 5xx and never a file from outside the
// site. A bad limit, source or before is a 400 naming the parameter;
// headers or a request line over MaxHeaderBytes (64 KiB) a 431. A
// malformed pair (%zz, a ';' separator) or a repeated parameter is treated
// like an unknown parameter: net/http's Query drops the pair (the first of
// repeated values counts), so a reader appending broken tracking
// parameters still gets the feed.
func TestDaemon_hostileRequests(t *testing.T) {
	d := startAbuseDaemon(t, 0)
	addr := strings.TrimPrefix(d.base, "http://")
	big := strings.Repeat("a", 100<<10) // over MaxHeaderBytes (64 KiB)
	tests := []struct {
		name, target string
		header       []string
		want         int
	}{
		{"traversal in sections", "/sections/../../etc/passwd", nil, 307},
		{"encoded traversal in sections", "/sections/..%2f..%2fetc%2fpasswd", nil, 404},
		{"encoded dots in sections", "/sections/%2e%2e/%2e%2e/etc/passwd", nil, 404},
		{"traversal in static", "/static/../../../etc/passwd", nil, 307},
		{"encoded traversal in static", "/static/..%2f..%2f..%2fetc%2fpasswd", nil, 404},
		{"double-encoded traversal in static", "/static/%252e%252e%252fetc%252fpasswd", nil, 404},
		{"backslash traversal in static", "/static/..\\..\\etc\\passwd", nil, 404},
		{"traversal in embed", "/embed/..%2f..%2fetc%2fpasswd.js", nil, 404},
		{"NUL in the path", "/sections/news.rss%00.html", nil, 404},
		{"limit not a number", "/sections/news.rss?limit=abc", nil, 400},
		{"limit negative", "/sections/news.rss?limit=-1", nil, 400},
		{"limit overflows", "/sections/news.rss?limit=99999999999999999999999", nil, 400},
		{"limit twice", "/sections/news.rss?limit=1&limit=2", nil, 200},
		{"before garbage", "/sections/news.json?before=%ff%fe", nil, 400},
		{"before huge", "/sections/news.json?before=" + strings.Repeat("A", 40<<10), nil, 400},
		{"source unknown", "/sections/news.atom?source=../../etc", nil, 400},
		{"malformed escape", "/sections/news.rss?limit=%zz", nil, 200},
		{"semicolon separator", "/api/v1/sections/news/entries?limit=1;source=x", nil, 200},
		{"oversized query", "/sections/news.rss?q=" + big, nil, 431},
		{"huge header", "/sections/news.rss", []string{"X-Big: " + big}, 431},
		{"many headers", "/sections/news.rss", manyHeaders(4000), 431},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, body := rawRequest(t, addr, tt.target, tt.header...)
			t.Logf("%s -> %d %.60q", tt.name, code, body)
			if code != tt.want {
				t.Errorf("status %d, want %d", code, tt.want)
			}
			if code == http.StatusTemporaryRedirect {
				if code, _ := rawRequest(t, addr, "/etc/passwd"); code != http.StatusNotFound {
					t.Errorf("redirect target /etc/passwd: status %d, want 404", code)
				}
			}
			if strings.Contains(body, "root:") {
				t.Errorf("body holds /etc/passwd: %.200q", body)
			}
		})
	}
}

func manyHeaders(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = "X-H: 0123456789abcdef"
	}
	return out
}

// A client that sends its headers a byte at a time (slowloris) is cut off
// by ReadHeaderTimeout; the test sets it to 300ms through the daemon hook
// and would go on trickling for 20 s.
func TestDaemon_slowloris(t *testing.T) {
	d := startAbuseDaemon(t, 300*time.Millisecond)
	conn, err := net.Dial("tcp", strings.TrimPrefix(d.base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	closed := make(chan error, 1)
	go func() {
		_, err := io.Copy(io.Discard, conn)
		closed <- err
	}()
	start := time.Now()
	trickle := time.NewTicker(20 * time.Millisecond)
	defer trickle.Stop()
	deadline := time.After(20 * time.Second)
	line := "GET /sections/news.rss HTTP/1.1\r\nHost: x\r\nX-Slow: " + strings.Repeat("z", 2000)
	for i := 0; ; i++ {
		select {
		case err := <-closed:
			t.Logf("closed after %v and %d bytes (read: %v)", time.Since(start).Round(time.Millisecond), i, err)
			return
		case <-deadline:
			t.Fatal("a client trickling its headers was not cut off within 20s")
		case <-trickle.C:
		}
		if _, err := conn.Write([]byte{line[i%len(line)]}); err != nil && !errors.Is(err, net.ErrClosed) {
			t.Logf("write after close: %v", err)
		}
	}
}

// rawExchange sends raw as the whole request and reads one answer within
// 5 s: a request must be answered, not left waiting for bytes that will
// never come.
func rawExchange(t *testing.T, addr, raw string) (int, string) {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(5 * time.Second))
	if _, err := io.WriteString(conn, raw); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("%.60q: no answer: %v", raw, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// Requests net/http answers one way are answered that way on every route,
// the cached feeds included: lines ended by a bare LF are accepted (RFC
// 9112 section 2.2 allows it) and answered at once, and a Host that is
// not a host (a space, a path, bytes that are not UTF-8) is a 400.
func TestDaemon_requestSyntax(t *testing.T) {
	d := startAbuseDaemon(t, 0)
	addr := strings.TrimPrefix(d.base, "http://")
	// The feed is cached first, so a cache hit is what answers.
	if resp, _ := d.get(t, "/sections/news.rss", nil); resp.StatusCode != http.StatusOK {
		t.Fatalf("warm-up: %d", resp.StatusCode)
	}
	tests := []struct {
		name, raw string
		want      int
	}{
		{"bare LF, HTTP/1.0", "GET /healthz HTTP/1.0\n\n", 200},
		{"bare LF, feed", "GET /sections/news.rss HTTP/1.0\n\n", 200},
		{"bare LF, HTTP/1.1", "GET /sections/news.rss HTTP/1.1\nHost: x\nConnection: close\n\n", 200},
		{"host with a space and brackets", "GET /sections/news.rss HTTP/1.1\r\nHost: a b<c>\r\n\r\n", 400},
		{"host with a path", "GET /sections/news.rss HTTP/1.1\r\nHost: evil.com/x\r\n\r\n", 400},
		{"host not UTF-8", "GET /sections/news.rss HTTP/1.1\r\nHost: \xff\xfe.example\r\n\r\n", 400},
		{"host with a space, health", "GET /healthz HTTP/1.1\r\nHost: a b<c>\r\n\r\n", 400},
		{"two hosts", "GET /sections/news.rss HTTP/1.1\r\nHost: a.example\r\nHost: b.example\r\n\r\n", 400},
		{"no host in HTTP/1.1", "GET /sections/news.rss HTTP/1.1\r\n\r\n", 400},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, body := rawExchange(t, addr, tt.raw)
			if code != tt.want {
				t.Errorf("status %d %.60q, want %d", code, body, tt.want)
			}
		})
	}
}
