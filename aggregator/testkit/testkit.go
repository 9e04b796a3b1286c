// Package testkit holds what the tests of several packages share:
// waiting for a condition with a deadline, a log sink, and the check that
// a package depends on no more of this module than its place allows.
// Nothing outside tests imports it.
package testkit

import (
	"testing"
	"time"
)

// WaitFor looks at its condition after 1 ms, then twice as long each
// time up to every 50 ms: a condition that holds soon ends the test soon,
// and one that takes seconds (a daemon polling, often read over HTTP)
// does not keep a core busy.
const (
	firstPoll = time.Millisecond
	maxPoll   = 50 * time.Millisecond
)

// WaitFor returns once cond holds, and fails the test (naming what it
// waited for) when it does not hold within the deadline. It never proves
// anything by sleeping: the sleep is the polling interval.
func WaitFor(t testing.TB, within time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for every := firstPoll; !cond(); every = min(2*every, maxPoll) {
		if time.Now().After(deadline) {
			t.Fatalf("after %s: %s", within, what)
		}
		time.Sleep(every)
	}
}
