package publish

import (
	"cmp"
	"context"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/cases"
	"golang.org/x/text/width"

	"github.com/tributary-rss/tributary/aggregator/model"
)

// The section page's search: a query is a title substring of at most
// maxSearchRunes characters, and one request reads at most searchScan of
// the section's entries (in batches of searchBatch) whatever the section
// holds; a search that stops there offers to go on from where it stopped.
const (
	maxSearchRunes = 100
	searchBatch    = 200
	searchScan     = 1000
)

// entryRow is an entry on the console's section page.
type entryRow struct {
	ID, Title, Link, Source string
	Published               timeView
	At, Until               timeView
	Pinned                  bool
}

// sourceOption is a source in the section page's filter.
type sourceOption struct {
	ID, Name string
	Selected bool
}

// sectionFilter is what the section page lists: entries whose titles
// hold Q, of source Source, older than Before.
type sectionFilter struct {
	Q, Source string
	Before    *model.Cursor
}

// query is the filter as URL query parameters, with the page's position
// when withBefore.
func (f sectionFilter) query(withBefore bool) url.Values {
	v := url.Values{}
	if f.Q != "" {
		v.Set("q", f.Q)
	}
	if f.Source != "" {
		v.Set("source", f.Source)
	}
	if withBefore && f.Before != nil {
		v.Set("before", encodeCursor(*f.Before))
	}
	return v
}

type consoleSectionView struct {
	ID, Title, Feeds string
	Entries          []entryRow
	EntriesErr       string
	Hidden, Pinned   []entryRow
	ModErr           string
	Zone             string
	// Q and Source are the filter shown in the form; Sources the
	// section's sources to choose from; FilterErr says which value of
	// the request was refused (and left out).
	Q, Source string
	Sources   []sourceOption
	FilterErr string
	// Filtered is set when Q or Source narrows the list; Paged when the
	// list starts past the newest entries.
	Filtered, Paged bool
	// Back is this view's query (the filter and position), where an
	// action on an entry comes back to; First the filter's first page;
	// Next the older entries' page ("" at the end).
	Back, First, Next string
	// QMax is the longest query, in characters.
	QMax int
	// Searched counts the entries a search read when it stopped at its
	// bound before the section's end (0 otherwise): Next goes on.
	Searched int
	// Review is the section's review queue page ("" without review).
	Review string
}

// handleSection shows a section's entries, newest first, 50 a page, to
// search by title and filter by source, with what editors hid and pinned
// and one row of actions per entry.
func (c *console) handleSection(w http.ResponseWriter, r *http.Request, cr *consoleReq) {
	id := r.PathValue("id")
	sec, ok := c.s.cat().sections[id]
	if !ok {
		c.message(w, r, cr, http.StatusNotFound, cr.text.T("err.404"), cr.text.F("err.nosection", id))
		return
	}
	v := consoleSectionView{ID: id, Title: cmp.Or(sec.Title, id), Feeds: c.s.pathPrefix + "/sections/" + id,
		Zone: zoneLabel(cr.now, c.s.opts.Location), QMax: maxSearchRunes}
	if sec.Review {
		v.Review = c.reviewLink(id)
	}
	code := http.StatusOK
	f, bad := c.readSectionFilter(r, cr, sec)
	if bad != "" {
		code, v.FilterErr = http.StatusBadRequest, bad
	}
	v.Sources = c.sectionSources(r, sec, f.Source)
	pinned := c.sectionModeration(r, cr, id, &v)
	if c.s.reader == nil {
		v.EntriesErr = cr.text.T("err.unavailable")
	} else {
		entries, next, searched, err := c.sectionEntries(r.Context(), sec, f)
		if errors.Is(err, model.ErrUnknownCursor) {
			// The position left the section (trimmed, hidden): start
			// again at the newest, and say so.
			code, v.FilterErr, f.Before = http.StatusBadRequest, cr.text.T("section.badcursor"), nil
			entries, next, searched, err = c.sectionEntries(r.Context(), sec, f)
		}
		if err != nil {
			c.s.log.Error("console: read section", "section", id, "err", err)
			v.EntriesErr = cr.text.T("err.unavailable")
		}
		for _, e := range entries {
			row := c.entryRow(cr, e, model.ModeratedEntry{})
			row.Pinned = pinned[e.ID]
			v.Entries = append(v.Entries, row)
		}
		if next != nil {
			nf := f
			nf.Before = next
			v.Next = c.sectionURL(id, nf.query(true))
		}
		v.Searched = searched
	}
	v.Q, v.Source = f.Q, f.Source
	v.Filtered, v.Paged = f.Q != "" || f.Source != "", f.Before != nil
	v.Back, v.First = f.query(true).Encode(), c.sectionURL(id, f.query(false))
	c.render(w, r, cr, code, "section", v.Title, v)
}

// sectionURL is the console path of a section's page with query q.
func (c *console) sectionURL(id string, q url.Values) string {
	p := c.path("/sections/" + id)
	if len(q) > 0 {
		p += "?" + q.Encode()
	}
	return p
}

// sectionModeration fills the page's pinned and hidden lists and returns
// the ids pinned now.
func (c *console) sectionModeration(r *http.Request, cr *consoleReq, id string, v *consoleSectionView) map[string]bool {
	mod, err := c.s.opts.Admin.Moderation(r.Context(), id)
	if err != nil {
		v.ModErr = c.softError(r, cr, err)
	}
	pinned := map[string]bool{}
	for _, m := range mod.Pinned {
		pinned[m.Entry.ID] = true
		row := c.entryRow(cr, m.Entry, m)
		row.Pinned = true
		v.Pinned = append(v.Pinned, row)
	}
	for _, m := range mod.Hidden {
		v.Hidden = append(v.Hidden, c.entryRow(cr, m.Entry, m))
	}
	return pinned
}

