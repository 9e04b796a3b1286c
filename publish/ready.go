package publish

import (
	"context"
	"errors"
	"log/slog"
	"sync"
)

// notReadyText is all /readyz tells a client when the check fails. The
// check's error names the Redis address and the dial failure, which are
// the operator's business: they are logged and shown on /status.
const notReadyText = "not ready: store unavailable"

// ReadyError is a readiness failure whose Reason any /readyz caller may
// read: a condition the operator fixes on the host, such as a snapshot
// directory's permissions, where "store unavailable" would send them
// looking at the wrong thing. Any other error answers notReadyText.
type ReadyError struct {
	Reason string
	Err    error
}

func (e *ReadyError) Error() string { return e.Reason + ": " + e.Err.Error() }

func (e *ReadyError) Unwrap() error { return e.Err }

// notReadyBody is what /readyz answers for err.
func notReadyBody(err error) string {
	var re *ReadyError
	if errors.As(err, &re) {
		return "not ready: " + re.Reason
	}
	return notReadyText
}

// readiness runs Options.Ready for /readyz and /status and logs its
// failure once per change of state, not once per probe: a load balancer
// probing every few seconds during an outage would otherwise fill the log
// with one line per probe.
type readiness struct {
	check func(ctx context.Context) error
	log   *slog.Logger

	mu      sync.Mutex
	failing bool
}

func newReadiness(check func(ctx context.Context) error, log *slog.Logger) *readiness {
	return &readiness{check: check, log: log}
}

// probe runs the check (nil: always ready) and returns its error.
func (rd *readiness) probe(ctx context.Context) error {
	if rd.check == nil {
		return nil
	}
	err := rd.check(ctx)
	rd.note(err)
	return err
}

func (rd *readiness) note(err error) {
	rd.mu.Lock()
	defer rd.mu.Unlock()
	switch {
	case err != nil && !rd.failing:
		rd.failing = true
		rd.log.Warn("not ready", "err", err)
	case err == nil && rd.failing:
		rd.failing = false
		rd.log.Info("ready again")
	}
}
