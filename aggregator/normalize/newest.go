package normalize

import (
	"cmp"
	"slices"
	"time"

	"github.com/mmcdole/gofeed"
)

// newestItems returns at most n of items (nil ones left out): the newest by
// the published date Entries gives them, in document order. An item
// without a usable date counts as published now, as Entries publishes it,
// and items of equal date keep document order, so a feed without dates
// gives its first n items. A document of 100,000 items is a mistake or an
// attack; normalizing and storing all of them made every poll of it fail.
func newestItems(items []*gofeed.Item, n int, loc *time.Location, now time.Time) []*gofeed.Item {
	if len(items) <= n {
		return items
	}
	type dated struct {
		pos int
		at  time.Time
	}
	ds := make([]dated, 0, len(items))
	for i, item := range items {
		if item == nil {
			continue
		}
		published, _, _, _ := itemDates(item, loc, now)
		ds = append(ds, dated{pos: i, at: published})
	}
	slices.SortStableFunc(ds, func(a, b dated) int { return b.at.Compare(a.at) })
	ds = ds[:min(n, len(ds))]
	slices.SortFunc(ds, func(a, b dated) int { return cmp.Compare(a.pos, b.pos) })
	out := make([]*gofeed.Item, len(ds))
	for i, d := range ds {
		out[i] = items[d.pos]
	}
	return out
}
