package registry

import (
	"fmt"
	"slices"

	"github.com/tributary-rss/tributary/aggregator/model"
)

// Select narrows sources to those of section and with the URL url (""
// for either: any), as `tributary fetch --section --source` asks. A
// section not among sections, or no source left, is an error.
func Select(sources []model.Source, sections []model.Section, section, url string) ([]model.Source, error) {
	if section != "" && !slices.ContainsFunc(sections, func(s model.Section) bool { return s.ID == section }) {
		return nil, fmt.Errorf("no section %q", section)
	}
	var out []model.Source
	for _, src := range sources {
		if section != "" && !slices.Contains(src.SectionIDs, section) {
			continue
		}
		if url != "" && src.URL != url {
			continue
		}
		out = append(out, src)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no source matches (section %q, source %q)", section, url)
	}
	return out, nil
}
