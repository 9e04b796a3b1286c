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
		if !slices.Contains(sec.SourceIDs, pq.source) {
			return pq, queryError("source", fmt.Sprintf("%q is not a source of section %q", pq.source, sec.ID))
		}
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
