package publish

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/tributary-rss/tributary/aggregator/model"
)

// A page is bounded in bytes as well as in entries. Every entry is within
// the ingest limits (content of at most limits.content_bytes), yet 200 of
// the largest render to some 60 MB, which no reader needs in one answer
// and which the render cache cannot keep. So a render shows the entries
// that fit Options.MaxPageBytes and links to the next page after the last
// one shown, as it does when ?limit is reached: a reader following next
// links still reads every entry once.
//
// The cut is chosen before rendering, from a bound on what each entry
// writes in the format (its text, escaped at worst, plus a fixed part for
// markup and dates). Content bytes are known once the entries are read,
// so each render runs once; TestPageBudget_bound checks the bound against
// real renders of hostile text. Should a render still come out over the
// limit, it is made again with less room (renderWithin).

// DefaultMaxPageBytes bounds one render when Options leaves it zero, as
// the config's default (http.max_page_bytes) does.
const DefaultMaxPageBytes = 8 << 20

// firstChunk is the most entries a render's first store read asks for: a
// default page in one round trip, while a page of many large entries is
// read in parts and the read stops once they fill the page, instead of
// holding all ?limit of them at once.
const firstChunk = DefaultLimit

// Fixed parts of the bound, each well above what
// TestPageBudget_fixedParts measures: entryFixedBytes is what an entry of
// any format writes besides its text (element names, attributes,
// indentation, its URN, machine-readable dates; at most 570 bytes, Atom);
// categoryBytes is what a category adds besides its text (35, Atom);
// docFixedBytes is a document's frame besides the section's and the
// site's text (at most 1,449 bytes, the HTML page with its paging links).
const (
	entryFixedBytes = 2 << 10
	categoryBytes   = 64
	docFixedBytes   = 16 << 10
)

// pageBudget bounds the bytes of one render.
type pageBudget struct {
	esc escaping
	// page is set for the HTML formats, which show a cut summary and no
	// content; summary is the runes of summary they show (0: none).
	page    bool
	summary int
	// fixed is what one entry writes besides its text, dates included.
	fixed int64
	// max bounds the whole body; room is what entries may fill of it.
	max, room int64
	// costs keeps entryBytes by entry id for one render, which reads,
	// pins and cuts the same entries.
	costs map[string]int64
}

// pageBudget is the budget of renders of key.
func (s *Server) pageBudget(sec model.Section, key cacheKey) pageBudget {
	b := pageBudget{max: s.opts.MaxPageBytes, fixed: entryFixedBytes + displayDateBytes(s.opts), costs: map[string]int64{}}
	b.fixed += articleLinkBytes(s.opts.BaseURL, sec)
	switch key.format {
	case formatRSS, formatAtom:
		b.esc = escXML
	case formatJSON, formatAPI:
		b.esc = escJSON
	default:
		b.esc, b.page = escHTML, true
	}
	switch key.format {
	case formatHTML:
		b.summary = pageSummaryRunes
	case formatEmbed:
		b.summary = key.summary
	}
	b.room = b.max - s.docBytes(sec, b.page)
	return b
}

// displayDateBytes bounds a date as people read it: layouts name months
// and days, which are longer written out ("Jan" to "January").
func displayDateBytes(opts Options) int64 {
	return int64(4*(len(opts.DateFormat)+len(opts.DateFormatCurrentYear))) + 64
}

// docBytes bounds what a render writes besides its entries: the frame,
// the section's text and, on pages, the site's, each shown a few times
// (title, heading, links carrying the base URL) and escaped.
func (s *Server) docBytes(sec model.Section, page bool) int64 {
	text := len(sec.ID) + len(sec.Title) + len(sec.Description) + len(sec.Language) +
		len(s.opts.BaseURL) + len(s.opts.WebSubHub) + len(s.opts.Version)
	if page {
		text += len(s.site.Title) + len(s.site.Logo) + len(s.site.CSS) + len(s.site.FooterText)
		for _, l := range s.site.FooterLinks {
			text += len(l.Text) + len(l.URL)
		}
	}
	return docFixedBytes + 72*int64(text)
}

// entryBytes bounds what e writes in a render of b's format. Feeds and
// the API show the content and the summary (twice at most: RSS escapes a
// summary it shows as HTML, Atom and JSON Feed repeat it as the content
// of an entry without any), and the short fields at most twice.
func (b pageBudget) entryBytes(e model.Entry) int64 {
	n := b.fixed + categoryBytes*int64(len(e.Categories))
	if b.page {
		// The iframe shows the title twice (text and tooltip); links
		// are percent-encoded, then escaped as an attribute.
		n += 2*(b.esc.textLen(e.Title)+b.esc.textLen(e.SourceTitle)) + 5*int64(len(e.Link))
		if b.summary > 0 {
			n += b.esc.textLen(cutText(e.Summary, b.summary))
		}
		return n
	}
	short := int64(len(e.ID)+len(e.SourceID)) + b.esc.textLen(e.Title) + b.esc.textLen(e.Link) +
		b.esc.textLen(e.Author) + b.esc.textLen(e.Image) + b.esc.textLen(e.SourceTitle) +
		b.esc.textLen(e.SourceURL) + b.esc.textLen(e.SourceLink)
	for _, c := range e.Categories {
		short += b.esc.textLen(c)
	}
	return n + 2*short + b.esc.textLen(e.Content) + 2*b.esc.textLen(e.Summary)
}

