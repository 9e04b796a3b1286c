package publish

import (
	"slices"
	"sync"

	"github.com/tributary-rss/tributary/aggregator/model"
)

// catalog is what the config's sections and sources decide for the HTTP
// side: which sections exist (in display order), which sources the status
// page lists, and the documents rendered from the config alone.
type catalog struct {
	list        []model.Section
	sections    map[string]model.Section
	sectionIDs  []string
	sources     []model.Source
	apiSections *rendering
	// opml renders the OPML documents from the config alone, on first
	// use: a daemon serves those built with the feeds' own titles (see
	// servedOPML), and at 100,000 sources building them took most of a
	// second of every start and reload.
	opml func() (map[string]*rendering, error)
	// conf tags, per section, the config its renders depend on.
	conf map[string]string
	// pageSources are the sources configured as list pages (see
	// feedData.PageSources).
	pageSources map[string]bool
}

// cat is the current catalog; callers read it once per request so one
// request never mixes two configs.
func (s *Server) cat() *catalog { return s.catalog.Load() }

// SetSections replaces the served sections and sources (a config reload):
// new sections are served at once, removed ones answer 404, and cached
// renders of removed or changed sections are dropped. Entries stay in the
// store either way. An error (a config document that cannot be rendered)
// leaves the old catalog in place.
func (s *Server) SetSections(sections []model.Section, sources []model.Source) error {
	c := &catalog{list: sections, sources: sources, sections: make(map[string]model.Section, len(sections)),
		conf: make(map[string]string, len(sections))}
	for _, sec := range sections {
		c.sections[sec.ID] = sec
		c.conf[sec.ID] = sectionConfTag(s.confBase, sec)
		c.sectionIDs = append(c.sectionIDs, sec.ID)
	}
	c.pageSources = listPageSources(sources)
	var err error
	if c.apiSections, err = s.buildAPISections(sections); err != nil {
		return err
	}
	c.opml = sync.OnceValues(func() (map[string]*rendering, error) { return s.buildOPML(sections, sources, nil) })
	old := s.catalog.Swap(c)
	if old == nil {
		return nil
	}
	for id, prev := range old.sections {
		if cur, ok := c.sections[id]; !ok || !sameSection(prev, cur) {
			s.Invalidate(id)
		}
	}
	return nil
}

// sameSection reports whether a section renders the same under both
// configs (its title, language, limits and filters are in its feeds).
func sameSection(a, b model.Section) bool {
	return a.ID == b.ID && a.Title == b.Title && a.Description == b.Description && a.Language == b.Language &&
		a.MaxItems == b.MaxItems && a.MaxAge == b.MaxAge && a.DedupTitles == b.DedupTitles && sameZone(a, b) && a.PinsInFeeds == b.PinsInFeeds && a.LinkTo == b.LinkTo &&
		slices.Equal(a.SourceIDs, b.SourceIDs) && slices.Equal(a.Include, b.Include) && slices.Equal(a.Exclude, b.Exclude)
}
