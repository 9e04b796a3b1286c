package publish

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tributary-rss/tributary/publish/i18n"
)

// logRecorder is a slog.Handler keeping every record, for tests that
// count log lines by level.
type logRecorder struct {
	mu      sync.Mutex
	records []slog.Record
}

func (h *logRecorder) Enabled(context.Context, slog.Level) bool { return true }
func (h *logRecorder) WithAttrs([]slog.Attr) slog.Handler       { return h }
func (h *logRecorder) WithGroup(string) slog.Handler            { return h }
func (h *logRecorder) Handle(_ context.Context, r slog.Record) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.records = append(h.records, r.Clone())
	return nil
}

// lines lists the records as "LEVEL message key=value…".
func (h *logRecorder) lines() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	var out []string
	for _, r := range h.records {
		line := r.Level.String() + " " + r.Message
		r.Attrs(func(a slog.Attr) bool {
			line += " " + a.String()
			return true
		})
		out = append(out, line)
	}
	return out
}

// count is how many records have level lvl.
func (h *logRecorder) count(lvl slog.Level) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	n := 0
	for _, r := range h.records {
		if r.Level == lvl {
			n++
		}
	}
	return n
}

func TestReadiness_logsOncePerChange(t *testing.T) {
	down := errors.New("store: dial tcp 10.0.0.5:6379: connect: connection refused")
	rec := &logRecorder{}
	var mu sync.Mutex
	var state error
	rd := newReadiness(func(context.Context) error { mu.Lock(); defer mu.Unlock(); return state }, slog.New(rec))
	steps := []error{nil, down, down, down, nil, nil, down}
	for _, err := range steps {
		mu.Lock()
		state = err
		mu.Unlock()
		if got := rd.probe(context.Background()); got != err {
			t.Fatalf("probe = %v, want %v", got, err)
		}
	}
	want := []string{
		"WARN not ready err=" + down.Error(),
		"INFO ready again",
		"WARN not ready err=" + down.Error(),
	}
	if got := rec.lines(); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("log:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestServer_readyzHidesDetails probes a failing /readyz many times: every
// answer says only that the store is unavailable, the log has the detail
// once, and /status shows it.
func TestServer_readyzHidesDetails(t *testing.T) {
	const detail = "store: dial tcp 10.0.0.5:6379: connect: connection refused"
	rec := &logRecorder{}
	s := NewServer(&fakeReader{}, Options{BaseURL: testBaseURL, Logger: slog.New(rec), Status: &fakeStatus{list: statusFixture()},
		UILang: i18n.EN, Ready: func(context.Context) error { return errors.New(detail) }})
	for range 5 {
		w := httptest.NewRecorder()
		s.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/readyz", nil))
		if w.Code != http.StatusServiceUnavailable || w.Body.String() != notReadyText+"\n" {
			t.Fatalf("/readyz = %d %q, want 503 %q", w.Code, w.Body.String(), notReadyText)
		}
	}
	if n := rec.count(slog.LevelWarn); n != 1 {
		t.Errorf("%d warnings for 5 failing probes, want 1:\n%s", n, strings.Join(rec.lines(), "\n"))
	}
	w := httptest.NewRecorder()
	s.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/status", nil))
	if !strings.Contains(w.Body.String(), "Readiness: not ready: "+detail) {
		t.Errorf("/status lacks the readiness detail:\n%s", w.Body.String())
	}
}

func TestRefusalLog_rateLimited(t *testing.T) {
	t0 := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	rec := &logRecorder{}
	l := newRefusalLog(slog.New(rec))
	var now time.Time
	l.now = func() time.Time { return now }
	req := httptest.NewRequest(http.MethodGet, "/api/v1/admin/sources", nil)
	req.RemoteAddr = "192.0.2.9:4242"
	tests := []struct {
		at   time.Duration
		warn string // the warning this refusal logs; empty for none
	}{
		{0, "refused=1"},
		{10 * time.Second, ""},
		{59 * time.Second, ""},
		{60 * time.Second, "refused=3"}, // a minute after the first warning
		{61 * time.Second, ""},
		{5 * time.Minute, "refused=2"},
	}
	for _, tt := range tests {
		now = t0.Add(tt.at)
		before := rec.count(slog.LevelWarn)
		l.refused(req, "wrong token")
		lines := rec.lines()
		last := lines[len(lines)-1]
		switch {
		case tt.warn == "" && rec.count(slog.LevelWarn) != before:
			t.Errorf("at %v: warned %q, want only a debug line", tt.at, last)
		case tt.warn != "" && (rec.count(slog.LevelWarn) != before+1 || !strings.Contains(last, tt.warn)):
			t.Errorf("at %v: last line %q, want a warning with %s", tt.at, last, tt.warn)
		}
	}
	if n := rec.count(slog.LevelDebug); n != len(tests) {
		t.Errorf("%d debug lines, want one per refusal (%d)", n, len(tests))
	}
}
