package publish

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/tributary-rss/tributary/aggregator/model"
)

// Moderation on the read side. Hidden entries need nothing here: the
// store took them out of the section's index, so no read finds them.
// Pins are read on a render miss and put at the head of the first page of
// the formats people look at (page, iframe, API and so the widget), and
// of the feeds when the section sets pins_in_feeds.

// PinReader is what the server needs to show pins: a section's pinned
// entries, most recently pinned first, expired ones included with their
// Until (the server's clock decides). *store.Store implements it; a
// reader without it serves sections without pins.
type PinReader interface {
	SectionPins(ctx context.Context, sectionID string) ([]model.ModeratedEntry, error)
}

// SectionPins reads pins through the wrapped reader, when it has them, as
// public copies like every other entry a render reads.
func (r publicReader) SectionPins(ctx context.Context, sectionID string) ([]model.ModeratedEntry, error) {
	pr, ok := r.EntryReader.(PinReader)
	if !ok {
		return nil, nil
	}
	pins, err := pr.SectionPins(ctx, sectionID)
	if err != nil {
		return nil, err
	}
	out := make([]model.ModeratedEntry, len(pins))
	for i, p := range pins {
		p.Entry = publicEntry(p.Entry, r.secret)
		out[i] = p
	}
	return out, nil
}

// showsPins reports whether format f of sec puts pins first.
func showsPins(sec model.Section, f format) bool {
	switch f {
	case formatHTML, formatEmbed, formatAPI, formatIndex:
		return true
	case formatRSS, formatAtom, formatJSON:
		return sec.PinsInFeeds
	}
	return false
}

// pinning is one page of a section with its pins applied.
type pinning struct {
	entries []model.Entry
	next    *model.Cursor
	// pinned counts the pins at the head of entries.
	pinned int
	// tag names the pins in force, for the ETag ("" when none); expires
	// is the earliest expiry among them, when the render must be made
	// again; changed is the latest pin or passed expiry, for
	// Last-Modified.
	tag     string
	expires time.Time
	changed time.Time
}

// pinPage applies sec's pins to a page read for key, when key's format
// shows them, as many as fit the page's budget (see pinsWithin).
func (s *Server) pinPage(ctx context.Context, sec model.Section, key cacheKey, pq pageQuery, page model.Page, b pageBudget) (pinning, error) {
	if !showsPins(sec, key.format) {
		return plainPage(page, key.limit), nil
	}
	pr, ok := s.reader.(PinReader)
	if !ok {
		return plainPage(page, key.limit), nil
	}
	pins, err := pr.SectionPins(ctx, sec.ID)
	if err != nil {
		return pinning{}, fmt.Errorf("read pins of section %s: %w", sec.ID, err)
	}
	now := s.opts.Now()
	return applyPins(page, b.pinsWithin(pins, pq.source, now), key.limit, pq.cursor == nil, pq.source, now), nil
}

func plainPage(page model.Page, limit int) pinning {
	entries := page.Entries
	if len(entries) > limit {
		entries = entries[:limit]
	}
	return pinning{entries: entries, next: page.Next}
}

