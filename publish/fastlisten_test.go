package publish

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tributary-rss/tributary/aggregator/model"
)

// startServing serves s on a loopback listener, through a FastListener
// when fast is set, and returns the address.
func startServing(t *testing.T, s *Server, fast bool, opts FastOptions) (string, *FastListener) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	hs := &http.Server{Handler: s, ReadHeaderTimeout: opts.ReadHeaderTimeout, IdleTimeout: opts.IdleTimeout, MaxHeaderBytes: 64 << 10}
	var l net.Listener = ln
	var fl *FastListener
	if fast {
		fl = s.FastListener(ln, opts)
		l = fl
	}
	go func() { _ = hs.Serve(l) }()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = hs.Shutdown(ctx)
		if fl != nil {
			if err := fl.Wait(ctx); err != nil {
				t.Errorf("fast connections still open after shutdown: %v", err)
			}
		}
	})
	return ln.Addr().String(), fl
}

// exchange writes raw to a new connection and reads n responses.
func exchange(t *testing.T, addr, raw string, n int) []*http.Response {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := io.WriteString(c, raw); err != nil {
		t.Fatal(err)
	}
	br := bufio.NewReader(c)
	// ReadResponse needs each request's method: a HEAD answer has no body.
	var methods []string
	for _, line := range strings.Split(raw, "\r\n") {
		if m, _, ok := strings.Cut(line, " "); ok && (m == "GET" || m == "HEAD" || m == "POST") {
			methods = append(methods, m)
		}
	}
	var out []*http.Response
	for i := range n {
		req := &http.Request{Method: "GET"}
		if i < len(methods) {
			req.Method = methods[i]
		}
		resp, err := http.ReadResponse(br, req)
		if err != nil {
			t.Fatalf("response %d of %q: %v", len(out)+1, raw, err)
		}
		body, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body = io.NopCloser(bytes.NewReader(body))
		out = append(out, resp)
	}
	return out
}

func readBody(t *testing.T, r *http.Response) []byte {
	t.Helper()
	b, _ := io.ReadAll(r.Body)
	r.Body = io.NopCloser(bytes.NewReader(b))
	return b
}

