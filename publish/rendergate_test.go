package publish

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"runtime"
	"runtime/metrics"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tributary-rss/tributary/aggregator/model"
)

// holdReader holds every read of a page of limit entries until release
// is closed, so a test keeps one render busy and lets others through.
type holdReader struct {
	*fakeReader
	limit   int
	release chan struct{}
	held    atomic.Int32
}

func (h *holdReader) SectionPage(ctx context.Context, id string, q model.PageQuery) (model.Page, error) {
	if q.Limit == h.limit {
		h.held.Add(1)
		select {
		case <-h.release:
		case <-ctx.Done():
			return model.Page{}, ctx.Err()
		}
	}
	return h.fakeReader.SectionPage(ctx, id, q)
}

// TestServer_renderConcurrency: with one render slot held by a render in
// progress, a request for another uncached page waits briefly and gets
// 503 with Retry-After, without reading the store; a request for the
// render in progress waits for it and shares it; a cached page is served
// at once; the index still answers. Once the slot is free, the refused
// page renders.
func TestServer_renderConcurrency(t *testing.T) {
	fx := loadFixture(t)
	r := newFakeReader(fx)
	hr := &holdReader{fakeReader: r, limit: 1, release: make(chan struct{})}
	s := NewServer(hr, Options{BaseURL: testBaseURL, Sections: []model.Section{fx.Section},
		RenderConcurrency: 1, RenderWait: 50 * time.Millisecond})
	ts := newHTTPTest(t, s)
	if resp, _ := get(t, ts, "/sections/news.rss?limit=3"); resp.StatusCode != http.StatusOK {
		t.Fatalf("priming the cache: %d", resp.StatusCode)
	}
	type answer struct {
		code int
		body string
	}
	held := make(chan answer, 2)
	for range 2 {
		go func() {
			resp, err := ts.Client().Get(ts.URL + "/sections/news.rss?limit=1")
			if err != nil {
				held <- answer{body: err.Error()}
				return
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			held <- answer{resp.StatusCode, string(b)}
		}()
	}
	// Both missed the cache; one holds the slot reading the store, the
	// other waits on that render.
	waitFor(t, func() bool { return r.metaCalls.Load() == 3 && hr.held.Load() == 1 })

	for _, path := range []string{"/sections/news.rss?limit=2", "/api/v1/sections/news/entries", "/sections/news.atom", "/sections/news", "/embed/news.html"} {
		// A browser asking for a page gets the error page, with the same
		// status and Retry-After.
		resp, body := fetch(t, ts, http.MethodGet, path, map[string]string{"Accept": "text/html"})
		if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" {
			t.Errorf("GET %s while the slot is held: %d, Retry-After %q, want 503 with Retry-After", path, resp.StatusCode, resp.Header.Get("Retry-After"))
		}
		if secs, err := strconv.Atoi(resp.Header.Get("Retry-After")); err != nil || secs < 1 {
			t.Errorf("Retry-After %q, want a number of seconds", resp.Header.Get("Retry-After"))
		}
		t.Logf("GET %s: %d %.80q", path, resp.StatusCode, strings.TrimSpace(string(body)))
	}
	if resp, body := get(t, ts, "/sections/news.rss?limit=3"); resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "<rss") {
		t.Errorf("cached page while the slot is held: %d", resp.StatusCode)
	}
	if resp, _ := get(t, ts, "/"); resp.StatusCode != http.StatusOK {
		t.Errorf("index while the slot is held: %d, want 200 (without headlines)", resp.StatusCode)
	}
	if n := r.entriesCalls.Load(); n != 1 {
		t.Errorf("%d store reads, want 1, the priming one (the refused renders read nothing)", n)
	}

	close(hr.release)
	for range 2 {
		if a := <-held; a.code != http.StatusOK || !strings.Contains(a.body, "<rss") {
			t.Errorf("held request: %d %.100q, want 200", a.code, a.body)
		}
	}
	if n := hr.held.Load(); n != 1 {
		t.Errorf("%d reads of the held page, want 1: the two requests for it share one render", n)
	}
	if resp, _ := get(t, ts, "/sections/news.rss?limit=2"); resp.StatusCode != http.StatusOK {
		t.Errorf("refused page once the slot is free: %d", resp.StatusCode)
	}
}

