package alert

import (
	"cmp"
	"strconv"
	"time"

	"github.com/tributary-rss/tributary/aggregator/model"
)

// The events of a source's publishing: it answers its polls either way.
const (
	// Stale: the source has published nothing for longer than its
	// stale_after (or, never having published, has been known longer).
	Stale Kind = model.FreshnessStale
	// Fresh: a source reported stale published again.
	Fresh Kind = model.FreshnessFresh
)

// FreshnessKind is the event of a poll's freshness crossing, if any (see
// model.FreshnessCrossing: the store decided it once across instances,
// so the alert is sent once too).
func FreshnessKind(c *model.FreshnessCrossing) (Kind, bool) {
	if c == nil {
		return "", false
	}
	switch c.To {
	case model.FreshnessStale:
		return Stale, true
	case model.FreshnessFresh:
		return Fresh, true
	}
	return "", false
}

// NewFreshnessEvent builds the payload of a stale or fresh event for src,
// found by a poll at polled (the state the poll wrote is next). It says
// when the source last published and after how long it counts as stale.
func NewFreshnessEvent(kind Kind, src model.Source, c model.FreshnessCrossing, next model.SourceState, polled time.Time, instance string) Event {
	ev := Event{
		Event:      kind,
		Source:     Source{ID: src.ID, Title: cmp.Or(src.Title, next.Title), URL: RedactURL(src.URL), Sections: append([]string{}, src.SectionIDs...)},
		LastStatus: next.LastStatus, ErrorsInRow: next.ErrorsInRow,
		Time: polled.UTC(), Instance: instance,
		StaleAfter: formatDays(c.StaleAfter),
	}
	if !c.LastEntry.IsZero() {
		last := c.LastEntry.UTC()
		f := model.Freshness{LastEntry: last}
		days, _ := f.DaysSinceLastEntry(polled)
		ev.LastEntry, ev.DaysSinceLastEntry = &last, &days
	}
	return ev
}

// formatDays writes a threshold in days when it is whole days ("14d"),
// as the config does.
func formatDays(d time.Duration) string {
	const day = 24 * time.Hour
	if d > 0 && d%day == 0 {
		return strconv.FormatInt(int64(d/day), 10) + "d"
	}
	return d.String()
}
