package publish

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/tributary-rss/tributary/aggregator/model"
)

// TestFlight_panic: when fn panics, the caller that ran it and every
// caller waiting on it get a *panicError carrying the stack; none gets a
// zero value without an error, and the flight is usable afterwards.
func TestFlight_panic(t *testing.T) {
	var g flight[string, *rendering]
	release := make(chan struct{})
	var runs atomic.Int32
	fn := func() (*rendering, error) {
		runs.Add(1)
		<-release
		panic("renderer bug")
	}
	const n = 8
	errs := make([]error, n)
	vals := make([]*rendering, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { vals[i], errs[i] = g.do(context.Background(), "k", fn) })
	}
	waitFor(t, func() bool { return runs.Load() >= 1 })
	close(release)
	wg.Wait()
	for i := range n {
		var pe *panicError
		if !errors.As(errs[i], &pe) || vals[i] != nil {
			t.Fatalf("caller %d: %v, %v; want a *panicError", i, vals[i], errs[i])
		}
		if !strings.Contains(string(pe.stack), "TestFlight_panic") {
			t.Errorf("caller %d: the stack does not show where the panic was:\n%s", i, pe.stack)
		}
	}
	t.Logf("%d callers, fn ran %d times", n, runs.Load())
	rend, err := g.do(context.Background(), "k", func() (*rendering, error) { return &rendering{}, nil })
	if rend == nil || err != nil {
		t.Errorf("after the panic: %v, %v", rend, err)
	}
}

// panickyReader panics while reading a page, as a renderer bug would,
// while panicking is set.
type panickyReader struct {
	*fakeReader
	panicking atomic.Bool
}

func (p *panickyReader) SectionPage(ctx context.Context, id string, q model.PageQuery) (model.Page, error) {
	page, err := p.fakeReader.SectionPage(ctx, id, q)
	if p.panicking.Load() {
		panic("renderer bug")
	}
	return page, err
}

// syncBuffer is a bytes.Buffer safe for a logger's concurrent writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// TestServer_renderPanic: a render that panics answers 500 to the request
// that started it and to every request that waited on it, logs the panic
// with its stack once per render, and the server goes on serving.
func TestServer_renderPanic(t *testing.T) {
	fx := loadFixture(t)
	r := &panickyReader{fakeReader: newFakeReader(fx)}
	r.panicking.Store(true)
	gate := make(chan struct{})
	r.gate = gate
	var logs syncBuffer
	s := NewServer(r, Options{BaseURL: testBaseURL, Sections: []model.Section{fx.Section},
		Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	ts := newHTTPTest(t, s)

	const n = 10
	codes := make([]int, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			resp, err := ts.Client().Get(ts.URL + "/sections/news.rss")
			if err != nil {
				errs[i] = err // the old flight handed waiters nil: the handler crashed
				return
			}
			defer resp.Body.Close()
			_, errs[i] = io.ReadAll(resp.Body)
			codes[i] = resp.StatusCode
		})
	}
	// Hold the render until every request has missed the cache, so they
	// wait on the same one.
	waitFor(t, func() bool { return r.metaCalls.Load() == n })
	close(gate)
	wg.Wait()
	for i := range n {
		if errs[i] != nil || codes[i] != http.StatusInternalServerError {
			t.Errorf("request %d: status %d, error %v; want a 500", i, codes[i], errs[i])
		}
	}
	renders := r.entriesCalls.Load()
	logged := strings.Count(logs.String(), "render panicked")
	if logged != int(renders) || !strings.Contains(logs.String(), "panickyReader") || !strings.Contains(logs.String(), "section_id=news") {
		t.Errorf("%d renders, %d panics logged, want one each with the section and the stack:\n%s", renders, logged, logs.String())
	}
	t.Logf("%d requests shared %d renders", n, renders)

	r.panicking.Store(false)
	if resp, body := get(t, ts, "/sections/news.rss"); resp.StatusCode != http.StatusOK || !bytes.Contains(body, []byte("<rss")) {
		t.Errorf("after the panic: status %d", resp.StatusCode)
	}
}