// applyPins puts the pins in force at now (of source, when set) at the
// head of the first page, most recently pinned first. The first page
// keeps limit entries: pins take at most limit-1 of them while the section
// has other entries, so its next link continues the date order from the
// last one shown (with limit 1 a pin fills the page, which then has no
// next link). The pins it shows leave the date order on every page, so a
// reader paging through meets each entry once; pins it has no room for
// stay in the date order, unmarked.
func applyPins(page model.Page, pins []model.ModeratedEntry, limit int, first bool, source string, now time.Time) pinning {
	var p pinning
	var live []model.ModeratedEntry
	for _, pin := range pins {
		if !pin.Until.IsZero() && !now.Before(pin.Until) {
			p.changed = later(p.changed, pin.Until)
			continue
		}
		p.changed = later(p.changed, pin.At)
		if !pin.Until.IsZero() && (p.expires.IsZero() || pin.Until.Before(p.expires)) {
			p.expires = pin.Until
		}
		if source == "" || pin.Entry.SourceID == source {
			live = append(live, pin)
		}
	}
	if len(live) == 0 {
		plain := plainPage(page, limit)
		plain.changed, plain.expires = p.changed, p.expires
		return plain
	}
	p.tag = pinTag(live)
	if !first {
		// The pins the first page shows, as if it had other entries (when
		// it had none, one more pin shows there and again here).
		rest := withoutPins(page.Entries, live[:pinsShown(len(live), limit, true)])
		p.entries, p.next = rest[:min(len(rest), limit)], page.Next
		return p
	}
	show := pinsShown(len(live), limit, page.Next != nil || len(withoutPins(page.Entries, live)) > 0)
	rest := withoutPins(page.Entries, live[:show])
	kept := rest[:min(len(rest), limit-show)]
	p.entries = make([]model.Entry, 0, show+len(kept))
	for _, pin := range live[:show] {
		p.entries = append(p.entries, pin.Entry)
	}
	p.entries, p.pinned = append(p.entries, kept...), show
	switch {
	case len(kept) < len(rest) && len(kept) > 0:
		last := kept[len(kept)-1]
		p.next = &model.Cursor{Score: last.Published.UnixMilli(), ID: last.ID}
	case len(kept) == len(rest):
		p.next = page.Next
	}
	return p
}

// pinsShown is how many of n pins the first page of limit entries shows:
// all that fit, leaving one entry of the date order when the section has
// others and limit allows.
func pinsShown(n, limit int, others bool) int {
	show := min(n, limit)
	if others && limit > 1 {
		show = min(show, limit-1)
	}
	return show
}

// withoutPins is entries without the pinned ones, in order.
func withoutPins(entries []model.Entry, pins []model.ModeratedEntry) []model.Entry {
	if len(pins) == 0 {
		return entries
	}
	pinned := make(map[string]bool, len(pins))
	for _, pin := range pins {
		pinned[pin.Entry.ID] = true
	}
	out := make([]model.Entry, 0, len(entries))
	for _, e := range entries {
		if !pinned[e.ID] {
			out = append(out, e)
		}
	}
	return out
}

// pinTag is a short digest of the pins in force: ids, order and expiries.
func pinTag(live []model.ModeratedEntry) string {
	h := sha256.New()
	for _, pin := range live {
		fmt.Fprintf(h, "%s %d %d\n", pin.Entry.ID, pin.At.UnixMilli(), pin.Until.UnixMilli())
	}
	return hex.EncodeToString(h.Sum(nil)[:6])
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// pinnedRendering is newRendering for a render with pins: its ETag names
// them, its Last-Modified counts their changes, and the cache stops
// trusting it when the earliest pin expires, so the expiry shows without
// any other change to the section.
func pinnedRendering(key cacheKey, meta model.SectionMeta, p pinning, body []byte, common http.Header) (*rendering, error) {
	if p.tag == "" && p.expires.IsZero() && p.changed.IsZero() {
		return newRendering(key, meta, body, common)
	}
	meta.UpdatedAt = later(meta.UpdatedAt, p.changed)
	tag := etagFor(key, meta.Version)
	if p.tag != "" {
		tag += "-p" + p.tag
	} else if !p.changed.IsZero() {
		// Every pin expired: still a tag of its own, since the bytes
		// differ from the render made while they held.
		tag += "-p" + strconv.FormatInt(p.changed.UnixMilli(), 36)
	}
	rend, err := newTaggedRendering(key, meta, body, common, tag)
	if err != nil {
		return nil, err
	}
	rend.expires = p.expires
	return rend, nil
}

// expired reports whether rend was made with a pin that has expired by
// now.
func (rend *rendering) expired(now func() time.Time) bool {
	return !rend.expires.IsZero() && !now().Before(rend.expires)
}

func (c *renderCache) clock() time.Time {
	if c.now == nil {
		return time.Now()
	}
	return c.now()
}
