package poll

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tributary-rss/tributary/aggregator/fetch"
	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/aggregator/normalize"
	"github.com/tributary-rss/tributary/aggregator/scheduler/plan/plantest"
	"github.com/tributary-rss/tributary/aggregator/store"
	"github.com/tributary-rss/tributary/aggregator/store/storetest"
)

// Fault-matrix limits: short enough to keep the suite fast, the body limit
// small enough that a 1 GiB body is refused after 8 MiB and large enough
// that a 100,000-item feed and a 5 MB item fit.
const (
	faultTimeout       = 2 * time.Second
	faultHeaderTimeout = 500 * time.Millisecond
	faultMaxBody       = 8 << 20
)

// faultRig is one fault case's world: a real redis-server, the real
// fetch → parse → normalize → store pipeline, a faulty source and a
// healthy one in the same section, each on its own loopback server.
type faultRig struct {
	t       *testing.T
	store   *store.Store
	poller  *Poller
	faulty  model.Source
	healthy model.Source
	// phase is 0 while the faulty source is still healthy, 1 once it
	// misbehaves; the healthy source serves one more item in phase 1.
	phase atomic.Int32
}

func newFaultRig(t *testing.T, fault http.HandlerFunc) *faultRig {
	t.Helper()
	st := store.New(storetest.NewClient(t, storetest.StartRedis(t)), "", nil)
	r := &faultRig{t: t, store: st}
	stop := make(chan struct{})
	faultySrv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if r.phase.Load() == 0 {
			_, _ = w.Write([]byte(faultBeforeFeed))
			return
		}
		fault(w, req.WithContext(stopContext(req.Context(), stop)))
	}))
	healthySrv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write([]byte(healthyFeed(int(r.phase.Load()) + 1)))
	}))
	// Handlers that hang must return before the servers' Close waits.
	t.Cleanup(healthySrv.Close)
	t.Cleanup(faultySrv.Close)
	t.Cleanup(func() { close(stop) })
	sections := []model.Section{{ID: "news", MaxItems: 200, SourceIDs: []string{"faulty", "healthy"}}}
	f := fetch.New(fetch.Options{Timeout: faultTimeout, HeaderTimeout: faultHeaderTimeout, MaxBodyBytes: faultMaxBody})
	r.poller = New(st, f, normalize.New(normalize.Options{}), sections, slog.New(slog.DiscardHandler))
	r.poller.Now = func() time.Time { return plantest.Now }
	r.faulty = model.Source{ID: "faulty", URL: faultySrv.URL + "/feed", Schedule: "@every 15m", Location: time.UTC, SectionIDs: []string{"news"}}
	r.healthy = model.Source{ID: "healthy", URL: healthySrv.URL + "/feed", Schedule: "@every 15m", Location: time.UTC, SectionIDs: []string{"news"}}
	return r
}

// stopContext is ctx, also done when stop closes: a handler that "hangs
// forever" still returns when the test ends.
func stopContext(ctx context.Context, stop <-chan struct{}) context.Context {
	ctx, cancel := context.WithCancel(ctx)
	go func() {
		select {
		case <-stop:
		case <-ctx.Done():
		}
		cancel()
	}()
	return ctx
}

// pollBoth polls the faulty and the healthy source at once.
func (r *faultRig) pollBoth() (faulty, healthy Result) {
	done := make(chan Result)
	go func() { done <- r.poller.Poll(context.Background(), r.healthy, plantest.QuarterHourly()) }()
	faulty = r.poller.Poll(context.Background(), r.faulty, plantest.QuarterHourly())
	return faulty, <-done
}

func (r *faultRig) state(id string) model.SourceState {
	r.t.Helper()
	st, err := r.store.SourceState(context.Background(), id)
	if err != nil {
		r.t.Fatal(err)
	}
	return st
}

// ids returns the entry ids of a source (by its index) or of a section.
func (r *faultRig) ids(sourceID, sectionID string) map[string]bool {
	r.t.Helper()
	var (
		es  []model.Entry
		err error
	)
	if sectionID != "" {
		es, err = r.store.SectionEntries(context.Background(), sectionID, 0)
	} else {
		es, err = r.store.SourceEntries(context.Background(), sourceID, 0)
	}
	if err != nil {
		r.t.Fatal(err)
	}
	out := make(map[string]bool, len(es))
	for _, e := range es {
		out[e.ID] = true
	}
	return out
}

// faultBeforeFeed is what the faulty source served before it broke: dated
// in the future of the test clock, so no later feed pushes them out of the
// section by age.
const faultBeforeFeed = `<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>before</title>
<item><title>before one</title><guid>b1</guid><link>https://faulty.example/b1</link><pubDate>Mon, 28 Dec 2026 10:00:00 GMT</pubDate></item>
<item><title>before two</title><guid>b2</guid><link>https://faulty.example/b2</link><pubDate>Mon, 28 Dec 2026 11:00:00 GMT</pubDate></item>
<item><title>before three</title><guid>b3</guid><link>https://faulty.example/b3</link><pubDate>Mon, 28 Dec 2026 12:00:00 GMT</pubDate></item>
</channel></rss>`

func healthyFeed(items int) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0"?><rss version="2.0"><channel><title>healthy</title>`)
	for i := 1; i <= items; i++ {
		fmt.Fprintf(&b, `<item><title>healthy %d</title><guid>h%d</guid><link>https://healthy.example/%d</link><pubDate>Sat, 28 Nov 2026 0%d:00:00 GMT</pubDate></item>`, i, i, i, i)
	}
	b.WriteString(`</channel></rss>`)
	return b.String()
}

