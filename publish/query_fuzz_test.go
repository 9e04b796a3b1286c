package publish

import (
	"net/url"
	"testing"

	"github.com/tributary-rss/tributary/aggregator/model"
)

// FuzzParsePageQuery feeds raw query strings, as a client sends them, to
// the ?limit/?source/?before parser. Whatever it accepts must be in range,
// name a source of the section and carry a cursor that survives the
// next-link round trip; nothing may panic. Seeds: testdata/fuzz/FuzzParsePageQuery.
func FuzzParsePageQuery(f *testing.F) {
	sec := model.Section{ID: "news", MaxItems: 120, SourceIDs: []string{"0123456789abcdef", "campus"}}
	for _, seed := range []string{
		"", "limit=10", "limit=0", "limit=121", "limit=-1", "limit=1e3", "limit=%zz",
		"source=campus", "source=../../etc", "limit=5&source=campus&before=" + encodeCursor(model.Cursor{Score: 1764300000, ID: "0a1b2c"}),
		"before=", "before=%ff", "before=" + encodeCursor(model.Cursor{Score: -1, ID: "ff"}), "a=1;b=2", "limit=1&limit=2",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		// Like net/http's URL.Query: pairs that do not parse are dropped
		// and the server sees what is left.
		q, _ := url.ParseQuery(raw)
		pq, err := parsePageQuery(q, sec)
		if err != nil {
			return
		}
		if pq.limit < 1 || pq.limit > sec.MaxItems {
			t.Fatalf("%q: limit %d accepted, outside 1…%d", raw, pq.limit, sec.MaxItems)
		}
		if pq.source != "" && pq.source != sec.SourceIDs[0] && pq.source != sec.SourceIDs[1] {
			t.Fatalf("%q: source %q is not one of the section's", raw, pq.source)
		}
		if pq.cursor != nil {
			again, ok := decodeCursor(encodeCursor(*pq.cursor))
			if !ok || again != *pq.cursor {
				t.Fatalf("%q: cursor %+v does not survive encoding (%+v, %v)", raw, *pq.cursor, again, ok)
			}
			next, err := parsePageQuery(pq.nextValues(*pq.cursor), sec)
			if err != nil || next.limit != pq.limit || next.source != pq.source || *next.cursor != *pq.cursor {
				t.Fatalf("%q: next link %q parses to %+v, %v", raw, pq.nextValues(*pq.cursor).Encode(), next, err)
			}
		}
	})
}
