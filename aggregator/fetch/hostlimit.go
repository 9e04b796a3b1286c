package fetch

import (
	"context"
	"strings"
	"sync"
)

// DefaultPerHost is how many fetches may run against one host at once: a
// portal listing fifty feeds of one site must not open fifty connections
// to it.
const DefaultPerHost = 2

// HostLimiter bounds concurrent work per host. Slots are channels created
// on first use and dropped when idle, so the map does not grow with every
// host ever seen. It is safe for concurrent use.
type HostLimiter struct {
	per   int
	mu    sync.Mutex
	slots map[string]*hostSlot
}

type hostSlot struct {
	ch    chan struct{}
	users int
}

// NewHostLimiter allows per concurrent holders per host (at least 1).
func NewHostLimiter(per int) *HostLimiter {
	return &HostLimiter{per: max(per, 1), slots: map[string]*hostSlot{}}
}

// Acquire waits for a slot of host (case-insensitive) or for ctx to end;
// the returned func gives the slot back.
func (l *HostLimiter) Acquire(ctx context.Context, host string) (func(), error) {
	host = strings.ToLower(host)
	l.mu.Lock()
	s := l.slots[host]
	if s == nil {
		s = &hostSlot{ch: make(chan struct{}, l.per)}
		l.slots[host] = s
	}
	s.users++
	l.mu.Unlock()
	select {
	case s.ch <- struct{}{}:
		return func() { <-s.ch; l.leave(host, s) }, nil
	case <-ctx.Done():
		l.leave(host, s)
		return nil, ctx.Err()
	}
}

func (l *HostLimiter) leave(host string, s *hostSlot) {
	l.mu.Lock()
	defer l.mu.Unlock()
	s.users--
	if s.users == 0 {
		delete(l.slots, host)
	}
}