// cost is entryBytes(e), worked out once per entry id in a render.
func (b pageBudget) cost(e model.Entry) int64 {
	n, ok := b.costs[e.ID]
	if !ok {
		n = b.entryBytes(e)
		b.costs[e.ID] = n
	}
	return n
}

// escaping is how a format writes text, which decides how much longer
// the text gets.
type escaping int

const (
	// escXML is encoding/xml's (RSS, Atom).
	escXML escaping = iota
	// escJSON is encoding/json's without HTML escaping (JSON Feed, API).
	escJSON
	// escHTML is html/template's (pages, the iframe, the index).
	escHTML
)

// Bytes an ASCII byte may add when escaped. Read-only tables.
var (
	// encoding/xml: &lt; &gt; &amp; &#34; &#39; &#x9; &#xA; &#xD;, other
	// control characters become U+FFFD (3 bytes).
	xmlExtra = [128]uint8{'<': 3, '>': 3, '&': 4, '"': 4, '\'': 4, '\t': 4, '\n': 4, '\r': 4,
		0: 2, 1: 2, 2: 2, 3: 2, 4: 2, 5: 2, 6: 2, 7: 2, 8: 2, 11: 2, 12: 2, 14: 2, 15: 2, 16: 2, 17: 2, 18: 2, 19: 2,
		20: 2, 21: 2, 22: 2, 23: 2, 24: 2, 25: 2, 26: 2, 27: 2, 28: 2, 29: 2, 30: 2, 31: 2}
	// encoding/json: \" \\ \n \r \t, other control characters \u00XX.
	jsonExtra = [128]uint8{'"': 1, '\\': 1, '\t': 1, '\n': 1, '\r': 1,
		0: 5, 1: 5, 2: 5, 3: 5, 4: 5, 5: 5, 6: 5, 7: 5, 8: 5, 11: 5, 12: 5, 14: 5, 15: 5, 16: 5, 17: 5, 18: 5, 19: 5,
		20: 5, 21: 5, 22: 5, 23: 5, 24: 5, 25: 5, 26: 5, 27: 5, 28: 5, 29: 5, 30: 5, 31: 5, 127: 5}
	// html/template, text and quoted attributes: &lt; &gt; &amp; &#34;
	// &#39; &#43; (and, generously, = and ` as in unquoted attributes,
	// and control characters).
	htmlExtra = [128]uint8{'<': 3, '>': 3, '&': 4, '"': 4, '\'': 4, '+': 4, '=': 4, '`': 4,
		0: 4, 1: 4, 2: 4, 3: 4, 4: 4, 5: 4, 6: 4, 7: 4, 8: 4, 9: 4, 10: 4, 11: 4, 12: 4, 13: 4, 14: 4, 15: 4, 16: 4, 17: 4, 18: 4, 19: 4,
		20: 4, 21: 4, 22: 4, 23: 4, 24: 4, 25: 4, 26: 4, 27: 4, 28: 4, 29: 4, 30: 4, 31: 4}
)

// textLen bounds the length of s as the format writes it.
func (esc escaping) textLen(s string) int64 {
	extra := &xmlExtra
	switch esc {
	case escJSON:
		extra = &jsonExtra
	case escHTML:
		extra = &htmlExtra
	}
	n, high := int64(len(s)), int64(0)
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < utf8.RuneSelf {
			n += int64(extra[c])
		} else {
			high++
		}
	}
	if high == 0 {
		return n
	}
	if !utf8.ValidString(s) {
		// Each stray byte becomes U+FFFD: 3 bytes, or \ufffd in JSON.
		return n + 5*high
	}
	if esc == escJSON {
		// U+2028 and U+2029 are written \u2028 and \u2029.
		n += 3 * int64(strings.Count(s, "\u2028")+strings.Count(s, "\u2029"))
	}
	return n
}

// readPage reads the page of sec that pq asks for: at most pq.limit
// entries, and none past the first that fills the budget's room (the cut
// drops it unless it is alone), in reads of firstChunk and then of about
// as many as the room has left for. Next is where the following page
// starts, nil when nothing follows.
func (s *Server) readPage(ctx context.Context, sec model.Section, pq pageQuery, b pageBudget) (model.Page, error) {
	page, err := s.readPageOnce(ctx, sec, pq, b)
	if errors.Is(err, errChunkMoved) {
		// An entry the read continued from left the section meanwhile
		// (trimmed, hidden): read the page again from the client's
		// position rather than answer 400 for a cursor it never sent.
		page, err = s.readPageOnce(ctx, sec, pq, b)
	}
	if errors.Is(err, errChunkMoved) {
		return model.Page{}, fmt.Errorf("section %s changed while reading a page twice", sec.ID)
	}
	return page, err
}