// TestFastListener_sameAnswers: for every request, the fast path answers
// byte for byte what net/http alone answers (Date aside), whether it
// serves the request itself or hands it on.
func TestFastListener_sameAnswers(t *testing.T) {
	fx := loadFixture(t)
	newSrv := func() *Server {
		return NewServer(newFakeReader(fx), Options{BaseURL: testBaseURL, Sections: []model.Section{fx.Section}, Version: "1.2.3"})
	}
	opts := FastOptions{ReadHeaderTimeout: 5 * time.Second, IdleTimeout: time.Minute}
	plainAddr, _ := startServing(t, newSrv(), false, opts)
	fastAddr, fl := startServing(t, newSrv(), true, opts)

	id := fx.Section.ID
	etag := exchange(t, plainAddr, "GET /sections/"+id+".rss HTTP/1.1\r\nHost: x\r\n\r\n", 1)[0].Header.Get("Etag")
	src := fx.Entries[0].SourceID
	tests := []struct {
		name, req string
		fast      bool // answered by the fast path
	}{
		{"rss", "GET /sections/" + id + ".rss HTTP/1.1\r\nHost: x\r\n\r\n", true},
		{"atom gzip", "GET /sections/" + id + ".atom HTTP/1.1\r\nHost: x\r\nAccept-Encoding: gzip, br\r\n\r\n", true},
		{"json limit", "GET /sections/" + id + ".json?limit=2 HTTP/1.1\r\nHost: x\r\n\r\n", true},
		{"json source", "GET /sections/" + id + ".json?source=" + src + " HTTP/1.1\r\nHost: x\r\n\r\n", true},
		{"api", "GET /api/v1/sections/" + id + "/entries?limit=1 HTTP/1.1\r\nHost: x\r\n\r\n", true},
		{"HEAD", "HEAD /sections/" + id + ".rss HTTP/1.1\r\nHost: x\r\n\r\n", true},
		{"If-None-Match", "GET /sections/" + id + ".rss HTTP/1.1\r\nHost: x\r\nIf-None-Match: W/" + etag + "\r\n\r\n", true},
		{"If-None-Match other", "GET /sections/" + id + ".rss HTTP/1.1\r\nHost: x\r\nIf-None-Match: \"nope\"\r\n\r\n", true},
		{"If-Modified-Since", "GET /sections/" + id + ".rss HTTP/1.1\r\nHost: x\r\nIf-Modified-Since: Fri, 01 Jan 2100 00:00:00 GMT\r\n\r\n", true},
		{"malformed query pair", "GET /sections/" + id + ".rss?limit=3&%zz HTTP/1.1\r\nHost: x\r\n\r\n", true},
		{"bad limit", "GET /sections/" + id + ".rss?limit=0 HTTP/1.1\r\nHost: x\r\n\r\n", false},
		{"unknown section", "GET /sections/nope.rss HTTP/1.1\r\nHost: x\r\n\r\n", false},
		{"unknown format", "GET /sections/" + id + ".txt HTTP/1.1\r\nHost: x\r\n\r\n", false},
		{"HTML page", "GET /sections/" + id + " HTTP/1.1\r\nHost: x\r\nAccept-Language: en\r\n\r\n", false},
		{"index", "GET / HTTP/1.1\r\nHost: x\r\n\r\n", false},
		{"POST", "POST /sections/" + id + ".rss HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nhi", false},
		{"HTTP/1.0", "GET /sections/" + id + ".rss HTTP/1.0\r\n\r\n", false},
		{"no Host", "GET /sections/" + id + ".rss HTTP/1.1\r\n\r\n", false},
		{"big header", "GET /sections/" + id + ".rss HTTP/1.1\r\nHost: x\r\nCookie: " + strings.Repeat("c", fastBufSize) + "\r\n\r\n", false},
		{"garbage", "\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := exchange(t, plainAddr, tt.req, 1)[0]
			before := fl.served.Load()
			got := exchange(t, fastAddr, tt.req, 1)[0]
			if served := fl.served.Load() - before; served != map[bool]int64{true: 1, false: 0}[tt.fast] {
				t.Errorf("fast path served %d, want fast=%v", served, tt.fast)
			}
			if got.StatusCode != want.StatusCode {
				t.Fatalf("status %d, want %d", got.StatusCode, want.StatusCode)
			}
			got.Header.Del("Date")
			want.Header.Del("Date")
			if g, w := headerText(got.Header), headerText(want.Header); g != w {
				t.Errorf("headers:\n%s\nwant:\n%s", g, w)
			}
			if !bytes.Equal(readBody(t, got), readBody(t, want)) {
				t.Error("bodies differ")
			}
		})
	}
}

func headerText(h http.Header) string {
	var b strings.Builder
	_ = h.Write(&b)
	return b.String()
}

// TestFastListener_pipelined: requests sent back to back on one
// connection are answered in order, across the hand-off to net/http.
func TestFastListener_pipelined(t *testing.T) {
	fx := loadFixture(t)
	s := NewServer(newFakeReader(fx), Options{BaseURL: testBaseURL, Sections: []model.Section{fx.Section}, Version: "1.2.3"})
	addr, fl := startServing(t, s, true, FastOptions{ReadHeaderTimeout: 5 * time.Second, IdleTimeout: time.Minute})
	id := fx.Section.ID
	raw := "GET /sections/" + id + ".rss HTTP/1.1\r\nHost: x\r\n\r\n" +
		"HEAD /sections/" + id + ".json HTTP/1.1\r\nHost: x\r\n\r\n" +
		"GET /sections/" + id + ".rss?limit=0 HTTP/1.1\r\nHost: x\r\n\r\n" + // handed off here
		"GET /sections/" + id + ".atom HTTP/1.1\r\nHost: x\r\n\r\n" // net/http's from now on
	resps := exchange(t, addr, raw, 4)
	wantCodes := []int{200, 200, 400, 200}
	wantTypes := []string{"application/rss+xml", "application/feed+json", "text/plain", "application/atom+xml"}
	for i, r := range resps {
		if r.StatusCode != wantCodes[i] || !strings.HasPrefix(r.Header.Get("Content-Type"), wantTypes[i]) {
			t.Errorf("response %d: %d %s, want %d %s", i+1, r.StatusCode, r.Header.Get("Content-Type"), wantCodes[i], wantTypes[i])
		}
	}
	if n := len(readBody(t, resps[1])); n != 0 {
		t.Errorf("HEAD answered with a %d-byte body", n)
	}
	if got := fl.served.Load(); got != 2 {
		t.Errorf("fast path served %d, want 2", got)
	}
}

