// Package plan holds the scheduling decisions as pure functions: when a
// source is next due after a success (its cron schedule, pushed later by
// what the source hints) or after a failure (backoff, Retry-After). It
// does no I/O and keeps no state.
package plan

import (
	"math/rand/v2"
	"slices"
	"time"

	"github.com/robfig/cron/v3"
)

// Defaults for a Plan's zero fields.
const (
	// DefaultMaxInterval bounds how far hints push the next poll.
	DefaultMaxInterval = 24 * time.Hour
	// DefaultMaxBackoff bounds the backoff after consecutive failures.
	DefaultMaxBackoff = 24 * time.Hour
	// MaxRetryAfter bounds a server's Retry-After: a misconfigured server
	// asking for a month must not silence a source for a month.
	MaxRetryAfter = 48 * time.Hour
)

// maxFeedHint bounds a single hint before max_interval applies, so a silly
// <ttl> cannot overflow time arithmetic.
const maxFeedHint = 365 * 24 * time.Hour

// Hints are what a source says about how often it wants to be polled:
// HTTP freshness (Cache-Control max-age, Expires) and the feed's own RSS
// <ttl>, sy:updatePeriod/updateFrequency and skipHours/skipDays (see
// parse.Hints). A Plan never polls before they allow.
type Hints struct {
	// MaxAge is Cache-Control max-age; Expires the Expires header.
	MaxAge  time.Duration
	Expires time.Time
	// TTL is RSS <ttl> (minutes in the feed).
	TTL time.Duration
	// UpdateEvery is sy:updatePeriod divided by sy:updateFrequency.
	UpdateEvery time.Duration
	// SkipHours are the UTC hours (0–23) and SkipDays the weekdays in which
	// the feed asks not to be read (RSS 2.0 skipHours are GMT).
	SkipHours []int
	SkipDays  []time.Weekday
}

// maxPollGap caps the least time between an off-phase poll and the next
// firing it lets stand (see AfterSuccess).
const maxPollGap = 15 * time.Minute

// Plan decides when a source is next due. Its methods are pure functions of
// their arguments (the clock is passed in, the jitter is a field), so the
// whole policy is table-tested without waiting.
//
// Every result is a firing of Schedule (the scheduler only polls at
// firings), never earlier than the first firing after the poll.
type Plan struct {
	Schedule cron.Schedule
	// MaxInterval bounds how far Hints may push the next poll past now
	// (the result may land up to one schedule interval later, on the next
	// firing). 0 means DefaultMaxInterval.
	MaxInterval time.Duration
	// MaxBackoff caps the backoff after failures; 0 means DefaultMaxBackoff.
	MaxBackoff time.Duration
	// Jitter returns a number in [0, 1); nil means math/rand/v2.
	Jitter func() float64
}

// AfterSuccess is the next due time after a successful poll at now that
// served the due time due (zero when unknown), honouring hints.
//
// A poll off the schedule's phase (the start-up catch-up, a poll an
// operator asked for) may end just before a firing; that firing is
// skipped when it would come less than half an interval (at most
// maxPollGap) after the poll, so a source is never fetched twice within
// seconds, nor a weekly one left for a week after a poll on Sunday night.
func (p Plan) AfterSuccess(now, due time.Time, h Hints) time.Time {
	next := p.Schedule.Next(later(now, due))
	if gap := now.Add(min(Period(p.Schedule, now)/2, maxPollGap)); next.Before(gap) {
		next = atOrAfter(p.Schedule, gap)
	}
	limit := now.Add(orDefault(p.MaxInterval, DefaultMaxInterval))
	earliest := now
	for _, d := range []time.Duration{h.MaxAge, h.TTL, h.UpdateEvery} {
		earliest = later(earliest, now.Add(min(d, maxFeedHint)))
	}
	earliest = later(earliest, h.Expires)
	if earliest.After(limit) {
		earliest = limit
	}
	if len(h.SkipHours) == 0 && len(h.SkipDays) == 0 && !earliest.After(next) {
		return next
	}
	// Skipping and aligning to a firing can each move the time into the
	// other's territory; a few rounds settle it.
	t := later(next, earliest)
	for range 8 {
		s := skip(t, h, limit)
		a := atOrAfter(p.Schedule, s)
		if a.Equal(t) {
			break
		}
		t = a
	}
	return t
}

// AfterFailure is the next due time after the errorsInRow-th failure in a
// row at now: exponential backoff from the schedule's interval with equal
// jitter, capped by MaxBackoff, and never before what Retry-After asked
// (retryAfter < 0: none), which is capped at MaxRetryAfter.
func (p Plan) AfterFailure(now, due time.Time, errorsInRow int, retryAfter time.Duration) time.Time {
	next := p.Schedule.Next(later(now, due))
	// Count from the due time the poll served, so a first failure keeps
	// the normal slot rather than losing one to the poll's own duration.
	from := now
	if !due.IsZero() && due.Before(now) {
		from = due
	}
	at := from.Add(p.Backoff(now, errorsInRow))
	if retryAfter >= 0 {
		at = later(at, now.Add(min(retryAfter, MaxRetryAfter)))
	}
	return later(next, atOrAfter(p.Schedule, at))
}

// Backoff is the delay after the n-th failure in a row: the interval
// doubled n-1 times, capped, then jittered into [d/2, d] but never under
// the interval (a failing source is never polled more often than a healthy
// one).
func (p Plan) Backoff(now time.Time, n int) time.Duration {
	interval := max(Period(p.Schedule, now), time.Second)
	limit := max(orDefault(p.MaxBackoff, DefaultMaxBackoff), interval)
	d := interval
	for i := 1; i < n && d < limit; i++ {
		d *= 2
	}
	d = min(d, limit)
	jitter := p.Jitter
	if jitter == nil {
		jitter = rand.Float64
	}
	d = d/2 + time.Duration(jitter()*float64(d/2))
	return max(d, interval)
}

// skip moves t out of the feed's skipHours/skipDays (UTC), to the start of
// the next allowed hour, but not past limit.
func skip(t time.Time, h Hints, limit time.Time) time.Time {
	for range 24 * 8 {
		u := t.UTC()
		if !slices.Contains(h.SkipHours, u.Hour()) && !slices.Contains(h.SkipDays, u.Weekday()) {
			return t
		}
		n := u.Truncate(time.Hour).Add(time.Hour)
		if n.After(limit) {
			return limit
		}
		t = n
	}
	return t // every hour skipped: the feed cannot mean it
}

// atOrAfter is the first firing of s at or after t.
func atOrAfter(s cron.Schedule, t time.Time) time.Time {
	return s.Next(t.Add(-time.Nanosecond))
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

func orDefault(d, def time.Duration) time.Duration {
	if d <= 0 {
		return def
	}
	return d
}