// errChunkMoved reports that the position after a read's part left the
// section before the next part was read.
var errChunkMoved = errors.New("position of a continued read left the section")

func (s *Server) readPageOnce(ctx context.Context, sec model.Section, pq pageQuery, b pageBudget) (model.Page, error) {
	q := pq.storeQuery()
	var page model.Page
	var used int64
	for {
		q.Limit = b.chunk(pq.limit-len(page.Entries), len(page.Entries), used)
		part, err := s.reader.SectionPage(ctx, sec.ID, q)
		if err != nil {
			if q.Before != pq.cursor && errors.Is(err, model.ErrUnknownCursor) {
				return model.Page{}, errChunkMoved
			}
			return model.Page{}, err
		}
		for i, e := range part.Entries {
			page.Entries = append(page.Entries, e)
			used += b.cost(e)
			if used > b.room || len(page.Entries) == pq.limit {
				page.Next = part.Next
				if i < len(part.Entries)-1 {
					page.Next = entryCursor(e)
				}
				return page, nil
			}
		}
		if part.Next == nil {
			return page, nil
		}
		q.Before = part.Next
	}
}

// chunk is how many entries the next read asks for, want still wanted
// after read entries of used bytes: firstChunk at first, then about as
// many as the room has left for, plus the one that tells where it ends.
func (b pageBudget) chunk(want, read int, used int64) int {
	if read == 0 {
		return min(want, firstChunk)
	}
	avg := max(used/int64(read), 1)
	fits := max(b.room-used, 0)/avg + 1
	return int(min(fits, int64(want)))
}

// pinsWithin keeps, of pins in force at now (of source, when set), those
// that fit half the room, most recently pinned first: a pin past them
// stays in the date order, unmarked, on every page alike (the cut
// depends on the pins and the budget only), so the date order keeps room
// and paging meets each entry once. Pins not in force pass unchanged.
func (b pageBudget) pinsWithin(pins []model.ModeratedEntry, source string, now time.Time) []model.ModeratedEntry {
	out := make([]model.ModeratedEntry, 0, len(pins))
	var used int64
	full := false
	for _, pin := range pins {
		live := (pin.Until.IsZero() || now.Before(pin.Until)) && (source == "" || pin.Entry.SourceID == source)
		if live {
			used += b.cost(pin.Entry)
			full = full || used > b.room/2
			if full {
				continue
			}
		}
		out = append(out, pin)
	}
	return out
}

// fit cuts p to room: date-order entries past it go to the next page,
// which starts after the last one kept. The pins (already within half
// the room) and one date-order entry always stay, so every page moves on.
// used is the bound of the entries kept.
func (b pageBudget) fit(p pinning, room int64) (cut pinning, used int64) {
	for i, e := range p.entries {
		n := b.cost(e)
		if used+n > room && i > p.pinned {
			p.entries = p.entries[:i]
			p.next = entryCursor(p.entries[i-1])
			return p, used
		}
		used += n
	}
	return p, used
}

// sizeHint is the buffer to make at once for a render of at most bound
// bytes: none for a small one, whose buffer grows cheaply and whose bound
// is loose (the fixed parts dominate: clip would copy it again); the
// bound for a large one, which would otherwise be copied as it doubles
// and hold up to twice its bytes.
func sizeHint(bound, max int64) int {
	if bound < largeRender {
		return 0
	}
	return int(min(bound, max))
}

// largeRender is where sizeHint starts: a render whose entries' text
// dominates its bound.
const largeRender = 1 << 20

// renderWithin renders d with the entries of p that fit the budget. A
// body over the limit (the bound fell short) is made again with the room
// cut by its overshoot, until it fits or the pins and one entry are left.
func (s *Server) renderWithin(f format, d feedData, p pinning, b pageBudget) ([]byte, pinning, error) {
	room := b.room
	for {
		cut, used := b.fit(p, room)
		d.Entries, d.Next = cut.entries, cut.next
		d.SizeHint = sizeHint(b.max-b.room+used, b.max)
		body, err := s.renderFormat(f, d)
		size := int64(len(body))
		if err != nil || size <= b.max {
			return body, cut, err
		}
		if len(cut.entries) <= cut.pinned+1 {
			s.log.Warn("page over max_page_bytes with one entry", "section_id", d.Section.ID,
				"format", string(f), "bytes", size, "max_page_bytes", b.max)
			return body, cut, nil
		}
		room = int64(float64(room) * float64(b.max) / float64(size) * 0.9)
	}
}