// TestFastListener_timeouts: a client that never finishes its request
// head is cut off after ReadHeaderTimeout, an idle one after IdleTimeout,
// and closing the listener ends idle connections at once.
func TestFastListener_timeouts(t *testing.T) {
	fx := loadFixture(t)
	s := NewServer(newFakeReader(fx), Options{BaseURL: testBaseURL, Sections: []model.Section{fx.Section}, Version: "1.2.3"})
	addr, _ := startServing(t, s, true, FastOptions{ReadHeaderTimeout: 200 * time.Millisecond, IdleTimeout: 400 * time.Millisecond})
	closed := func(c net.Conn) bool {
		_ = c.SetReadDeadline(time.Now().Add(10 * time.Second))
		_, err := io.ReadAll(c) // reads any answer, then EOF when the server closes
		return err == nil
	}
	slow, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer slow.Close()
	_, _ = io.WriteString(slow, "GET /sections/"+fx.Section.ID+".rss HTTP/1.1\r\nHost: x\r\n") // never finished
	if !closed(slow) {
		t.Error("a slowloris connection was not closed")
	}
	idle, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer idle.Close()
	if !closed(idle) {
		t.Error("an idle connection was not closed")
	}
	// Closing wakes an idle keep-alive connection now, not after IdleTimeout.
	addr, fl := startServing(t, s, true, FastOptions{ReadHeaderTimeout: time.Hour, IdleTimeout: time.Hour})
	kept, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer kept.Close()
	_, _ = io.WriteString(kept, "GET /sections/"+fx.Section.ID+".rss HTTP/1.1\r\nHost: x\r\n\r\n")
	if _, err := http.ReadResponse(bufio.NewReader(kept), nil); err != nil {
		t.Fatal(err)
	}
	_ = fl.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := fl.Wait(ctx); err != nil {
		t.Errorf("Wait after Close: %v", err)
	}
	if !closed(kept) {
		t.Error("the keep-alive connection was not closed")
	}
}

// TestFastListener_sendfile: a large body, once hot, is sent with
// sendfile(2) from an in-memory file, and arrives exactly as net/http
// sends it, also on a connection that keeps asking.
func TestFastListener_sendfile(t *testing.T) {
	if !sendfileSupported {
		t.Skip("no sendfile on this platform")
	}
	fx := loadFixture(t)
	base := fx.Entries[0]
	fx.Entries = nil
	for i := range 200 {
		e := base
		e.ID = fmt.Sprintf("%016x", i+1)
		e.Title = fmt.Sprintf("第%d条：新图书馆正式开放，藏书一百二十万册", i+1)
		e.Link = fmt.Sprintf("https://example.edu.cn/news/%d.html", i+1)
		e.Published = e.Published.Add(-time.Duration(i) * time.Hour)
		fx.Entries = append(fx.Entries, e)
	}
	fx.Section.MaxItems = 200
	newSrv := func() *Server {
		return NewServer(newFakeReader(fx), Options{BaseURL: testBaseURL, Sections: []model.Section{fx.Section}, Version: "1.2.3"})
	}
	opts := FastOptions{ReadHeaderTimeout: 5 * time.Second, IdleTimeout: time.Minute}
	plainAddr, _ := startServing(t, newSrv(), false, opts)
	fastAddr, fl := startServing(t, newSrv(), true, opts)
	req := "GET /sections/" + fx.Section.ID + ".rss?limit=200 HTTP/1.1\r\nHost: x\r\n\r\n"
	want := readBody(t, exchange(t, plainAddr, req, 1)[0])
	if len(want) < sendfileMin {
		t.Fatalf("body of %d bytes is too small to test sendfile", len(want))
	}
	const n = sendfileHot + 5
	before := openSendFiles.Load()
	resps := exchange(t, fastAddr, strings.Repeat(req, n), n)
	for i, r := range resps {
		if got := readBody(t, r); r.StatusCode != 200 || !bytes.Equal(got, want) {
			t.Fatalf("answer %d: status %d, %d bytes, want the %d bytes net/http sends", i+1, r.StatusCode, len(got), len(want))
		}
	}
	if fl.served.Load() != n {
		t.Errorf("fast path served %d of %d", fl.served.Load(), n)
	}
	if openSendFiles.Load() <= before {
		t.Error("no in-memory file was made for the hot body")
	}
}