// memoryBytes reads the bytes of live and not yet swept heap objects and
// of all the memory the runtime has mapped (what the process's RSS can
// be at most, short of what the OS took back).
func memoryBytes() (heap, total uint64) {
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}, {Name: "/memory/classes/total:bytes"}}
	metrics.Read(sample)
	return sample[0].Value.Uint64(), sample[1].Value.Uint64()
}

// memoryPeak samples memoryBytes every few hundred microseconds until stop
// is called, which returns the highest values seen.
func memoryPeak() (stop func() (heap, total uint64)) {
	var heapPeak, totalPeak uint64
	done, finished := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(finished)
		tick := time.NewTicker(200 * time.Microsecond)
		defer tick.Stop()
		for {
			h, m := memoryBytes()
			heapPeak, totalPeak = max(heapPeak, h), max(totalPeak, m)
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	}()
	return func() (uint64, uint64) {
		close(done)
		<-finished
		return heapPeak, totalPeak
	}
}

// TestServer_renderBurstMemory: sixteen parallel requests for distinct
// uncached feeds of a section of 200 entries of ~248 KB (each would render
// to some 60 MB whole) grow the heap by at most 512 MB, and after the
// burst the heap holds no more than the render cache's budget of them.
func TestServer_renderBurstMemory(t *testing.T) {
	const n, contentBytes, parallel = 200, 248 << 10, 16
	sec, entries := bigSection(n, contentBytes)
	s := NewServer(bigReader(sec, entries), Options{BaseURL: testBaseURL, Sections: []model.Section{sec}})
	ts := newHTTPTest(t, s)
	client := &http.Client{Transport: &http.Transport{DisableCompression: true, MaxIdleConnsPerHost: parallel}}
	t.Cleanup(client.CloseIdleConnections)

	runtime.GC()
	base, baseTotal := memoryBytes()
	stop := memoryPeak()
	codes := make([]int, parallel)
	sizes := make([]int, parallel)
	var wg sync.WaitGroup
	start := time.Now()
	for i := range parallel {
		wg.Go(func() {
			resp, err := client.Get(fmt.Sprintf("%s/sections/news.rss?limit=%d", ts.URL, n-i))
			if err != nil {
				t.Errorf("request %d: %v", i, err)
				return
			}
			defer resp.Body.Close()
			// Count the body without holding it: the client's copy is not
			// the server's memory.
			m, _ := io.Copy(io.Discard, resp.Body)
			codes[i], sizes[i] = resp.StatusCode, int(m)
			if resp.StatusCode == http.StatusServiceUnavailable && resp.Header.Get("Retry-After") == "" {
				t.Errorf("request %d: 503 without Retry-After", i)
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	peak, peakTotal := stop()
	runtime.GC()
	after, _ := memoryBytes()

	const mb = 1 << 20
	growth := int64(peak) - int64(base)
	held := int64(after) - int64(base)
	ok := 0
	for _, c := range codes {
		if c == http.StatusOK {
			ok++
		}
	}
	t.Logf("%d parallel GETs of %d entries × %d KB in %v: %d answered 200 (largest body %d bytes), statuses %v",
		parallel, n, contentBytes>>10, elapsed.Round(time.Millisecond), ok, slices.Max(sizes), codes)
	t.Logf("heap objects: base %d MB, peak %d MB (growth %d MB), after GC %d MB (held %d MB); memory mapped: base %d MB, peak %d MB",
		base/mb, peak/mb, growth/mb, after/mb, held/mb, baseTotal/mb, peakTotal/mb)
	if ok == 0 {
		t.Error("no request rendered")
	}
	if growth > 512*mb {
		t.Errorf("heap grew by %d MB during the burst, want at most 512 MB", growth/mb)
	}
	if held > DefaultRenderCacheBytes+32*mb {
		t.Errorf("heap holds %d MB more after the burst, want at most the render cache's %d MB (plus slack)", held/mb, DefaultRenderCacheBytes/mb)
	}
}
