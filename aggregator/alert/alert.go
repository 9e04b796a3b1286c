// Package alert tells an operator's webhook when a source turns failing,
// recovers, or is retired by a 410, and when it goes stale (publishes
// nothing for longer than its stale_after) or publishes again. Decide is
// the pure part: which event, if any, one poll's change of a source's
// state makes (FreshnessKind for the crossings the store decided). Sender delivers
// events in the background, signed with HMAC-SHA256, retrying with
// backoff, from a bounded queue, so a dead webhook never slows polling
// nor grows memory. Observer joins them: handed what each poll did, it
// decides and queues.
//
// Events are decided by the instance that polled, from the state it read
// before the poll and the state it wrote after: one instance polls a
// source at a time, so each transition is decided once across instances.
// The package never reads the store and never serves HTTP.
package alert

import (
	"cmp"
	"time"

	"github.com/tributary-rss/tributary/aggregator/model"
)

// Kind is what happened to a source, the "event" of the payload and the
// X-Tributary-Event header.
type Kind string

// The events a webhook receives.
const (
	// Failing: the source's polls have failed FailingAfter times in a row.
	Failing Kind = "failing"
	// Recovered: a poll succeeded after the source was reported failing
	// or gone.
	Recovered Kind = "recovered"
	// Gone: the source answered 410 and is no longer polled.
	Gone Kind = "gone"
)

// DefaultFailingAfter is how many failed polls in a row make a source
// failing: one failure is often a blip (a restart, a timeout), three at
// a backed-off schedule are an outage.
const DefaultFailingAfter = 3

// Decide returns the event one poll's change of state makes, if any.
// failingAfter below 1 is DefaultFailingAfter.
//
// Each rule fires on a crossing, so a source that keeps failing (or stays
// gone) is reported once, not on every poll: failing when the streak
// reaches failingAfter, gone when a 410 first retires the source (a 410
// that also completes the streak reports gone only), recovered on the
// first success after either was reported.
func Decide(prev, next model.SourceState, failingAfter int) (Kind, bool) {
	if failingAfter < 1 {
		failingAfter = DefaultFailingAfter
	}
	switch {
	case next.Gone && !prev.Gone:
		return Gone, true
	case next.Gone:
		return "", false
	case next.ErrorsInRow == 0 && next.LastError == "" && (prev.Gone || prev.ErrorsInRow >= failingAfter):
		return Recovered, true
	case prev.ErrorsInRow < failingAfter && next.ErrorsInRow >= failingAfter:
		return Failing, true
	}
	return "", false
}

// Event is the JSON body POSTed to the webhook.
type Event struct {
	Event  Kind   `json:"event"`
	Source Source `json:"source"`
	// ErrorsInRow is the source's failure streak after the poll (0 when
	// it recovered).
	ErrorsInRow int `json:"errors_in_row"`
	// LastError is the reason of the latest failed poll; for recovered,
	// the failure the success ended.
	LastError string `json:"last_error"`
	// LastStatus is the HTTP status of the poll (0: no response).
	LastStatus int `json:"last_status"`
	// Time is when the poll ran.
	Time time.Time `json:"time"`
	// Instance names the daemon that polled (its host name).
	Instance string `json:"instance"`
	// LastEntry and DaysSinceLastEntry say when the source last
	// published (stale and fresh events; absent when it never did), and
	// StaleAfter after how long it counts as stale ("14d").
	LastEntry          *time.Time `json:"last_entry,omitempty"`
	DaysSinceLastEntry *int       `json:"days_since_last_entry,omitempty"`
	StaleAfter         string     `json:"stale_after,omitempty"`
	// Section, Count and Entries describe a pending event: the section
	// whose review queue the poll fed, how many entries it queued and
	// those entries (at most MaxPendingEntries of them).
	Section string         `json:"section,omitempty"`
	Count   int            `json:"count,omitempty"`
	Entries []PendingEntry `json:"entries,omitempty"`
}

// Source is the source an event is about. URL is redacted (see
// RedactURL): the payload leaves the daemon for a chat or paging system.
type Source struct {
	ID       string   `json:"id"`
	Title    string   `json:"title"`
	URL      string   `json:"url"`
	Sections []string `json:"sections"`
}

// NewEvent builds the payload of kind for src after a poll that changed
// its state from prev to next. Secrets of the source's URL are taken out
// of the URL and of the error text.
func NewEvent(kind Kind, src model.Source, prev, next model.SourceState, instance string) Event {
	lastError := next.LastError
	if kind == Recovered {
		lastError = prev.LastError
	}
	for _, raw := range []string{src.URL, next.EffectiveURL} {
		lastError = scrubURL(lastError, raw)
	}
	sections := append([]string{}, src.SectionIDs...)
	return Event{
		Event:       kind,
		Source:      Source{ID: src.ID, Title: cmp.Or(src.Title, next.Title), URL: RedactURL(src.URL), Sections: sections},
		ErrorsInRow: next.ErrorsInRow,
		LastError:   lastError,
		LastStatus:  next.LastStatus,
		Time:        next.LastAttempt.UTC(),
		Instance:    instance,
	}
}
