package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"runtime"
	"strings"
	"testing"
	"time"
)

// versioned marks every item title of bigFeed with v, so that versions
// differ all along their renders, at the same lengths.
func versioned(v int) map[string]string {
	return map[string]string{"</title><guid>": fmt.Sprintf(" v%d</title><guid>", v)}
}

// TestDaemon_slowReaderGetsOneVersion: a reader that stops reading a large
// feed halfway, while the section changes twice and the newer versions are
// requested many times and the garbage collector runs, still receives
// exactly the bytes of the version whose ETag and Content-Length it was
// sent. The answer must not depend on anything the render cache drops.
func TestDaemon_slowReaderGetsOneVersion(t *testing.T) {
	src := newFixtureSource(t, "alpha.xml", "application/rss+xml; charset=utf-8", nil)
	// About 8 MB rendered: more than loopback socket buffers hold (some
	// 4 MB on Linux, nearly all of it the server's send buffer), so the
	// server is still writing when the reader pauses.
	big := []byte(bigFeed(50, 210<<10))
	src.setBody(big, versioned(1))
	srcURL := src.srv.URL + "/feed.xml"
	admin := "admin:\n  token: " + adminToken + "\n  allow_private: true\n"
	d := startDaemon(t, withAdmin(t, writeConfig(t, t.TempDir(), "", "@every 1h", srcURL), admin))
	d.waitPollOf(t, srcURL)
	var id string
	for k := range listAdmin(t, d) {
		id = k
	}
	const path = "/sections/news.rss"
	// Feed readers have connections of their own, which ask for feeds
	// only.
	reader := &http.Transport{DisableCompression: true}
	defer reader.CloseIdleConnections()
	fetch := func() (string, []byte) {
		t.Helper()
		req, _ := http.NewRequest(http.MethodGet, d.base+path, nil)
		resp, err := reader.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		if err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %d, %v", path, resp.StatusCode, err)
		}
		return resp.Header.Get("ETag"), body
	}
	// hot fetches the feed a few times, so a serving shortcut that kicks
	// in for repeated requests (as a sendfile path once did) is exercised,
	// and returns its ETag and bytes. Few: each fetch moves 8 MB, and the
	// slow reader's pause must stay well inside the WriteTimeout under
	// -race on a busy machine.
	hot := func() (etag string, body []byte) {
		t.Helper()
		for range 3 {
			etag, body = fetch()
		}
		return etag, body
	}
	etagA, bodyA := hot()
	if len(bodyA) < 6<<20 {
		t.Fatalf("feed is %d bytes; the test needs one larger than the socket buffers", len(bodyA))
	}

	// The slow reader: the head and 64 KiB read, then a pause while the
	// rest waits in the server's write.
	conn, err := net.Dial("tcp", strings.TrimPrefix(d.base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	// Within the daemon's WriteTimeout (60 s), which ends a response
	// however slow its reader.
	start := time.Now()
	_ = conn.SetDeadline(start.Add(50 * time.Second))
	fmt.Fprintf(conn, "GET %s HTTP/1.1\r\nHost: feeds.example.test\r\n\r\n", path)
	br := bufio.NewReaderSize(conn, 4<<10)
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.Header.Get("ETag") != etagA || resp.ContentLength != int64(len(bodyA)) {
		t.Fatalf("slow GET: %d, ETag %s, Content-Length %d; want 200, %s, %d",
			resp.StatusCode, resp.Header.Get("ETag"), resp.ContentLength, etagA, len(bodyA))
	}
	first := make([]byte, 64<<10)
	if _, err := io.ReadFull(resp.Body, first); err != nil {
		t.Fatal(err)
	}

	// Two changes, with collections in between, the last one served hot:
	// whatever held version A's bytes outside the response is dropped, and
	// its place taken by the newest version.
	etag := etagA
	for v := 2; v <= 3; v++ {
		src.setBody(big, versioned(v))
		if r, body := d.admin(t, "POST", "/api/v1/admin/sources/"+id+"/poll", "Bearer "+adminToken, nil); r.StatusCode != http.StatusAccepted {
			t.Fatalf("poll request: %d %s", r.StatusCode, body)
		}
		d.waitPollOf(t, srcURL)
		prev := etag
		waitFor(t, func() bool {
			etag, _ = fetch()
			return etag != prev
		})
		runtime.GC()
		t.Logf("version %d served after %v", v, time.Since(start).Round(time.Millisecond))
	}
	hot()
	t.Logf("version 3 hot after %v", time.Since(start).Round(time.Millisecond))

	t.Logf("paused %v", time.Since(start).Round(time.Millisecond))
	rest, err := io.ReadAll(resp.Body)
	got := append(first, rest...)
	if err != nil {
		t.Fatalf("reading the rest of version A: %v after %d bytes of %d (a prefix of A: %v)", err, len(got), len(bodyA), bytes.HasPrefix(bodyA, got))
	}
	if !bytes.Equal(got, bodyA) {
		i := 0
		for i < min(len(got), len(bodyA)) && got[i] == bodyA[i] {
			i++
		}
		t.Fatalf("the slow reader got %d bytes that differ from version A's %d from byte %d on:\ngot  %.80q\nwant %.80q",
			len(got), len(bodyA), i, got[i:], bodyA[min(i, len(bodyA)):])
	}
}
