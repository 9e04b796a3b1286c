package poll

import (
	"time"

	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/aggregator/normalize"
	"github.com/tributary-rss/tributary/aggregator/preview"
	"github.com/tributary-rss/tributary/aggregator/read"
)

// keepList records, once a poll's entries are stored, what its list page
// gave: the selectors detection chose (or none, for a page read with the
// source's own or as a feed) and the warnings an editor should see. A
// poll that read nothing new (304, the same body) changes neither.
func (p *Poller) keepList(src model.Source, st *model.SourceState, res *Result, entries []model.Entry, dates []normalize.DateNote, now time.Time) {
	st.Warnings = nil
	if res.list != nil {
		if w := preview.Warnings(res.list, entries, dates, src.Location, now); len(w) > 0 {
			st.Warnings = w
		}
	}
	var rules *model.Scrape
	if res.detected {
		r := res.list.Rules
		rules = &r
	}
	log := p.logger.With("source", src.ID, "url", src.URL)
	switch prev := st.Detected; {
	case rules == nil && prev == nil:
		return
	case rules == nil:
		log.Info("list detection dropped", "items", prev.Items)
	case prev == nil:
		log.Info("list detected", "items", rules.Items, "link", rules.Link, "date", rules.Date)
	case *prev != *rules:
		log.Info("list detection changed", "items", rules.Items, "link", rules.Link, "date", rules.Date, "previous_items", prev.Items)
	case st.DetectedFrom == read.BlockFingerprint(src.Scrape):
		return
	}
	st.Detected, st.DetectedFrom = rules, ""
	if rules != nil {
		st.DetectedFrom = read.BlockFingerprint(src.Scrape)
	}
	// The body was read with these rules: the next poll need not read
	// an unchanged one again (see rulesChanged).
	st.ParseRules = parseRules(src, st.Detected)
}
