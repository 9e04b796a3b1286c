package publish

import (
	"log/slog"
	"net/http"
	"sync"
	"time"
)

// refusalWarnEvery is the least time between two warnings about requests
// refused for a missing or wrong token.
const refusalWarnEvery = time.Minute

// refusalLog records requests refused for a missing or wrong token (admin
// API, operator pages, a guarded /metrics). Each refusal is logged at
// debug; a warning, at most one per refusalWarnEvery, says how many were
// refused since the last one. A scanner hammering the admin API thus
// costs the log one line a minute, while the first refusal still warns
// at once. Counts after the last warning are reported with the next
// refusal, not on a timer.
type refusalLog struct {
	log   *slog.Logger
	now   func() time.Time
	every time.Duration
	// client names the request's client (see clientaddr.go); nil: the
	// peer's address.
	client func(*http.Request) string

	mu       sync.Mutex
	count    int // refusals since the last warning
	lastWarn time.Time
}

func newRefusalLog(log *slog.Logger) *refusalLog {
	return &refusalLog{log: log, now: time.Now, every: refusalWarnEvery}
}

// refused records one refusal of r; why says what was wrong with it.
func (l *refusalLog) refused(r *http.Request, why string) {
	l.log.Debug("request refused", "client", l.clientOf(r), "method", r.Method, "path", r.URL.Path, "why", why)
	l.mu.Lock()
	l.count++
	now := l.now()
	if !l.lastWarn.IsZero() && now.Sub(l.lastWarn) < l.every {
		l.mu.Unlock()
		return
	}
	n := l.count
	l.count, l.lastWarn = 0, now
	l.mu.Unlock()
	l.log.Warn("requests refused for a missing or wrong token", "refused", n, "per", l.every.String(),
		"last_client", l.clientOf(r), "last_path", r.URL.Path)
}

func (l *refusalLog) clientOf(r *http.Request) string {
	if l.client == nil {
		return r.RemoteAddr
	}
	return l.client(r)
}
