package poll

import (
	"context"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/tributary-rss/tributary/aggregator/normalize"
	"github.com/tributary-rss/tributary/aggregator/scheduler/plan/plantest"
)

// Memory bounds of one poll of a misbehaving source, stated in docs/reliability.md
// ("Reliability"). A refused source (error, 1 GiB body, gzip bomb, …)
// never costs more than faultPeakRefused of heap at its peak: the body limit
// (8 MiB here) plus buffers, so a 1 GiB or bomb body is never materialized.
// An accepted huge feed (100,000 items in 6 MB, one 5 MB item) is bounded
// by faultPeakAccepted: it is parsed whole, and its newest
// normalize.DefaultMaxItems items are normalized and stored. Nothing of a poll stays on the heap once it is over
// beyond faultRetained.
const (
	faultPeakRefused  = 48 << 20
	faultPeakAccepted = 512 << 20
	faultRetained     = 16 << 20
)

// TestPoller_SourceFaults runs the whole poll pipeline (real fetch, gofeed,
// normalizer and store on a real redis-server) against a source that first
// serves three entries and then misbehaves, while a healthy source of the
// same section is polled at the same time. For every fault: the source's
// state says precisely what happened, the healthy source is untouched, the
// three earlier entries are all still stored and in the section, and the
// poll's heap use stays bounded.
func TestPoller_SourceFaults(t *testing.T) {
	bomb := gzipBomb(t)
	tests := []struct {
		name    string
		fault   http.HandlerFunc
		status  int    // stored last_status
		err     string // regexp the stored last_error matches in full; "" means success
		gone    bool
		nextDue time.Time // when the server said when to return: the first firing after it
		entries int       // entries of the source after the poll (3 before)
		accept  bool      // a large feed that is accepted: faultPeakAccepted applies
	}{
		{name: "hangs forever", fault: hangForever,
			err: `timeout after 500ms waiting for response headers`, entries: 3},
		{name: "reset mid-body", fault: resetMidBody,
			err: `connection reset by the server|unexpected EOF`, entries: 3},
		{name: "500", fault: faultStatus(500),
			status: 500, err: `HTTP 500 Internal Server Error`, entries: 3},
		{name: "503 with Retry-After", fault: faultStatus(503, "Retry-After", "7200"),
			status: 503, err: `HTTP 503 Service Unavailable`, nextDue: plantest.At("12:15"), entries: 3},
		{name: "429", fault: faultStatus(429, "Retry-After", "600"),
			status: 429, err: `HTTP 429 Too Many Requests`, nextDue: plantest.At("10:30"), entries: 3},
		{name: "410", fault: faultStatus(410),
			status: 410, err: `HTTP 410 Gone`, gone: true, entries: 3},
		{name: "redirect loop", fault: redirectLoop,
			err: `redirect: loop back to http://127\.0\.0\.1:\d+/feed`, entries: 3},
		{name: "1 GiB body", fault: endlessBody,
			err: `body over the 8388608-byte limit`, entries: 3},
		{name: "gzip bomb", fault: serveGzip(bomb),
			err: `decompressed body over the 8388608-byte limit`, entries: 3},
		{name: "truncated XML", fault: faultBody("application/rss+xml", `<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><item><title>cut`),
			status: 200, err: `parse error at line 1: .+`, entries: 3},
		{name: "HTML page", fault: faultBody("text/html", `<!doctype html><html><head><title>Site maintenance</title></head><body>back soon</body></html>`),
			status: 200, err: `not a feed: HTML page: "Site maintenance"`, entries: 3},
		{name: "empty 200", fault: faultBody("application/rss+xml", ""),
			status: 200, err: `not a feed: empty body`, entries: 3},
		{name: "invalid UTF-8", fault: faultBody("application/rss+xml; charset=utf-8", "<?xml version=\"1.0\" encoding=\"utf-8\"?><rss version=\"2.0\"><channel><title>bad \xff\xfe</title><item><title>bad \xc3\x28 bytes</title><guid>u1</guid></item></channel></rss>"),
			status: 200, entries: 4},
		{name: "100,000 items", fault: faultBody("application/rss+xml", manyItems(100_000)),
			status: 200, entries: 3 + normalize.DefaultMaxItems, accept: true},
		{name: "one 5 MB item", fault: faultBody("application/rss+xml", hugeItem()),
			status: 200, entries: 4, accept: true},
		// gofeed never expands DOCTYPE entities: the item is stored with the
		// reference unexpanded (checkEntries looks for "lollol").
		{name: "billion laughs", fault: faultBody("application/rss+xml", billionLaughs()),
			status: 200, entries: 4},
		{name: "all guids collide", fault: faultBody("application/rss+xml", collidingGuids(20)),
			status: 200, entries: 23},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newFaultRig(t, tt.fault)
			if f, h := r.pollBoth(); f.Err != nil || h.Err != nil {
				t.Fatalf("healthy first polls: %v, %v", f.Err, h.Err)
			}
			before := r.ids("faulty", "")
			r.phase.Store(1)
			var faulty, healthy Result
			start := time.Now()
			mem := measureHeap(func() { faulty, healthy = r.pollBoth() })
			t.Logf("%s: %v in %v; %s", tt.name, faulty.Err, time.Since(start).Round(time.Millisecond), mem)
			r.checkState(tt.status, tt.err, tt.gone, tt.nextDue)
			r.checkHealthy(healthy)
			r.checkEntries(before, tt.entries)
			peak := int64(faultPeakRefused)
			if tt.accept {
				peak = faultPeakAccepted
			}
			if mem.Peak > peak || mem.Retained > faultRetained {
				t.Errorf("heap: %s; bounds: peak %.0f MiB, retained %.0f MiB", mem, mib(peak), mib(faultRetained))
			}
		})
	}
}

