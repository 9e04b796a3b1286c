package publish

import (
	"fmt"
	"net/url"
	"strconv"

	"github.com/tributary-rss/tributary/aggregator/model"
)

// parseLimit reads ?limit for sec. Unknown parameters are ignored so that
// readers adding tracking or cache-busting parameters still get the feed.
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
		return 0, fmt.Errorf("invalid query parameter %q: must be an integer between 1 and %d", "limit", maxItems)
	}
	return n, nil
}