// memUse is what one poll cost the Go heap.
type memUse struct {
	// Peak is the highest HeapAlloc sampled during the poll minus the
	// HeapAlloc before it; Total the bytes allocated meanwhile (TotalAlloc
	// delta, an upper bound of any peak); Retained the HeapAlloc growth
	// left after a GC once the poll is over.
	Peak, Total, Retained int64
}

func (m memUse) String() string {
	return fmt.Sprintf("peak +%.1f MiB, allocated %.1f MiB, retained %+.1f MiB",
		mib(m.Peak), mib(m.Total), mib(m.Retained))
}

func mib(n int64) float64 { return float64(n) / (1 << 20) }

// measureHeap runs f while sampling the heap every 2 ms.
func measureHeap(f func()) memUse {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	var peak atomic.Uint64
	stop, sampled := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(sampled)
		tick := time.NewTicker(2 * time.Millisecond)
		defer tick.Stop()
		for {
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			if ms.HeapAlloc > peak.Load() {
				peak.Store(ms.HeapAlloc)
			}
			select {
			case <-stop:
				return
			case <-tick.C:
			}
		}
	}()
	f()
	close(stop)
	<-sampled
	runtime.ReadMemStats(&after)
	total := int64(after.TotalAlloc - before.TotalAlloc)
	runtime.GC()
	runtime.ReadMemStats(&after)
	return memUse{
		Peak:     int64(peak.Load()) - int64(before.HeapAlloc),
		Total:    total,
		Retained: int64(after.HeapAlloc) - int64(before.HeapAlloc),
	}
}

// Fault handlers.

func hangForever(_ http.ResponseWriter, r *http.Request) { <-r.Context().Done() }

func faultStatus(code int, header ...string) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		for i := 0; i+1 < len(header); i += 2 {
			w.Header().Set(header[i], header[i+1])
		}
		w.WriteHeader(code)
	}
}

func faultBody(contentType, body string) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", contentType)
		_, _ = w.Write([]byte(body))
	}
}

// resetMidBody promises 100,000 bytes, sends a few, then resets (RST).
func resetMidBody(w http.ResponseWriter, _ *http.Request) {
	conn, buf, err := w.(http.Hijacker).Hijack()
	if err != nil {
		return
	}
	_, _ = buf.WriteString("HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n<rss version=\"2.0\"><channel>")
	_ = buf.Flush()
	_ = conn.(*net.TCPConn).SetLinger(0)
	_ = conn.Close()
}

func redirectLoop(w http.ResponseWriter, r *http.Request) {
	next := map[string]string{"/feed": "/loop", "/loop": "/feed"}[r.URL.Path]
	http.Redirect(w, r, next, http.StatusFound)
}

// endlessBody streams 1 GiB of feed-looking bytes, chunked, from one
// reused buffer: the server side allocates nothing per chunk either.
func endlessBody(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/rss+xml")
	chunk := bytes.Repeat([]byte("<item><title>x</title></item>"), 2048)
	_, _ = w.Write([]byte(`<rss version="2.0"><channel>`))
	for sent := 0; sent < 1<<30 && r.Context().Err() == nil; sent += len(chunk) {
		if _, err := w.Write(chunk); err != nil {
			return
		}
	}
}

// gzipBomb is 1 GiB of zeros as 1,024 concatenated gzip members of 1 MiB
// each (about 1 MB on the wire): Go's gzip reader reads multistream, so it
// is one body to the fetcher, and building it costs compressing 1 MiB once.
func gzipBomb(tb testing.TB) []byte {
	tb.Helper()
	var member bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&member, gzip.BestCompression)
	if _, err := zw.Write(make([]byte, 1<<20)); err != nil {
		tb.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		tb.Fatal(err)
	}
	return bytes.Repeat(member.Bytes(), 1024)
}

func serveGzip(body []byte) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Header().Set("Content-Encoding", "gzip")
		_, _ = w.Write(body)
	}
}

// manyItems is an RSS feed of n items dated 2020: older than every other
// entry of the test, so they fill the section only below them.
func manyItems(n int) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0"?><rss version="2.0"><channel><title>many</title>`)
	for i := range n {
		fmt.Fprintf(&b, "<item><guid>g%d</guid><pubDate>2020-01-01</pubDate></item>\n", i)
	}
	b.WriteString(`</channel></rss>`)
	return b.String()
}

// collidingGuids is n items sharing one guid, with distinct links.
func collidingGuids(n int) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0"?><rss version="2.0"><channel><title>same guid</title>`)
	for i := range n {
		fmt.Fprintf(&b, "<item><title>c%d</title><guid>same</guid><link>https://faulty.example/c%d</link></item>\n", i, i)
	}
	b.WriteString(`</channel></rss>`)
	return b.String()
}

// hugeItem is one item whose description is about 5 MB of HTML.
func hugeItem() string {
	return `<?xml version="1.0"?><rss version="2.0"><channel><title>huge</title><item><title>huge</title><guid>huge</guid><description>` +
		strings.Repeat("&lt;p&gt;资讯 news paragraph&lt;/p&gt; ", 5<<20/40) + `</description></item></channel></rss>`
}

// billionLaughs declares nested entities that expand to 10⁹ "lol"s.
func billionLaughs() string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY lol0 "lol">`)
	for i := 1; i <= 9; i++ {
		fmt.Fprintf(&b, `<!ENTITY lol%d "%s">`, i, strings.Repeat(fmt.Sprintf("&lol%d;", i-1), 10))
	}
	b.WriteString(`]><rss version="2.0"><channel><title>&lol9;</title><item><title>&lol9;</title><guid>lol</guid></item></channel></rss>`)
	return b.String()
}
