package poll

import (
	"context"
	"time"

	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/aggregator/normalize"
	"github.com/tributary-rss/tributary/aggregator/store"
)

// DateIssueStore is the store's side of reporting items without a usable
// date: it records a parsed poll's date issues and returns the ones
// recorded before (see store.Store.SwapDateIssues). A Store without it
// leaves them unreported.
type DateIssueStore interface {
	SwapDateIssues(ctx context.Context, sourceID string, di model.DateIssues) (model.DateIssues, error)
}

var _ DateIssueStore = (*store.Store)(nil)

// summarizeDates counts the items of one poll whose date could not be
// used: undated ones (none, or unreadable) and future ones (more than 24
// hours ahead). Both were dated when first seen. The example is the first
// unreadable date text, else the first future one: an unreadable format
// is what an operator can act on first. Last is at when there are any.
func summarizeDates(notes []normalize.DateNote, at time.Time) model.DateIssues {
	var di model.DateIssues
	var future string
	for _, n := range notes {
		switch n.Problem {
		case normalize.DateMissing:
			di.Undated++
		case normalize.DateUnparsed:
			di.Undated++
			if di.Example == "" {
				di.Example = n.Raw
			}
		case normalize.DateClamped:
			di.Future++
			if future == "" {
				future = n.Raw
			}
		}
	}
	if di.Undated == 0 && di.Future == 0 {
		return model.DateIssues{}
	}
	if di.Example == "" {
		di.Example = future
	}
	di.Last = at
	return di
}

// reportDates records the date issues of a parsed poll of src and logs
// when the source starts or stops having them: one warning when a poll
// first finds items without a usable date, one info line when a poll
// finds none again, nothing on the polls between, whichever daemon
// sharing the store polled the source last.
func (p *Poller) reportDates(ctx context.Context, src model.Source, notes []normalize.DateNote, at time.Time) {
	ds, ok := p.store.(DateIssueStore)
	if !ok {
		return
	}
	di := summarizeDates(notes, at)
	log := p.logger.With("source", src.ID, "url", src.URL)
	prev, err := ds.SwapDateIssues(ctx, src.ID, di)
	if err != nil {
		log.Warn("record date issues", "err", err)
		return
	}
	had, has := prev.Undated+prev.Future > 0, di.Undated+di.Future > 0
	switch {
	case has && !had:
		log.Warn("items without a usable date, dated when first seen",
			"count", di.Undated+di.Future, "undated", di.Undated, "future", di.Future, "example", di.Example)
	case had && !has:
		log.Info("items dated again", "before", prev.Undated+prev.Future)
	}
}
