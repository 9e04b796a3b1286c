package config

import (
	"time"

	"github.com/tributary-rss/tributary/aggregator/model"
)

// DefaultStaleAfter is freshness.stale_after when the file sets none.
const DefaultStaleAfter = Duration(model.DefaultStaleAfter)

// FreshnessConfig says when a source that answers its polls but publishes
// nothing is stale (see model.Freshness). Sections and sources may set
// their own stale_after; the most specific wins.
type FreshnessConfig struct {
	// StaleAfter is how long a source may publish nothing (default 14d).
	StaleAfter Duration `yaml:"stale_after"`
}

// freshness checks every stale_after: more than zero where given, and one
// value for all listings of a URL (a source has one threshold, whatever
// section lists it).
func (v *validator) freshness(c *Config) {
	v.positive(&c.Freshness.StaleAfter, "stale_after", int64(c.Freshness.StaleAfter))
	for i := range c.SectionConfigs {
		s := &c.SectionConfigs[i]
		v.positive(&s.StaleAfter, "stale_after", int64(s.StaleAfter))
		for j := range s.Sources {
			src := &s.Sources[j]
			v.positive(&src.StaleAfter, "stale_after", int64(src.StaleAfter))
		}
	}
	for _, g := range c.groups() {
		v.agreeStaleAfter(g)
	}
}

// agreeStaleAfter reports a listing whose stale_after differs from an
// earlier listing's of the same URL (an unset one inherits).
func (v *validator) agreeStaleAfter(g *sourceGroup) {
	var first *SourceConfig
	for _, s := range g.listings {
		switch {
		case s.StaleAfter <= 0:
		case first == nil:
			first = s
		case s.StaleAfter != first.StaleAfter:
			v.probs.add(v.line(&s.StaleAfter, s.Line), "stale_after: %s conflicts with %s for the same url at line %d",
				FormatDuration(time.Duration(s.StaleAfter)), FormatDuration(time.Duration(first.StaleAfter)), v.line(&first.StaleAfter, first.Line))
		}
	}
}

// sourceStaleAfter is a listing group's own stale_after (0: none).
func sourceStaleAfter(g *sourceGroup) time.Duration {
	for _, s := range g.listings {
		if s.StaleAfter > 0 {
			return time.Duration(s.StaleAfter)
		}
	}
	return 0
}
