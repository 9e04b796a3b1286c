package config

import "github.com/tributary-rss/tributary/aggregator/model"

func (v *validator) sections(c *Config) {
	if len(c.SectionConfigs) == 0 {
		if !v.failed(&c.SectionConfigs) {
			v.probs.add(v.line(&c.SectionConfigs, 1), "no sections configured")
		}
		return
	}
	firstID := map[string]int{}
	for i := range c.SectionConfigs {
		s := &c.SectionConfigs[i]
		if v.failed(s) {
			continue
		}
		v.section(s)
		if !v.filled(&s.ID) {
			continue
		}
		line := v.line(&s.ID, s.Line)
		if first, dup := firstID[s.ID]; dup {
			v.probs.add(line, "id: duplicate section id %q (first at line %d)", s.ID, first)
			continue
		}
		firstID[s.ID] = line
	}
	v.sourceGroups(c)
}

func (v *validator) section(s *SectionConfig) {
	switch {
	case v.filled(&s.ID):
		v.check(&s.ID, "id", checkID(s.ID))
	case !v.failed(&s.ID):
		v.probs.add(v.line(&s.ID, s.Line), "section has no id")
	}
	if v.filled(&s.Language) {
		v.check(&s.Language, "language", checkLanguage(s.Language))
	}
	v.positive(&s.MaxItems, "max_items", int64(s.MaxItems))
	if len(s.Sources) == 0 {
		if !v.failed(&s.Sources) {
			v.probs.add(v.line(&s.Sources, s.Line), "section %q has no sources", s.ID)
		}
		return
	}
	v.sectionSources(s)
}

// sectionSources checks each listing and that no URL is listed twice.
func (v *validator) sectionSources(s *SectionConfig) {
	firstURL := make(map[string]int, len(s.Sources))
	for i := range s.Sources {
		src := &s.Sources[i]
		if v.failed(src) {
			continue
		}
		v.source(src)
		if !v.filled(&src.URL) {
			continue
		}
		line := v.line(&src.URL, src.Line)
		if first, dup := firstURL[src.URL]; dup {
			v.probs.add(line, "url: %s is listed twice in section %q (first at line %d)", src.URL, s.ID, first)
			continue
		}
		firstURL[src.URL] = line
	}
}

func (v *validator) source(s *SourceConfig) {
	switch {
	case v.filled(&s.URL):
		v.check(&s.URL, "url", checkFeedURL(s.URL))
	case !v.failed(&s.URL):
		v.probs.add(v.line(&s.URL, s.Line), "source has no url")
	}
	if v.filled(&s.ID) {
		v.check(&s.ID, "id", checkID(s.ID))
	}
	v.checkSchedule(&s.Schedule)
	if v.filled(&s.Timezone) {
		v.check(&s.Timezone, "timezone", checkTimezone(s.Timezone))
	}
}

// sourceGroups checks what only shows once listings of one URL in several
// sections are put together: they must agree, and ids must be unique.
func (v *validator) sourceGroups(c *Config) {
	type owner struct {
		url  string
		line int
	}
	groups := c.groups()
	ids := make(map[string]owner, len(groups))
	for _, g := range groups {
		v.agree(g, "id", func(s *SourceConfig) *string { return &s.ID })
		v.agree(g, "schedule", func(s *SourceConfig) *string { return &s.Schedule })
		v.agree(g, "timezone", func(s *SourceConfig) *string { return &s.Timezone })
		v.agree(g, "title", func(s *SourceConfig) *string { return &s.Title })
		id, ptr := g.id()
		line := v.line(ptr, v.line(&g.listings[0].URL, g.listings[0].Line))
		if prev, dup := ids[id]; dup {
			v.probs.add(line, "id: source id %q is already used by %s (line %d)", id, prev.url, prev.line)
			continue
		}
		ids[id] = owner{url: g.url, line: line}
	}
}

// agree reports every listing of the group whose field differs from the
// first listing that sets it; an empty field inherits and never conflicts.
func (v *validator) agree(g *sourceGroup, key string, field func(*SourceConfig) *string) {
	var first *string
	for _, s := range g.listings {
		p := field(s)
		switch {
		case *p == "":
		case first == nil:
			first = p
		case *p != *first:
			v.probs.add(v.line(p, s.Line), "%s: %q conflicts with %q for the same url at line %d",
				key, *p, *first, v.line(first, 0))
		}
	}
}

// sourceGroup is every listing of one feed URL, in file order.
type sourceGroup struct {
	url        string
	listings   []*SourceConfig
	sectionIDs []string
}

// pick returns the first non-empty value of a field across the listings.
func (g *sourceGroup) pick(field func(*SourceConfig) *string) *string {
	for _, s := range g.listings {
		if p := field(s); *p != "" {
			return p
		}
	}
	return nil
}

// id is the explicit id if any listing sets one, else the id derived from
// the URL; ptr is the explicit id's field, nil when derived.
func (g *sourceGroup) id() (id string, ptr *string) {
	if p := g.pick(func(s *SourceConfig) *string { return &s.ID }); p != nil {
		return *p, p
	}
	return model.SourceID(g.url), nil
}

// groups gathers the listings of each source URL, in the order the URLs
// are first listed.
func (c *Config) groups() []*sourceGroup {
	if c.groupsMemo != nil {
		return c.groupsMemo
	}
	return c.buildGroups()
}

// buildGroups walks the sections for groups.
func (c *Config) buildGroups() []*sourceGroup {
	// Sized for the listings up front: at a hundred thousand sources,
	// growing the map was a tenth of loading the config.
	n := 0
	for i := range c.SectionConfigs {
		n += len(c.SectionConfigs[i].Sources)
	}
	order := make([]*sourceGroup, 0, n)
	byURL := make(map[string]*sourceGroup, n)
	for i := range c.SectionConfigs {
		sec := &c.SectionConfigs[i]
		for j := range sec.Sources {
			s := &sec.Sources[j]
			if s.URL == "" {
				continue
			}
			g, ok := byURL[s.URL]
			if !ok {
				g = &sourceGroup{url: s.URL}
				byURL[s.URL] = g
				order = append(order, g)
			}
			g.listings = append(g.listings, s)
			if n := len(g.sectionIDs); n == 0 || g.sectionIDs[n-1] != sec.ID {
				g.sectionIDs = append(g.sectionIDs, sec.ID)
			}
		}
	}
	return order
}
