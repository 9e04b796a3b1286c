package model

import "errors"

// ErrUnknownCursor is returned by a page read whose Before cursor names no
// entry of the section at that position. Cursors come from next links, so
// a client holding one made up (or one whose entry has since been trimmed)
// gets a 400 rather than a page, and cannot mint new cache keys by
// inventing positions.
var ErrUnknownCursor = errors.New("cursor names no entry of the section")

// Cursor is a position in a section: the index score (published time in
// unix milliseconds) and id of the last entry a reader has seen. Members of
// one score are ordered by id, so the pair is a total order and paging
// neither skips nor repeats entries that share a timestamp.
type Cursor struct {
	Score int64
	ID    string
}

// PageQuery selects one page of a section, newest first.
type PageQuery struct {
	// Limit is the page size; it must be at least 1.
	Limit int
	// SourceID keeps only the entries of that source; empty keeps all.
	SourceID string
	// Before starts the page after this position; nil starts at the newest.
	Before *Cursor
}

// Page is one page of entries and where the next one starts.
type Page struct {
	Entries []Entry
	// Next is the cursor of the page's last entry when older entries
	// remain, else nil.
	Next *Cursor
}
