package config

import (
	"fmt"

	"github.com/tributary-rss/tributary/aggregator/normalize"
)

// titleStrips checks every source's title_strip list: each entry a label
// or a "/re/" RE2 expression (see normalize.TitleStrip), at most
// normalize.MaxTitleStrip of them, each bad entry reported at its own
// line; and the listings of one URL must not set different lists (a
// listing without one inherits).
func (v *validator) titleStrips(c *Config) {
	for i := range c.SectionConfigs {
		for j := range c.SectionConfigs[i].Sources {
			s := &c.SectionConfigs[i].Sources[j]
			if len(s.TitleStrip) > normalize.MaxTitleStrip {
				v.check(&s.TitleStrip[0], "title_strip", fmt.Errorf("%d entries, at most %d", len(s.TitleStrip), normalize.MaxTitleStrip))
			}
			for k := range s.TitleStrip {
				if p := &s.TitleStrip[k]; !v.failed(p) {
					v.check(p, fmt.Sprintf("title_strip[%d]", k), normalize.CheckTitleStrip(*p))
				}
			}
		}
	}
	for _, g := range c.groups() {
		v.agreeList(g, "title_strip", func(s *SourceConfig) []string { return s.TitleStrip })
	}
}
