package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// buildBinary compiles the tributary command into a temp dir.
func buildBinary(t *testing.T) string {
	t.Helper()
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go not in PATH: cannot build the binary")
	}
	bin := filepath.Join(t.TempDir(), "tributary")
	out, err := exec.Command(gobin, "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

var servingAddr = regexp.MustCompile(`msg=serving addr=(\S+)`)

// startBinary runs `tributary run` and returns the address it serves on,
// read from its "serving" log line.
func startBinary(t *testing.T, bin, cfgPath string) (*exec.Cmd, string, *syncBuffer) {
	t.Helper()
	cmd := exec.Command(bin, "run", "--config", cfgPath)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill() })
	logs := &syncBuffer{}
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			logs.Write(append(sc.Bytes(), '\n'))
			if m := servingAddr.FindStringSubmatch(sc.Text()); m != nil {
				found <- m[1]
			}
		}
	}()
	select {
	case addr := <-found:
		return cmd, addr, logs
	case <-time.After(20 * time.Second):
		t.Fatalf("no serving line within 20s; logs:\n%s", logs.String())
	}
	return nil, "", nil
}

// loadResult counts what the load goroutines saw.
type loadResult struct {
	ok, okAfter, refused atomic.Int64
	signalled            atomic.Int64 // unix nanoseconds of SIGTERM, 0 before
	mu                   sync.Mutex
	failures             []error
}

// hammer requests path in a loop on fresh connections (keep-alive off, so
// no request ever rides a connection the server is closing as idle) until
// one is not served. Not served means the dial was refused or the
// connection closed before any byte of a response: net/http drops a
// request it had not finished reading when Shutdown began, and a
// connection still in the kernel's backlog is reset when the listener
// closes. That is a failure before SIGTERM; after it, the end of the
// loop. A truncated body, a reset mid-response or a non-200 answer is
// always a failure.
func hammer(base, path string, res *loadResult) {
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}, Timeout: 30 * time.Second}
	for {
		resp, err := client.Get(base + path)
		if err != nil && notServed(err) && res.signalled.Load() != 0 {
			res.refused.Add(1)
			return
		}
		if err == nil {
			_, err = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if err == nil && resp.StatusCode != http.StatusOK {
				err = errors.New(resp.Status)
			}
		}
		if err != nil {
			res.mu.Lock()
			res.failures = append(res.failures, fmt.Errorf("%s: %w", path, err))
			res.mu.Unlock()
			return
		}
		res.ok.Add(1)
		if res.signalled.Load() != 0 {
			res.okAfter.Add(1)
		}
	}
}

func notServed(err error) bool {
	return errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) || errors.Is(err, io.EOF)
}

// SIGTERM under HTTP load: every request the server started on completes
// with a whole 200 — including a 23 MB feed a slow client is still
// reading when the listener closes, so its handler is blocked writing
// across the signal — the process exits 0 and the embedded store's
// snapshot is written.
func TestBinary_SIGTERMUnderLoad(t *testing.T) {
	bin := buildBinary(t)
	src := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		_, _ = io.WriteString(w, bigFeed(50, 600<<10))
	}))
	t.Cleanup(src.Close)
	dir := t.TempDir()
	cfgPath := writeBigConfig(t, dir, src.URL)
	cmd, addr, logs := startBinary(t, bin, cfgPath)
	base := "http://" + addr
	waitFor(t, func() bool {
		resp, err := http.Get(base + "/sections/news.json?limit=1")
		if err != nil {
			return false
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		return resp.StatusCode == 200 && regexp.MustCompile(`"items":\s*\[\s*\{`).Match(body)
	})
	slow, rest := startSlowRead(t, addr, "/sections/news.json")

	var res loadResult
	var wg sync.WaitGroup
	for _, path := range []string{"/sections/news.rss?limit=1", "/sections/news.atom?limit=2", "/sections/news.json?limit=1", "/", "/healthz"} {
		wg.Go(func() { hammer(base, path, &res) })
	}
	waitFor(t, func() bool { return res.ok.Load() >= 200 })
	res.signalled.Store(time.Now().UnixNano())
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	wg.Wait() // every hammer stops at its first request not served
	if n, err := io.Copy(io.Discard, rest); err != nil || n != slow.ContentLength-slowPrefix {
		t.Errorf("slow client across SIGTERM: read %d of the %d remaining bytes: %v", n, slow.ContentLength-slowPrefix, err)
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("exit: %v (want code 0); logs:\n%s", err, logs.String())
	}
	t.Logf("%d requests completed (%d after SIGTERM), %d not served after shutdown began; a %d-byte answer read across the signal",
		res.ok.Load(), res.okAfter.Load(), res.refused.Load(), slow.ContentLength)
	for _, err := range res.failures {
		t.Errorf("request failed: %v", err)
	}
	if fi, err := os.Stat(filepath.Join(dir, "tributary.snapshot")); err != nil || fi.Size() == 0 {
		t.Errorf("snapshot after shutdown: %v (size %d)", err, sizeOf(fi))
	}
}

// slowPrefix is what the slow client reads before the signal.
const slowPrefix = 64 << 10

// startSlowRead requests path and reads only the headers and slowPrefix
// bytes of the body, leaving the server blocked writing the rest.
func startSlowRead(t *testing.T, addr, path string) (*http.Response, io.Reader) {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	if _, err := io.WriteString(conn, "GET "+path+" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	// Loopback socket buffers hold a few MB; far more keeps the handler
	// writing until the client reads on.
	if resp.StatusCode != http.StatusOK || resp.ContentLength < 16<<20 {
		t.Fatalf("slow request: %s, %d bytes; want 200 and over 16 MiB", resp.Status, resp.ContentLength)
	}
	if _, err := io.CopyN(io.Discard, resp.Body, slowPrefix); err != nil {
		t.Fatal(err)
	}
	return resp, resp.Body
}

// bigFeed is an RSS feed of n items with a description of size bytes each.
func bigFeed(n, size int) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0"?><rss version="2.0"><channel><title>big</title><link>http://big.example/</link>`)
	para := strings.Repeat("资讯 news ", size/16)
	for i := range n {
		fmt.Fprintf(&b, "<item><title>big %d</title><guid>big-%d</guid><link>http://big.example/%d</link><description>%s</description></item>", i, i, i, para)
	}
	b.WriteString(`</channel></rss>`)
	return b.String()
}

// writeBigConfig is a config for one big source on the embedded store,
// with a body limit the big feed fits in, a content limit that keeps its
// 600 KB descriptions whole and a page bound its 30 MB feed fits in.
func writeBigConfig(t *testing.T, dir, url string) string {
	t.Helper()
	cfg := fmt.Sprintf(`listen: 127.0.0.1:0
storage:
  snapshot: %s
  snapshot_interval: 1h
http:
  max_page_bytes: 67108864
fetch:
  max_body_bytes: 67108864
limits:
  content_bytes: 1048576
defaults:
  schedule: "@every 1h"
sections:
  - id: news
    max_items: 50
    sources:
      - url: %s
`, filepath.Join(dir, "tributary.snapshot"), url)
	path := filepath.Join(dir, "tributary.yaml")
	if err := os.WriteFile(path, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func sizeOf(fi os.FileInfo) int64 {
	if fi == nil {
		return 0
	}
	return fi.Size()
}
