package publish

import (
	"context"
	"fmt"
	"runtime/debug"
	"sync"
	"sync/atomic"
)

// flight runs one call per key at a time and hands its result to every
// caller that asked meanwhile (the singleflight pattern; x/sync is not a
// dependency and this is all of it we need).
type flight[K comparable, V any] struct {
	mu    sync.Mutex
	calls map[K]*flightCall[V]
}

type flightCall[V any] struct {
	done chan struct{}
	val  V
	err  error
}

// panicError is what every caller of a flight gets when its function
// panicked: the value and the stack of the panic, so that one of them can
// log where it happened.
type panicError struct {
	value any
	stack []byte
	// reported is set by the first caller that logs the panic, so that
	// many waiters on one render log it once.
	reported atomic.Bool
}

func (p *panicError) Error() string { return fmt.Sprintf("panic: %v", p.value) }

// report reports whether the caller is the first to ask, and so the one
// to log the panic.
func (p *panicError) report() bool { return p.reported.CompareAndSwap(false, true) }

// do runs fn for key unless a call for key is already running, in which case
// it waits for that call's result or for ctx to end. A panic in fn is
// recovered and returned to the caller that ran it and to every waiter as
// a *panicError: a render that panics fails its requests, not the process,
// and never hands a waiter a zero value without an error.
func (g *flight[K, V]) do(ctx context.Context, key K, fn func() (V, error)) (V, error) {
	g.mu.Lock()
	if c, ok := g.calls[key]; ok {
		g.mu.Unlock()
		select {
		case <-c.done:
			return c.val, c.err
		case <-ctx.Done():
			var zero V
			return zero, ctx.Err()
		}
	}
	if g.calls == nil {
		g.calls = make(map[K]*flightCall[V])
	}
	c := &flightCall[V]{done: make(chan struct{})}
	g.calls[key] = c
	g.mu.Unlock()

	defer func() {
		g.mu.Lock()
		delete(g.calls, key)
		g.mu.Unlock()
		close(c.done)
	}()
	c.val, c.err = g.call(fn)
	return c.val, c.err
}

// call runs fn, turning a panic into a *panicError.
func (g *flight[K, V]) call(fn func() (V, error)) (val V, err error) {
	defer func() {
		if p := recover(); p != nil {
			var zero V
			val, err = zero, &panicError{value: p, stack: debug.Stack()}
		}
	}()
	return fn()
}
