package model

import (
	"time"
)

// Freshness is how recently a source published: what a portal's
// operator is asked about its members ("which schools have published
// nothing for two weeks?"). A source that answers its polls fine can
// still be stale; staleness never changes its polling or its State.

// DefaultStaleAfter is freshness.stale_after when the config sets none:
// inspections of government and school sites flag a news column with
// nothing new in about two weeks.
const DefaultStaleAfter = 14 * 24 * time.Hour

// FreshnessFutureTolerance is how far past its ingest an entry may be
// dated and still count as the source's newest (as of its ingest: a
// newest entry is never later than the time it was stored). The
// normalizer already distrusts dates further ahead than a day; a wrong
// zone or a typo beyond that must not keep a silent source fresh.
const FreshnessFutureTolerance = 24 * time.Hour

// ActivityDays is how many days of new-entry counts the store keeps per
// source (the report's window goes up to it), and ReportDays the window
// the report shows unless asked for another.
const (
	ActivityDays = 90
	ReportDays   = 30
)

// ActivityDayLayout names a day of a source's activity, in its zone (see
// ActivityZone): the fields of the store's activity hash.
const ActivityDayLayout = "2006-01-02"

// The crossings of a source's staleness, as alerts and logs name them.
const (
	// FreshnessStale: the source's newest entry is older than its
	// stale_after (or, never having had one, it has been known longer).
	FreshnessStale = "stale"
	// FreshnessFresh: a source reported stale published again.
	FreshnessFresh = "fresh"
)

// Freshness is what the store keeps of a source's publishing, updated as
// it ingests, never computed by scanning entries.
type Freshness struct {
	// LastEntry is the published time of the newest entry ever ingested
	// for the source (trimming old entries never lowers it); zero when it
	// never had one.
	LastEntry time.Time
	// FirstSeen is when a poll of the source first succeeded; zero while
	// none has (or, for a store older than this field, until the next
	// successful poll).
	FirstSeen time.Time
	// StaleAfter is the source's threshold (see Source.StaleAfter); zero
	// means DefaultStaleAfter.
	StaleAfter time.Duration
	// Alerted is the staleness the last poll decided and announced
	// (alerts, the stale count of /metrics); the report and status pages
	// judge by the clock instead (see Stale), so a source nobody polls
	// any more still shows its age.
	Alerted bool
}

// Threshold is StaleAfter, or DefaultStaleAfter when unset.
func (f Freshness) Threshold() time.Duration {
	if f.StaleAfter <= 0 {
		return DefaultStaleAfter
	}
	return f.StaleAfter
}

// Since is when the source's silence is counted from: its newest entry,
// else (never having had one) when it was first seen; zero when neither
// is known.
func (f Freshness) Since() time.Time {
	if !f.LastEntry.IsZero() {
		return f.LastEntry
	}
	return f.FirstSeen
}

// Stale reports whether at now the source has been silent for longer
// than its threshold. A source with neither an entry nor a first
// success is not judged (it is pending or failing, which says more).
func (f Freshness) Stale(now time.Time) bool {
	since := f.Since()
	return !since.IsZero() && now.Sub(since) > f.Threshold()
}

// DaysSinceLastEntry is how many whole days (24 hours) have passed since
// the newest entry, 0 for one dated ahead of now; ok is false when the
// source never had an entry. Whole days agree with the threshold: a
// source stale after 14d shows 14 or more.
func (f Freshness) DaysSinceLastEntry(now time.Time) (days int, ok bool) {
	if f.LastEntry.IsZero() {
		return 0, false
	}
	d := now.Sub(f.LastEntry)
	if d < 0 {
		return 0, true
	}
	return int(d / (24 * time.Hour)), true
}

// Activity counts the new entries of a source per day: day (in
// ActivityDayLayout, in the source's ActivityZone) to how many entries
// first stored then were published that day.
type Activity map[string]int

// ActivityDay is the activity field of a moment in loc.
func ActivityDay(t time.Time, loc *time.Location) string {
	if loc == nil {
		loc = time.UTC
	}
	return t.In(loc).Format(ActivityDayLayout)
}

// Daily returns the counts of the days days ending with now's day in
// loc, oldest first (days below 1 give none).
func (a Activity) Daily(now time.Time, loc *time.Location, days int) []int {
	if days < 1 {
		return nil
	}
	if loc == nil {
		loc = time.UTC
	}
	out := make([]int, days)
	y, m, d := now.In(loc).Date()
	for i := range days {
		day := time.Date(y, m, d-(days-1-i), 12, 0, 0, 0, loc)
		out[i] = a[day.Format(ActivityDayLayout)]
	}
	return out
}

// ActivityZone is the zone a source's days are counted in: that of the
// first of its sections that has one (the site's zone unless the section
// sets its own), else the source's own, else UTC. The store counts and
// the report reads with the same rule, so their days agree.
func ActivityZone(sections []Section, src Source) *time.Location {
	for _, sec := range sections {
		if sec.Location != nil {
			return sec.Location
		}
	}
	if src.Location != nil {
		return src.Location
	}
	return time.UTC
}

// StaleAfterFor resolves a source's threshold: its own (own > 0), else
// the shortest of its sections' (each already its section's own or the
// config's), else def, else DefaultStaleAfter. The shortest wins among
// sections because the source is late for the strictest of them.
func StaleAfterFor(own time.Duration, sections []Section, def time.Duration) time.Duration {
	if own > 0 {
		return own
	}
	var out time.Duration
	for _, sec := range sections {
		if sec.StaleAfter > 0 && (out == 0 || sec.StaleAfter < out) {
			out = sec.StaleAfter
		}
	}
	switch {
	case out > 0:
		return out
	case def > 0:
		return def
	}
	return DefaultStaleAfter
}

// FreshnessCheck is what a poll's state write needs to decide the
// source's staleness (see FreshnessCrossing).
type FreshnessCheck struct {
	// Now is the poll's time; StaleAfter the source's threshold (zero:
	// DefaultStaleAfter).
	Now        time.Time
	StaleAfter time.Duration
	// Succeeded marks a poll that succeeded: the first one records the
	// source's FirstSeen.
	Succeeded bool
	// Zone is the source's ActivityZone, for counting the days of
	// entries stored before the store kept freshness (see the store's
	// backfill).
	Zone *time.Location
}

// FreshnessCrossing is what one poll's state write decided about the
// source's staleness: To is FreshnessStale or FreshnessFresh when it
// crossed (decided once across instances), "" otherwise.
type FreshnessCrossing struct {
	To                   string
	LastEntry, FirstSeen time.Time
	StaleAfter           time.Duration
}