func (r *faultRig) checkState(status int, errRe string, gone bool, nextDue time.Time) {
	r.t.Helper()
	st := r.state("faulty")
	if st.LastStatus != status {
		r.t.Errorf("last_status = %d, want %d", st.LastStatus, status)
	}
	if errRe == "" && st.LastError != "" {
		r.t.Errorf("last_error = %q, want success", st.LastError)
	}
	if re := regexp.MustCompile(`^(?:` + errRe + `)$`); errRe != "" && !re.MatchString(st.LastError) {
		r.t.Errorf("last_error = %q, want /%s/", st.LastError, errRe)
	}
	if wantErrors := map[bool]int{true: 1}[errRe != ""]; st.ErrorsInRow != wantErrors {
		r.t.Errorf("errors_in_row = %d, want %d", st.ErrorsInRow, wantErrors)
	}
	if st.Gone != gone {
		r.t.Errorf("gone = %v, want %v", st.Gone, gone)
	}
	if !nextDue.IsZero() && !st.NextDue.Equal(nextDue) {
		r.t.Errorf("next_due = %v, want %v (Retry-After)", st.NextDue, nextDue)
	}
}

// checkHealthy: the other source of the section polled normally meanwhile.
func (r *faultRig) checkHealthy(res Result) {
	r.t.Helper()
	if res.Err != nil || res.New != 1 {
		r.t.Errorf("healthy source: err %v, %d new, want no error and 1 new", res.Err, res.New)
	}
	if st := r.state("healthy"); st.LastError != "" || st.ErrorsInRow != 0 {
		r.t.Errorf("healthy source state: last_error %q, errors_in_row %d", st.LastError, st.ErrorsInRow)
	}
	section := r.ids("", "news")
	for id := range r.ids("healthy", "") {
		if !section[id] {
			r.t.Errorf("healthy entry %s missing from the section", id)
		}
	}
}

// checkEntries: every entry stored before the fault is still in the source
// and in the section, and every stored entry is valid UTF-8.
func (r *faultRig) checkEntries(before map[string]bool, want int) {
	r.t.Helper()
	after, section := r.ids("faulty", ""), r.ids("", "news")
	for id := range before {
		if !after[id] || !section[id] {
			r.t.Errorf("entry %s stored before the fault: in source %v, in section %v", id, after[id], section[id])
		}
	}
	if len(after) != want {
		r.t.Errorf("source holds %d entries, want %d", len(after), want)
	}
	es, err := r.store.SourceEntries(context.Background(), "faulty", 50)
	if err != nil {
		r.t.Fatal(err)
	}
	for _, e := range es {
		if !utf8.ValidString(e.Title+e.Summary+e.Content) || strings.Contains(e.Title, "lollol") {
			r.t.Errorf("entry %s: invalid UTF-8 or expanded entities in %q", e.ID, e.Title)
		}
	}
}
