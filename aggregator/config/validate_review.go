package config

// review checks trusted: listings: trust only skips a section's review,
// so a trusted listing in a section without review: true is a mistake
// (most often review: was forgotten, and every entry is published
// unreviewed), reported at the listing's trusted: line.
func (v *validator) review(c *Config) {
	for i := range c.SectionConfigs {
		s := &c.SectionConfigs[i]
		if s.Review || v.failed(&s.Review) {
			continue
		}
		for j := range s.Sources {
			src := &s.Sources[j]
			if !src.Trusted || !v.set(&src.Trusted) {
				continue
			}
			v.probs.add(v.line(&src.Trusted, src.Line),
				"trusted: section %q does not set review: true, so its entries are published at once anyway; set review: true on the section or drop trusted", s.ID)
		}
	}
}
