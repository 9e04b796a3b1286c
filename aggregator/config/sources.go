package config

import (
	"cmp"
	"time"

	"github.com/tributary-rss/tributary/aggregator/model"
)

// Sources returns one Source per distinct feed URL, in the order the URLs
// first appear. A URL listed by several sections is one Source listing all
// of them, so it is fetched once per due time. Schedule, Timezone and Title
// come from whichever listing sets them (validation made them agree), else
// from Defaults.
func (c *Config) Sources() []model.Source {
	groups := c.groups()
	out := make([]model.Source, 0, len(groups))
	staleAfter := c.sectionStaleAfter()
	for _, g := range groups {
		id, _ := g.id()
		file, line := c.Position(g.listings[0].Line)
		out = append(out, model.Source{
			ID:         id,
			URL:        g.url,
			Title:      pickOr(g, func(s *SourceConfig) *string { return &s.Title }, ""),
			Schedule:   pickOr(g, func(s *SourceConfig) *string { return &s.Schedule }, c.Defaults.Schedule),
			Location:   loadLocation(pickOr(g, func(s *SourceConfig) *string { return &s.Timezone }, c.Defaults.Timezone)),
			SectionIDs: g.sectionIDs,
			Headers:    pickHeaders(g),
			Include:    pickList(g, func(s *SourceConfig) []string { return s.Include }),
			Exclude:    pickList(g, func(s *SourceConfig) []string { return s.Exclude }),
			Scrape:     pickScrape(g),
			Content:    pickContent(g),
			TitleStrip: pickList(g, func(s *SourceConfig) []string { return s.TitleStrip }),
			ConfigFile: file,
			ConfigLine: line,
			StaleAfter: staleAfter(g),
		})
	}
	return out
}

// sectionStaleAfter returns the resolver of a listing group's stale_after
// (see model.StaleAfterFor): its own, else its sections', else
// freshness.stale_after.
func (c *Config) sectionStaleAfter() func(*sourceGroup) time.Duration {
	def := time.Duration(c.Freshness.StaleAfter)
	bySection := make(map[string]model.Section, len(c.SectionConfigs))
	for _, s := range c.SectionConfigs {
		bySection[s.ID] = model.Section{ID: s.ID, StaleAfter: cmp.Or(time.Duration(s.StaleAfter), def)}
	}
	return func(g *sourceGroup) time.Duration {
		secs := make([]model.Section, 0, len(g.sectionIDs))
		for _, id := range g.sectionIDs {
			secs = append(secs, bySection[id])
		}
		return model.StaleAfterFor(sourceStaleAfter(g), secs, def)
	}
}

// pickList is the first non-empty list a listing of the group sets.
func pickList(g *sourceGroup, field func(*SourceConfig) []string) []string {
	for _, s := range g.listings {
		if l := field(s); len(l) > 0 {
			return l
		}
	}
	return nil
}

func pickOr(g *sourceGroup, field func(*SourceConfig) *string, def string) string {
	if p := g.pick(field); p != nil {
		return *p
	}
	return def
}

// loadLocation cannot fail for a validated config; UTC keeps the promise
// that Location is never nil for a hand-built one.
func loadLocation(name string) *time.Location {
	loc, err := location(name)
	if err != nil {
		return time.UTC
	}
	return loc
}

// Sections returns the sections in file order with Language and MaxItems
// inherited from Defaults and SourceIDs in listing order.
func (c *Config) Sections() []model.Section {
	groups := c.groups()
	ids := make(map[string]string, len(groups))
	for _, g := range groups {
		ids[g.url], _ = g.id()
	}
	out := make([]model.Section, 0, len(c.SectionConfigs))
	for _, s := range c.SectionConfigs {
		sec := model.Section{
			ID:          s.ID,
			Title:       s.Title,
			Description: s.Description,
			Language:    s.Language,
			MaxItems:    s.MaxItems,
		}
		sec.Include, sec.Exclude = s.Include, s.Exclude
		sec.MaxAge, sec.DedupTitles = time.Duration(s.MaxAge), s.DedupTitles
		sec.PinsInFeeds = s.PinsInFeeds
		sec.LinkTo = linkTo(s.LinkTo)
		setZero(&sec.MaxAge, time.Duration(c.Defaults.MaxAge))
		setString(&sec.Language, c.Defaults.Language)
		setZero(&sec.MaxItems, c.Defaults.MaxItems)
		sec.Location = loadLocation(cmp.Or(s.Timezone, c.Defaults.Timezone))
		sec.StaleAfter = cmp.Or(time.Duration(s.StaleAfter), time.Duration(c.Freshness.StaleAfter), model.DefaultStaleAfter)
		sec.Review = s.Review
		for _, src := range s.Sources {
			if id, ok := ids[src.URL]; ok {
				sec.SourceIDs = append(sec.SourceIDs, id)
				if src.Trusted && s.Review {
					sec.TrustedSourceIDs = append(sec.TrustedSourceIDs, id)
				}
			}
		}
		out = append(out, sec)
	}
	return out
}
