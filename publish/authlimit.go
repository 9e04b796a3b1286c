package publish

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/tributary-rss/tributary/aggregator/model"
)

// Every check of the admin token — the console's sign-in, the admin API,
// the audit log, the operator pages and a guarded /metrics — goes through
// one limit: a client (an IPv4 address, an IPv6 /64) that gave a wrong
// token authFailLimit times within authWindow is refused with 429 and
// Retry-After, whatever token it gives, until the window that its first
// failure opened ends. Other clients are not affected.
const (
	authFailLimit = 5
	authWindow    = 15 * time.Minute
	// authLocalMax bounds each of the limiter's tables in memory (locked
	// clients; counts kept while the store is unreachable): a few hundred
	// kilobytes at most.
	authLocalMax = 10_000
	// authStoreTimeout bounds one store call of the limit, so that a
	// stalled store holds a request for little longer than a refusal.
	authStoreTimeout = 2 * time.Second
)

// overflowClient is the count that clients share while the store is
// unreachable and the table of counts is full of clients still in their
// window: together they get authFailLimit failures per window, so a
// flood of addresses cannot buy unlimited guesses.
const overflowClient = "*"

// AuthCounter keeps the count of failed token checks in the store, so
// that the limit holds on every instance and across restarts.
type AuthCounter interface {
	// AuthFailed counts a failed token check of f.Client and records it
	// in the client's aggregate record; it returns the failures in the
	// client's window, this one included, and the time the window has
	// left.
	AuthFailed(ctx context.Context, f model.AuthFailure, window time.Duration) (int, time.Duration, error)
	// AuthFailures reads the failures in client's window and the time it
	// has left, without counting one.
	AuthFailures(ctx context.Context, client string) (int, time.Duration, error)
}

// authLimiter decides whether a client may have its token checked.
//
// The store holds the count. A client this instance saw locked out is
// refused from memory, so a locked client costs no store call; any other
// check reads its count once (one round trip, no write), and a failure
// writes it once. When the store does not answer, each instance counts
// on its own, in a bounded table, until the store answers again: neither
// everyone locked out nor unlimited guessing, at the price of
// authFailLimit guesses per instance and window during an outage.
type authLimiter struct {
	store  AuthCounter // nil: this instance's count only
	now    func() time.Time
	log    *slog.Logger
	limit  int
	window time.Duration
	max    int

	mu     sync.Mutex
	locked map[string]time.Time  // client → end of its lockout
	counts map[string]localCount // failures while the store is unreachable
	down   atomic.Bool           // the store failed its last call
}

// localCount is a client's failures counted in memory and the end of the
// window the first of them opened.
type localCount struct {
	n     int
	until time.Time
}

func newAuthLimiter(store AuthCounter, now func() time.Time, log *slog.Logger) *authLimiter {
	return &authLimiter{store: store, now: now, log: log, limit: authFailLimit, window: authWindow, max: authLocalMax,
		locked: map[string]time.Time{}, counts: map[string]localCount{}}
}

// lockedUntil reports whether client is locked out, and until when.
func (l *authLimiter) lockedUntil(ctx context.Context, client string) (time.Time, bool) {
	now := l.now()
	if until, ok := l.cachedLock(client, now); ok {
		return until, true
	}
	if l.store != nil {
		ctx, cancel := context.WithTimeout(ctx, authStoreTimeout)
		n, left, err := l.store.AuthFailures(ctx, client)
		cancel()
		if err == nil {
			l.storeAnswered()
			if n < l.limit {
				return time.Time{}, false
			}
			until := now.Add(left)
			l.cacheLock(client, until, now)
			return until, true
		}
		l.storeFailed(err)
	}
	return l.localLocked(client, now)
}

// failed counts a wrong token of client given through via; it returns the
// failures in the client's window, this one included, and the window's
// end.
func (l *authLimiter) failed(ctx context.Context, client, via string) (int, time.Time) {
	now := l.now()
	if l.store != nil {
		// Counted even if the client hangs up: it has its answer.
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), authStoreTimeout)
		n, left, err := l.store.AuthFailed(ctx, model.AuthFailure{Client: client, Via: via, Time: now}, l.window)
		cancel()
		if err == nil {
			l.storeAnswered()
			until := now.Add(left)
			if n >= l.limit {
				l.cacheLock(client, until, now)
			}
			return n, until
		}
		l.storeFailed(err)
	}
	return l.localFailed(client, now)
}

func (l *authLimiter) cachedLock(client string, now time.Time) (time.Time, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	until, ok := l.locked[client]
	if ok && !now.Before(until) {
		delete(l.locked, client)
		return time.Time{}, false
	}
	return until, ok
}

// cacheLock remembers that client is locked out until until. With the
// table full of live lockouts it remembers nothing: the store still
// knows.
func (l *authLimiter) cacheLock(client string, until, now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.locked) >= l.max {
		for c, u := range l.locked {
			if !now.Before(u) {
				delete(l.locked, c)
			}
		}
		if len(l.locked) >= l.max {
			return
		}
	}
	l.locked[client] = until
}

