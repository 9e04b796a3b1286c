package alert

import (
	"cmp"
	"time"

	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/aggregator/urlsecret"
)

// Pending: a poll put new entries in a section's review queue
// (sections[].review); an editor has to approve them before they show.
const Pending Kind = "pending"

// MaxPendingEntries bounds the entries one pending event lists: a poll of
// a large list page can queue hundreds, and the payload goes to a chat.
const MaxPendingEntries = 20

// PendingEntry is one entry of a pending event. Link loses its secret
// parameters (userinfo, key-like query parameters) and keeps the rest,
// which names the article on many CMSs (show.asp?id=…).
type PendingEntry struct {
	ID    string `json:"id"`
	Title string `json:"title"`
	Link  string `json:"link,omitempty"`
}

// NewPendingEvents builds one pending event per section of held (what one
// poll of src queued, see model.ReviewHeld) that queued anything. The
// merge queues an entry once across instances and polls, so no entry is
// announced twice.
func NewPendingEvents(src model.Source, held []model.ReviewHeld, next model.SourceState, polled time.Time, instance string) []Event {
	var out []Event
	for _, h := range held {
		if len(h.Entries) == 0 {
			continue
		}
		ev := Event{
			Event:      Pending,
			Source:     Source{ID: src.ID, Title: cmp.Or(src.Title, next.Title), URL: RedactURL(src.URL), Sections: append([]string{}, src.SectionIDs...)},
			LastStatus: next.LastStatus, Time: polled.UTC(), Instance: instance,
			Section: h.SectionID, Count: len(h.Entries),
		}
		for _, e := range h.Entries[:min(len(h.Entries), MaxPendingEntries)] {
			ev.Entries = append(ev.Entries, PendingEntry{ID: e.ID, Title: e.Title, Link: urlsecret.Redact(e.Link, urlsecret.Params{})})
		}
		out = append(out, ev)
	}
	return out
}