// TestFastListener_shutdownServesAccepted: a connection accepted before
// Shutdown is not closed before its first request arrives (a Go client
// would see "server closed idle connection"). Its request is answered when
// the fast path can; otherwise it goes to net/http, which reads it and,
// as it does with its own connections once Shutdown began, closes without
// answering. Then the connection is closed and Shutdown returns.
func TestFastListener_shutdownServesAccepted(t *testing.T) {
	fx := loadFixture(t)
	s := NewServer(newFakeReader(fx), Options{BaseURL: testBaseURL, Sections: []model.Section{fx.Section}, Version: "1.2.3"})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var netHTTPRead atomic.Bool
	hs := &http.Server{Handler: s, ReadHeaderTimeout: 5 * time.Second, IdleTimeout: time.Minute,
		ConnState: func(_ net.Conn, st http.ConnState) {
			if st == http.StateActive {
				netHTTPRead.Store(true)
			}
		}}
	fl := s.FastListener(ln, FastOptions{ReadHeaderTimeout: 5 * time.Second, IdleTimeout: time.Minute})
	served := make(chan error, 1)
	go func() { served <- hs.Serve(fl) }()

	dial := func() net.Conn {
		c, err := net.Dial("tcp", ln.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		_ = c.SetDeadline(time.Now().Add(10 * time.Second))
		return c
	}
	fast, handed := dial(), dial()
	deadline := time.Now().Add(5 * time.Second)
	for fl.mayHandoff.Load() < 2 {
		if time.Now().After(deadline) {
			t.Fatal("the fast listener did not accept both connections")
		}
		time.Sleep(5 * time.Millisecond)
	}
	shutdown := make(chan error, 1)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		shutdown <- hs.Shutdown(ctx)
	}()
	for !fl.closing.Load() {
		time.Sleep(time.Millisecond)
	}
	time.Sleep(50 * time.Millisecond) // let Close act on the connections, as it would on idle ones

	// The fast path answers, then closes.
	if _, err := io.WriteString(fast, "GET /sections/"+fx.Section.ID+".rss HTTP/1.1\r\nHost: x\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	br := bufio.NewReader(fast)
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		t.Fatalf("feed requested during shutdown: %v", err)
	}
	if body, err := io.ReadAll(resp.Body); err != nil || resp.StatusCode != http.StatusOK || len(body) == 0 {
		t.Errorf("feed during shutdown: %d, %d bytes, %v", resp.StatusCode, len(body), err)
	}
	if _, err := br.ReadByte(); err != io.EOF {
		t.Errorf("connection still open after the answer (%v)", err)
	}
	// Another request reaches net/http.
	if _, err := io.WriteString(handed, "GET / HTTP/1.1\r\nHost: x\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	if _, err := io.ReadAll(handed); err != nil {
		t.Fatal(err)
	}
	if !netHTTPRead.Load() {
		t.Error("the handed-off request never reached net/http")
	}
	if err := <-shutdown; err != nil {
		t.Errorf("Shutdown: %v", err)
	}
	if err := <-served; err != http.ErrServerClosed {
		t.Errorf("Serve: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := fl.Wait(ctx); err != nil {
		t.Errorf("Wait: %v", err)
	}
}
