package config

import (
	"fmt"
	"slices"
	"strings"

	"github.com/tributary-rss/tributary/aggregator/filter"
)

// entryRules checks the keys that shape entries: summary length, tracking
// parameters, filters and max_age. Each bad list element is reported at its
// own line.
func (v *validator) entryRules(c *Config) {
	d := &c.Defaults
	v.positive(&d.SummaryLength, "summary_length", int64(d.SummaryLength))
	for i := range d.TrackingParams {
		p := &d.TrackingParams[i]
		if !v.failed(p) {
			v.check(p, fmt.Sprintf("tracking_params[%d]", i), checkTrackingParam(*p))
		}
	}
	v.nonNegative(&d.MaxAge, "max_age")
	for i := range c.SectionConfigs {
		s := &c.SectionConfigs[i]
		v.patterns(s.Include, "include")
		v.patterns(s.Exclude, "exclude")
		v.nonNegative(&s.MaxAge, "max_age")
		for j := range s.Sources {
			v.patterns(s.Sources[j].Include, "include")
			v.patterns(s.Sources[j].Exclude, "exclude")
		}
	}
	for _, g := range c.groups() {
		v.agreeList(g, "include", func(s *SourceConfig) []string { return s.Include })
		v.agreeList(g, "exclude", func(s *SourceConfig) []string { return s.Exclude })
	}
}

func (v *validator) patterns(list []string, key string) {
	for i := range list {
		if p := &list[i]; !v.failed(p) {
			v.check(p, fmt.Sprintf("%s[%d]", key, i), filter.CheckPattern(*p))
		}
	}
}

func (v *validator) nonNegative(d *Duration, key string) {
	if v.set(d) && *d < 0 {
		v.check(d, key, fmt.Errorf("must not be negative, got %s (0 means no limit)", *d))
	}
}

func checkTrackingParam(p string) error {
	if k := strings.TrimSpace(p); k == "" || k == "*" {
		return fmt.Errorf("%q is not a query key (write key, or prefix*)", p)
	}
	return nil
}

// agreeList is agree for lists: a source's filter applies in every section
// listing its URL, so two listings may not set different lists (an empty
// list inherits).
func (v *validator) agreeList(g *sourceGroup, key string, field func(*SourceConfig) []string) {
	var first *SourceConfig
	for _, s := range g.listings {
		list := field(s)
		switch {
		case len(list) == 0:
		case first == nil:
			first = s
		case !slices.Equal(list, field(first)):
			v.probs.add(v.line(&list[0], s.Line), "%s: conflicts with the %s list for the same url at line %d",
				key, key, v.line(&field(first)[0], first.Line))
		}
	}
}
