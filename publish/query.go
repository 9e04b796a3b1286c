package publish

import (
	"fmt"
	"net/url"
	"slices"
	"strconv"

	"github.com/tributary-rss/tributary/aggregator/model"
)

// pageQuery is the part of a request that selects entries: ?limit,
// ?source and ?before. Unknown parameters are ignored so that readers
// adding tracking or cache-busting parameters still get the feed.
type pageQuery struct {
	limit int
	// limitSet remembers an explicit ?limit so next links repeat it.
	limitSet bool
	source   string
	// unlisted is set when source is not one the section lists (it left,
	// its entries kept): answered only while it has entries there.
	unlisted bool
	// before is the cursor as the client sent it (already validated).
	before string
	cursor *model.Cursor
}

// queryError is a 400: it names the parameter and says why.
func queryError(name, why string) error {
	return fmt.Errorf("invalid query parameter %q: %s", name, why)
}

func parsePageQuery(q url.Values, sec model.Section) (pageQuery, error) {
	var pq pageQuery
	var err error
	if pq.limit, err = parseLimit(q, sec); err != nil {
		return pq, err
	}
	pq.limitSet = q.Has("limit")
	if q.Has("source") {
		pq.source = q.Get("source")
		if !validSourceID(pq.source) {
			return pq, queryError("source", fmt.Sprintf("%q is not a source id (lower-case letters, digits and hyphens, at most %d)", pq.source, maxSourceIDLen))
		}
		pq.unlisted = !slices.Contains(sec.SourceIDs, pq.source)
	}
	if q.Has("before") {
		pq.before = q.Get("before")
		c, ok := decodeCursor(pq.before)
		if !ok {
			return pq, queryError("before", "not a cursor from a rel=\"next\" link")
		}
		pq.cursor = &c
	}
	return pq, nil
}

// maxSourceIDLen is the longest source id the config accepts.
const maxSourceIDLen = 64

// validSourceID reports whether id has a source id's syntax, as the
// config checks it: [a-z0-9][a-z0-9-]*, bounded.
func validSourceID(id string) bool {
	if id == "" || len(id) > maxSourceIDLen || id[0] == '-' {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if (c < 'a' || c > 'z') && (c < '0' || c > '9') && c != '-' {
			return false
		}
	}
	return true
}

// noSourceEntriesError answers ?source= naming a source the section does
// not list and that has no entries there: a 404 that is not cached, so
// made-up ids cannot fill the render cache.
type noSourceEntriesError struct {
	source, section string
}

func (e *noSourceEntriesError) Error() string {
	return fmt.Sprintf("source %q has no entries in section %q", e.source, e.section)
}

// checkFound refuses a page of an unlisted source that holds nothing.
func (q pageQuery) checkFound(sec model.Section, page model.Page) error {
	if q.unlisted && len(page.Entries) == 0 && page.Next == nil {
		return &noSourceEntriesError{source: q.source, section: sec.ID}
	}
	return nil
}

// parseLimit reads ?limit for sec.
func parseLimit(q url.Values, sec model.Section) (int, error) {
	maxItems := sec.MaxItems
	if maxItems <= 0 {
		maxItems = DefaultLimit
	}
	if !q.Has("limit") {
		return min(DefaultLimit, maxItems), nil
	}
	n, err := strconv.Atoi(q.Get("limit"))
	if err != nil || n < 1 || n > maxItems {
		return 0, queryError("limit", fmt.Sprintf("must be an integer between 1 and %d", maxItems))
	}
	return n, nil
}

// storeQuery is the store's view of q.
func (q pageQuery) storeQuery() model.PageQuery {
	return model.PageQuery{Limit: q.limit, SourceID: q.source, Before: q.cursor}
}

// nextValues are the query parameters of the page after q, which starts
// after next. An explicit limit and the source filter carry over.
func (q pageQuery) nextValues(next model.Cursor) url.Values {
	v := url.Values{}
	if q.limitSet {
		v.Set("limit", strconv.Itoa(q.limit))
	}
	if q.source != "" {
		v.Set("source", q.source)
	}
	v.Set("before", encodeCursor(next))
	return v
}

// firstValues are the query parameters of the newest page with q's limit
// and source.
func (q pageQuery) firstValues() url.Values {
	v := url.Values{}
	if q.limitSet {
		v.Set("limit", strconv.Itoa(q.limit))
	}
	if q.source != "" {
		v.Set("source", q.source)
	}
	return v
}
