package registry

import (
	"cmp"
	"slices"
	"time"

	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/aggregator/store"
)

// fileConfig is what the registry keeps of the config file.
type fileConfig struct {
	sources  []model.Source
	sections []model.Section
	// schedule and timezone are the defaults API sources inherit.
	schedule, timezone string
	// staleAfter is freshness.stale_after (see staleAfterOf).
	staleAfter time.Duration
}

// setAside is an API source left out of the merged list, and why.
type setAside struct {
	id, url, why string
}

// merge returns the file's sources followed by the API sources that fit,
// and the file's sections with those API sources appended to SourceIDs.
// It never modifies its arguments. The sources share the file's array
// until an API source is appended (clipped, so appending copies): with
// 100,000 sources in the file, a copy per merge was a tenth of the
// start.
func merge(file fileConfig, api []store.APISource, restricted bool) ([]model.Source, []model.Section, []setAside) {
	sources := slices.Clip(file.sources)
	sections := make([]model.Section, len(file.sections))
	index := make(map[string]int, len(sections))
	for i, sec := range file.sections {
		sec.SourceIDs = slices.Clone(sec.SourceIDs)
		sections[i] = sec
		index[sec.ID] = i
	}
	ids := make(map[string]bool, len(sources))
	urls := make(map[string]bool, len(sources))
	for _, src := range sources {
		ids[src.ID], urls[src.URL] = true, true
	}
	var aside []setAside
	for _, rec := range api {
		switch {
		case ids[rec.ID]:
			aside = append(aside, setAside{rec.ID, rec.URL, "the config file has a source with this id"})
			continue
		case urls[rec.URL]:
			aside = append(aside, setAside{rec.ID, rec.URL, "the config file lists this URL"})
			continue
		}
		var secs []string
		for _, id := range rec.Sections {
			if _, ok := index[id]; ok && !slices.Contains(secs, id) {
				secs = append(secs, id)
			}
		}
		if len(secs) == 0 {
			aside = append(aside, setAside{rec.ID, rec.URL, "none of its sections is in the config any more"})
			continue
		}
		ids[rec.ID], urls[rec.URL] = true, true
		sources = append(sources, apiSource(rec, secs, file, restricted))
		for _, id := range secs {
			sec := &sections[index[id]]
			sec.SourceIDs = append(sec.SourceIDs, rec.ID)
		}
	}
	return sources, sections, aside
}

func apiSource(rec store.APISource, sections []string, file fileConfig, restricted bool) model.Source {
	loc, err := time.LoadLocation(cmp.Or(rec.Timezone, file.timezone))
	if err != nil {
		loc = time.UTC // validated when added; a zone dropped from tzdata since is not worth failing for
	}
	return model.Source{
		ID:         rec.ID,
		URL:        rec.URL,
		Title:      rec.Title,
		Schedule:   cmp.Or(rec.Schedule, file.schedule),
		Location:   loc,
		SectionIDs: sections,
		Origin:     model.OriginAPI,
		Restricted: restricted,
		Scrape:     rec.Scrape,
		Content:    rec.Content,
		Include:    rec.Include,
		Exclude:    rec.Exclude,
		StaleAfter: staleAfterOf(rec, sections, file),
		TitleStrip: rec.TitleStrip,
	}
}

// addExtra adds to the config file's sources (in merge's output) the sections added to them through the admin API: each extra
// section that exists and is not the file's own is appended to the
// source's SectionIDs, in the order stored, and the source to that
// section's SourceIDs. Extra sections of a source the file no longer has,
// or that the config no longer has, are ignored.
//
// sources may share the config file's array (see merge): the first source
// it changes makes it work on a copy, which it returns.
func addExtra(sources []model.Source, sections []model.Section, extra map[string][]string) []model.Source {
	if len(extra) == 0 {
		return sources
	}
	copied := false
	index := make(map[string]int, len(sections))
	for i, sec := range sections {
		index[sec.ID] = i
	}
	for i := range sources {
		if sources[i].Origin == model.OriginAPI || len(extra[sources[i].ID]) == 0 {
			continue
		}
		if !copied {
			sources, copied = slices.Clone(sources), true
		}
		src := &sources[i]
		src.SectionIDs = slices.Clone(src.SectionIDs)
		for _, id := range extra[src.ID] {
			j, ok := index[id]
			if !ok || slices.Contains(src.SectionIDs, id) {
				continue
			}
			src.SectionIDs = append(src.SectionIDs, id)
			sections[j].SourceIDs = append(sections[j].SourceIDs, src.ID)
		}
	}
	return sources
}

// changedSections lists the sections of now whose sources differ from
// those they had in was, or that was did not have.
func changedSections(was, now []model.Section) []string {
	before := make(map[string][]string, len(was))
	for _, sec := range was {
		before[sec.ID] = sec.SourceIDs
	}
	var out []string
	for _, sec := range now {
		if old, ok := before[sec.ID]; !ok || !slices.Equal(old, sec.SourceIDs) {
			out = append(out, sec.ID)
		}
	}
	return out
}