// localLocked decides from this instance's own count.
func (l *authLimiter) localLocked(client string, now time.Time) (time.Time, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	c, ok := l.counts[client]
	if !ok && len(l.counts) >= l.max {
		c, ok = l.counts[overflowClient]
	}
	if ok && now.Before(c.until) && c.n >= l.limit {
		return c.until, true
	}
	return time.Time{}, false
}

// localFailed counts a failure in this instance's table.
func (l *authLimiter) localFailed(client string, now time.Time) (int, time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if _, ok := l.counts[client]; !ok && len(l.counts) >= l.max {
		for k, c := range l.counts {
			if !now.Before(c.until) {
				delete(l.counts, k)
			}
		}
		if len(l.counts) >= l.max {
			client = overflowClient
		}
	}
	c := l.counts[client]
	if !now.Before(c.until) {
		c = localCount{until: now.Add(l.window)}
	}
	c.n++
	l.counts[client] = c
	return c.n, c.until
}

func (l *authLimiter) storeFailed(err error) {
	if !l.down.Swap(true) {
		l.log.Warn("admin token limit: the store does not answer; failed token checks are counted on this instance until it does", "err", err)
	}
}

func (l *authLimiter) storeAnswered() {
	if l.down.Swap(false) {
		l.log.Info("admin token limit: the store answers again; failed token checks are counted there")
	}
}

// tokenVerdict is what a check of the admin token decided.
type tokenVerdict int

const (
	// tokenOK: the right token.
	tokenOK tokenVerdict = iota
	// tokenAbsent: no token given (a browser's first request for a page
	// behind Basic authentication); refused but not counted.
	tokenAbsent
	// tokenWrong: a wrong token, counted.
	tokenWrong
	// tokenLocked: the client is locked out; the token was not checked.
	tokenLocked
)

// tokenCheck is the outcome of Server.checkToken.
type tokenCheck struct {
	verdict tokenVerdict
	// left is how many more wrong tokens the client may give (tokenWrong).
	left int
	// until is when the lockout ends (tokenLocked).
	until time.Time
}

// checkToken is the one check of the admin token (see authFailLimit):
// given is the token r carries (has false: none), via names the surface
// for the failures' record. A locked-out client is refused before its
// token is compared.
func (s *Server) checkToken(r *http.Request, via, given string, has bool) tokenCheck {
	if !has {
		return tokenCheck{verdict: tokenAbsent}
	}
	client := s.clientKey(r)
	if until, locked := s.limiter.lockedUntil(r.Context(), client); locked {
		return tokenCheck{verdict: tokenLocked, until: until}
	}
	if tok := s.adminToken(); tok.set && tokenIs(given, tok.hash) {
		return tokenCheck{verdict: tokenOK}
	}
	n, until := s.limiter.failed(r.Context(), client, via)
	if n == s.limiter.limit {
		s.log.Warn("admin token: client locked out after wrong tokens", "client", client, "via", via,
			"failures", n, "until", until)
	}
	return tokenCheck{verdict: tokenWrong, left: max(s.limiter.limit-n, 0), until: until}
}

// tokenIs reports whether given is the token whose SHA-256 is want. The
// hashes are compared, not the tokens: comparing fixed-size hashes in
// constant time leaks neither the token's bytes nor its length.
func tokenIs(given string, want [sha256.Size]byte) bool {
	got := sha256.Sum256([]byte(given))
	return subtle.ConstantTimeCompare(got[:], want[:]) == 1
}

// requestToken is the token r carries: "Authorization: Bearer <token>",
// or, when basic is set (pages a browser opens), the password of HTTP
// Basic authentication. An empty token is no token.
func requestToken(r *http.Request, basic bool) (string, bool) {
	var tok string
	if scheme, rest, ok := strings.Cut(r.Header.Get("Authorization"), " "); ok && strings.EqualFold(scheme, "Bearer") {
		tok = strings.TrimSpace(rest)
	} else if _, pw, ok := r.BasicAuth(); ok && basic {
		tok = pw
	}
	return tok, tok != ""
}

// retryAfter sets Retry-After to the seconds until until (at least 1)
// and returns them.
func retryAfter(w http.ResponseWriter, until, now time.Time) int {
	secs := max(int(until.Sub(now).Seconds())+1, 1)
	w.Header().Set("Retry-After", strconv.Itoa(secs))
	return secs
}

// initTokenLimit sets up how s finds clients and limits their wrong
// tokens, from Options.TrustedProxies and Options.Admin.
func (s *Server) initTokenLimit() {
	s.clients = clientAddrs{trusted: s.opts.TrustedProxies}
	var counter AuthCounter
	if s.opts.Admin != nil {
		counter = s.opts.Admin
	}
	s.limiter = newAuthLimiter(counter, s.opts.Now, s.log)
	s.refusals.client = s.clientIP
}