// readSectionFilter reads ?q=, ?source= and ?before=. A value it cannot
// take is left out of the filter and worded in bad (the last one found).
func (c *console) readSectionFilter(r *http.Request, cr *consoleReq, sec model.Section) (f sectionFilter, bad string) {
	q := r.URL.Query()
	if raw := q.Get("q"); raw != "" {
		s := strings.TrimSpace(raw)
		switch n := utf8.RuneCountInString(s); {
		case !utf8.ValidString(s) || strings.ContainsFunc(s, unicode.IsControl):
			bad = cr.text.T("section.q.invalid")
		case n > maxSearchRunes:
			bad = cr.text.F("section.q.toolong", maxSearchRunes, n)
		default:
			f.Q = s
		}
	}
	if src := q.Get("source"); src != "" {
		if slices.Contains(sec.SourceIDs, src) {
			f.Source = src
		} else {
			bad = cr.text.F("section.source.unknown", clipRunes(src, 64))
		}
	}
	if raw := q.Get("before"); raw != "" {
		if cur, ok := decodeCursor(raw); ok {
			f.Before = &cur
		} else {
			bad = cr.text.T("section.badcursor")
		}
	}
	return f, bad
}

// clipRunes shortens s to n characters for a message.
func clipRunes(s string, n int) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}

// sectionSources are the section's sources to filter by, named as the
// overview names them (configured title, else the feed's own).
func (c *console) sectionSources(r *http.Request, sec model.Section, selected string) []sourceOption {
	names := map[string]string{}
	for _, src := range c.s.cat().sources {
		names[src.ID] = src.Title
	}
	if list, err := c.s.opts.Admin.Statuses(r.Context()); err == nil {
		for _, st := range list {
			names[st.ID] = cmp.Or(names[st.ID], st.Title, st.EffectiveURL, st.ConfiguredURL)
		}
	}
	out := make([]sourceOption, 0, len(sec.SourceIDs))
	for _, id := range sec.SourceIDs {
		out = append(out, sourceOption{ID: id, Name: cmp.Or(names[id], id), Selected: id == selected})
	}
	return out
}

// sectionEntries reads one page of the section as f asks: without a
// query, a page of the store; with one, the entries whose titles hold it,
// read in batches until the page is full, the section ends or searchScan
// entries were read (then searched counts them and next goes on after
// the last read).
func (c *console) sectionEntries(ctx context.Context, sec model.Section, f sectionFilter) (out []model.Entry, next *model.Cursor, searched int, err error) {
	if f.Q == "" {
		page, err := c.s.reader.SectionPage(ctx, sec.ID, model.PageQuery{Limit: consoleEntries, SourceID: f.Source, Before: f.Before})
		return page.Entries, page.Next, 0, err
	}
	needle := foldTitle(f.Q)
	before, read := f.Before, 0
	for read < searchScan {
		// Counted as asked, not as loaded: members whose entries are
		// gone still cost their read, and bound the round trips.
		n := min(searchBatch, searchScan-read)
		page, err := c.s.reader.SectionPage(ctx, sec.ID, model.PageQuery{Limit: n, SourceID: f.Source, Before: before})
		if err != nil {
			return nil, nil, 0, err
		}
		read += n
		for _, e := range page.Entries {
			if !strings.Contains(foldTitle(e.Title), needle) {
				continue
			}
			if len(out) == consoleEntries {
				// A match past the page: the next page starts after
				// the page's last entry.
				return out, entryCursor(out[len(out)-1]), 0, nil
			}
			out = append(out, e)
		}
		if page.Next == nil {
			return out, nil, 0, nil
		}
		before = page.Next
	}
	return out, before, read, nil
}

// titleFolder folds case (Unicode, not only ASCII) and width: a search
// for "ai" finds "AI" and the full-width "ＡＩ" that Chinese titles often
// carry, and "２０２５" finds "2025".
var titleFolder = cases.Fold()

// foldTitle is s as a search compares it.
func foldTitle(s string) string {
	return width.Fold.String(titleFolder.String(s))
}

func (c *console) entryRow(cr *consoleReq, e model.Entry, m model.ModeratedEntry) entryRow {
	return entryRow{ID: e.ID, Title: cmp.Or(e.Title, e.Link, e.ID), Link: e.Link, Source: e.SourceTitle,
		Published: c.when(cr, entryPublished(e)), At: c.when(cr, m.At), Until: c.when(cr, m.Until)}
}

// sectionBack is where a moderation action on section sid goes back to:
// the page it was sent from (the filter and position of its form's
// "back" field), kept to the parameters that page reads.
func sectionBack(r *http.Request, sid string) string {
	p := "/sections/" + sid
	raw := r.PostForm.Get("back")
	if raw == "" || len(raw) > 1024 {
		return p
	}
	in, err := url.ParseQuery(raw)
	if err != nil {
		return p
	}
	out := url.Values{}
	for _, k := range []string{"q", "source", "before"} {
		if v := in.Get(k); v != "" {
			out.Set(k, v)
		}
	}
	if len(out) == 0 {
		return p
	}
	return p + "?" + out.Encode()
}
