package store

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"

	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/aggregator/normalize"
)

// change classifies an incoming entry against its stored copy.
type change int

const (
	changeNew change = iota
	changeUpdated
	changeUnchanged
)

// reconcile decides what to store for an incoming entry given its stored
// copy (nil when the id is new). It returns the entry to keep, its
// canonical JSON and how it changed. It is pure so the carry-over rules can
// be tested without Redis.
func reconcile(stored *model.Entry, in model.Entry, now time.Time) (model.Entry, []byte, change, error) {
	if stored == nil {
		data, err := encodeEntry(in)
		return in, data, changeNew, err
	}
	out := carryOver(*stored, in, now)
	data, err := encodeEntry(out)
	if err != nil {
		return out, nil, changeNew, err
	}
	old, err := encodeEntry(*stored)
	if err != nil {
		return out, nil, changeNew, err
	}
	if bytes.Equal(data, old) {
		return *stored, old, changeUnchanged, nil
	}
	return out, data, changeUpdated, nil
}

// carryOver applies the fields a re-poll must not move: FirstSeen always,
// the fetched article while the link is the same (see keepArticle), and
// for an undated entry the Published (and, unless its text changed, the
// Updated) time that were invented on first sight. A text edit that does
// not advance Updated gets Updated = now so readers notice the edit, and
// Updated never moves back.
func carryOver(stored, in model.Entry, now time.Time) model.Entry {
	in = keepArticle(stored, in)
	out := in
	if !stored.FirstSeen.IsZero() {
		out.FirstSeen = stored.FirstSeen
	}
	edited := textChanged(stored, in)
	if in.NoDate {
		out.Published = stored.Published
		if !edited {
			out.Updated = stored.Updated
		}
	}
	switch {
	case edited && !out.Updated.After(stored.Updated):
		out.Updated = now
	case !edited && out.Updated.Before(stored.Updated):
		// Updated never goes back: after an edit was stamped with the
		// poll time, the source's own older date would flip it back
		// on every later poll.
		out.Updated = stored.Updated
	}
	return out
}

// keepArticle gives in the article stored for its link: the list page or
// feed that is polled again carries only the headline and summary, and
// replacing the article with them would fetch it again on every poll. The
// summary and image the article filled in stay only where in has none of
// its own, and what the article says of itself completes in again (its
// headline for a cut title, its time for a bare day, its author: see
// normalize.ApplyArticle), so a re-poll does not undo it. A changed link
// drops the article: it belongs to the old one.
func keepArticle(stored, in model.Entry) model.Entry {
	if stored.ArticleLink == "" || stored.ArticleLink != in.Link {
		return in
	}
	in.Content, in.ArticleLink = stored.Content, stored.ArticleLink
	if in.Summary == "" {
		in.Summary = stored.Summary
	}
	if in.Image == "" {
		in.Image = stored.Image
	}
	return normalize.ApplyArticle(in, stored.Article)
}

// textChanged reports whether what a reader sees of the entry changed.
func textChanged(a, b model.Entry) bool {
	return a.Title != b.Title || a.Content != b.Content ||
		a.Summary != b.Summary || a.Link != b.Link
}

// encodeEntry is the one JSON form of an entry in Redis. Times are turned to
// UTC first so that equal instants encode to equal bytes, which is what
// makes byte comparison a sound "unchanged" test, and it covers every field
// of model.Entry, including ones added later.
func encodeEntry(e model.Entry) ([]byte, error) {
	e.Published = e.Published.UTC()
	e.Updated = e.Updated.UTC()
	e.FirstSeen = e.FirstSeen.UTC()
	data, err := json.Marshal(e)
	if err != nil {
		return nil, fmt.Errorf("encode entry %s: %w", e.ID, err)
	}
	return data, nil
}

// decodeEntry parses an entry stored by encodeEntry.
func decodeEntry(data []byte) (model.Entry, error) {
	var e model.Entry
	if err := json.Unmarshal(data, &e); err != nil {
		return model.Entry{}, fmt.Errorf("decode entry: %w", err)
	}
	return e, nil
}

// score is an entry's position in the source and section indexes.
func score(e model.Entry) int64 {
	return e.Published.UnixMilli()
}
