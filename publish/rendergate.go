package publish

import (
	"context"
	"errors"
	"log/slog"
	"math"
	"strconv"
	"sync/atomic"
	"time"
)

// Renders are what a client can cause at will: every limit, format,
// language, source and cursor is a cache key of its own, and each miss
// reads entries and builds a page and its gzip copy. The gate lets a few
// uncached renders run at once, so a burst of distinct URLs costs a few
// renders' memory, not one per request. Cache hits never reach it, and
// requests for the same key still share one render (the cache's flight),
// which holds one slot.

// DefaultRenderConcurrency is how many uncached renders run at once when
// Options leaves it zero, as the config's default (http.render_concurrency)
// does.
const DefaultRenderConcurrency = 4

// DefaultRenderWait is how long a request waits for a render slot when
// Options leaves it zero: renders take milliseconds, so a wait this long
// means the server is busy and the client should come back later.
const DefaultRenderWait = 2 * time.Second

// errRendersBusy is a render refused because every slot stayed busy for
// the whole wait: a 503 with Retry-After.
var errRendersBusy = errors.New("every render slot stayed busy")

// renderGate holds the render slots.
type renderGate struct {
	slots chan struct{}
	wait  time.Duration
	log   *slog.Logger
	// refusing is set by the first refusal and cleared by the next render
	// admitted, so the log says once that renders are refused and once
	// that they are admitted again; refused counts the refusals between.
	refusing atomic.Bool
	refused  atomic.Int64
}

func newRenderGate(n int, wait time.Duration, log *slog.Logger) *renderGate {
	return &renderGate{slots: make(chan struct{}, n), wait: wait, log: log}
}

// acquire takes a slot, waiting until one is free, until, ctx ends or the
// gate's wait has passed, whichever comes first; only the first ends in a
// slot, which the caller releases. Otherwise it returns errRendersBusy.
func (g *renderGate) acquire(ctx context.Context, until time.Time) error {
	select {
	case g.slots <- struct{}{}:
		g.admitted()
		return nil
	default:
	}
	timer := time.NewTimer(min(g.wait, time.Until(until)))
	defer timer.Stop()
	select {
	case g.slots <- struct{}{}:
		g.admitted()
		return nil
	case <-timer.C:
	case <-ctx.Done():
	}
	g.refused.Add(1)
	if g.refusing.CompareAndSwap(false, true) {
		g.log.Warn("renders busy: refusing uncached pages with 503", "render_concurrency", cap(g.slots), "wait", g.wait)
	}
	return errRendersBusy
}

func (g *renderGate) admitted() {
	if g.refusing.CompareAndSwap(true, false) {
		g.log.Info("renders admitted again", "refused", g.refused.Swap(0))
	}
}

func (g *renderGate) release() {
	<-g.slots
}

// retryAfter is the Retry-After of a refusal, in whole seconds: the wait
// itself, rounded up.
func (g *renderGate) retryAfter() string {
	return strconv.Itoa(max(1, int(math.Ceil(g.wait.Seconds()))))
}

// withRenderLimits fills the zero render limits of opts with their
// defaults.
func withRenderLimits(opts Options) Options {
	if opts.MaxPageBytes <= 0 {
		opts.MaxPageBytes = DefaultMaxPageBytes
	}
	if opts.RenderConcurrency <= 0 {
		opts.RenderConcurrency = DefaultRenderConcurrency
	}
	if opts.RenderWait <= 0 {
		opts.RenderWait = DefaultRenderWait
	}
	return opts
}
