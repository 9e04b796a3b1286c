package opml

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/tributary-rss/tributary/aggregator/config"
)

// Section is one section an import adds feeds to.
type Section struct {
	ID string
	// Title is the folder's text, for a section the import creates.
	Title string
	// New says the config has no such section yet.
	New bool
	// Feeds are the ones to add; Listed counts those already there.
	Feeds  []Feed
	Listed int
	// urls are the URLs of Feeds: a list of many thousands of feeds is
	// checked for repeats in constant time each.
	urls map[string]bool
}

// Plan says where each feed of an OPML list goes, in the order the
// sections first appear in the file.
type Plan struct {
	Sections []*Section
	// Problems are feeds left out, at their line in the OPML file.
	Problems []Note
}

// PlanImport assigns the list's feeds to sections: with folders, each
// folder to the section whose title is the folder's text or whose id is
// its slug (a new section when none is), and feeds outside any folder to
// section; without, every feed to section. cfg (nil: no config) tells
// which sections and sources exist. Every feed is checked on its own as
// a config source would be, so a bad one is reported at its own line and
// the others still go in.
func PlanImport(list *List, cfg *config.Config, section string, folders bool) *Plan {
	p := &Plan{Problems: append([]Note(nil), list.Problems...)}
	byID := map[string]*Section{}
	listed := listedSources(cfg)
	for _, f := range list.Feeds {
		id, title, isNew := section, "", false
		if folders && f.Folder != "" {
			id, title, isNew = folderSection(cfg, f.Folder)
		}
		if id == "" {
			p.Problems = append(p.Problems, Note{f.Line, "not in a folder; give --section ID for feeds outside folders; skipped"})
			continue
		}
		if err := checkFeed(f); err != nil {
			p.Problems = append(p.Problems, Note{f.Line, err.Error() + "; skipped"})
			continue
		}
		ps := byID[id]
		if ps == nil {
			ps = &Section{ID: id, Title: title, New: isNew && !SectionExists(cfg, id), urls: map[string]bool{}}
			byID[id] = ps
			p.Sections = append(p.Sections, ps)
		}
		switch {
		case listed[[2]string{id, f.URL}]:
			ps.Listed++
		case ps.urls[f.URL]:
		default:
			ps.Feeds = append(ps.Feeds, f)
			ps.urls[f.URL] = true
		}
	}
	return p
}

// folderSection is the section for a folder: an existing one titled like
// it or with its slug as id, else a new one.
func folderSection(cfg *config.Config, folder string) (id, title string, isNew bool) {
	slug := FolderSlug(folder)
	if cfg != nil {
		for _, s := range cfg.SectionConfigs {
			if strings.TrimSpace(s.Title) == folder {
				return s.ID, "", false
			}
		}
		for _, s := range cfg.SectionConfigs {
			if s.ID == slug {
				return s.ID, "", false
			}
		}
	}
	return slug, folder, true
}

func SectionExists(cfg *config.Config, id string) bool {
	if cfg == nil {
		return false
	}
	for _, s := range cfg.SectionConfigs {
		if s.ID == id {
			return true
		}
	}
	return false
}

// listedSources is the set of (section id, source URL) the config has.
func listedSources(cfg *config.Config) map[[2]string]bool {
	out := map[[2]string]bool{}
	if cfg == nil {
		return out
	}
	for _, s := range cfg.SectionConfigs {
		for _, src := range s.Sources {
			out[[2]string{s.ID, src.URL}] = true
		}
	}
	return out
}

// entryLine strips the "file:line: " a config error starts with.
var entryLine = regexp.MustCompile(`(?m)^entry:\d+: `)

// checkFeed validates one feed exactly as the config will: as the only
// source of a section in a config of its own.
func checkFeed(f Feed) error {
	doc := "sections:\n  - id: check\n    sources:\n" + sourceItems([]Feed{f}, "      ", "        ")
	if _, err := config.Parse("entry", []byte(doc), nil); err != nil {
		msg := strings.TrimSpace(entryLine.ReplaceAllString(err.Error(), ""))
		return fmt.Errorf("%s", strings.ReplaceAll(msg, "\n", "; "))
	}
	return nil
}

// Added counts the feeds the plan adds.
func (p *Plan) Added() int {
	n := 0
	for _, s := range p.Sections {
		n += len(s.Feeds)
	}
	return n
}
