package config

import (
	"fmt"
	"strings"

	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/aggregator/parse"
)

// ScrapeConfig is a source's scrape: block, which reads its URL as a list
// page: CSS selectors for the entries and their parts. model.Scrape says
// what each key does and what an empty one means.
type ScrapeConfig struct {
	Items    string `yaml:"items"`
	Title    string `yaml:"title"`
	Link     string `yaml:"link"`
	Date     string `yaml:"date"`
	DateAttr string `yaml:"date_attr"`
	Summary  string `yaml:"summary"`
	Image    string `yaml:"image"`
	Skip     string `yaml:"skip"`
	// Line is where the block starts in the file.
	Line int `yaml:"-"`
}

// ContentConfig is a source's content: block, which fetches the article
// behind each new entry's link (see model.Content). A zero MaxPerPoll
// means model.DefaultMaxPerPoll.
type ContentConfig struct {
	Fetch      bool     `yaml:"fetch"`
	Selector   string   `yaml:"selector"`
	Remove     []string `yaml:"remove"`
	MaxPerPoll int      `yaml:"max_per_poll"`
	// Line is where the block starts in the file.
	Line int `yaml:"-"`
}

// scraping checks every scrape: and content: block: every selector must
// compile, max_per_poll is at least 1, and the listings of one URL
// (fetched once for all of them) must not set different blocks (a
// listing without one inherits). Every scrape: key is optional: a block
// without items has the list detected on the page, its keys kept.
func (v *validator) scraping(c *Config) {
	for i := range c.SectionConfigs {
		for j := range c.SectionConfigs[i].Sources {
			s := &c.SectionConfigs[i].Sources[j]
			if s.Scrape != nil && !v.failed(&s.Scrape) {
				v.scrapeBlock(s.Scrape)
			}
			if s.Content != nil && !v.failed(&s.Content) {
				v.contentBlock(s.Content)
			}
		}
	}
	for _, g := range c.groups() {
		v.agreeBlock(g, "scrape", func(s *SourceConfig) (any, bool) { return &s.Scrape, s.Scrape != nil },
			func(a, b *SourceConfig) bool { return a.Scrape.model().Equal(b.Scrape.model()) })
		v.agreeBlock(g, "content", func(s *SourceConfig) (any, bool) { return &s.Content, s.Content != nil },
			func(a, b *SourceConfig) bool { return a.Content.model().Equal(b.Content.model()) })
	}
	v.titleStrips(c)
}

func (v *validator) scrapeBlock(sc *ScrapeConfig) {
	for _, f := range []struct {
		key string
		p   *string
	}{
		{"items", &sc.Items}, {"title", &sc.Title}, {"link", &sc.Link}, {"date", &sc.Date},
		{"summary", &sc.Summary}, {"image", &sc.Image}, {"skip", &sc.Skip},
	} {
		if v.filled(f.p) {
			v.check(f.p, "scrape."+f.key, parse.CheckSelector(*f.p))
		}
	}
	if v.filled(&sc.DateAttr) && strings.ContainsAny(sc.DateAttr, " \t\n\"'=<>/") {
		v.check(&sc.DateAttr, "scrape.date_attr", fmt.Errorf("%q is not an attribute name", sc.DateAttr))
	}
}

func (v *validator) contentBlock(cc *ContentConfig) {
	if v.filled(&cc.Selector) {
		v.check(&cc.Selector, "content.selector", parse.CheckSelector(cc.Selector))
	}
	for i := range cc.Remove {
		if p := &cc.Remove[i]; !v.failed(p) {
			v.check(p, fmt.Sprintf("content.remove[%d]", i), parse.CheckSelector(*p))
		}
	}
	v.positive(&cc.MaxPerPoll, "content.max_per_poll", int64(cc.MaxPerPoll))
}

// agreeBlock reports a listing whose block differs from the first listing
// of the same URL that sets one. field returns the block's field pointer
// (for its line) and whether it is set.
func (v *validator) agreeBlock(g *sourceGroup, key string, field func(*SourceConfig) (any, bool), same func(a, b *SourceConfig) bool) {
	var first *SourceConfig
	for _, s := range g.listings {
		ptr, ok := field(s)
		switch {
		case !ok || v.failed(ptr):
		case first == nil:
			first = s
		case !same(s, first):
			firstPtr, _ := field(first)
			v.probs.add(v.line(ptr, s.Line), "%s: conflicts with the %s block for the same url at line %d",
				key, key, v.line(firstPtr, first.Line))
		}
	}
}

// model is the block as package parse reads it; nil for no block.
func (sc *ScrapeConfig) model() *model.Scrape {
	if sc == nil {
		return nil
	}
	return &model.Scrape{
		Items: sc.Items, Title: sc.Title, Link: sc.Link, Date: sc.Date, DateAttr: sc.DateAttr,
		Summary: sc.Summary, Image: sc.Image, Skip: sc.Skip,
	}
}

// model is the block with MaxPerPoll defaulted; nil for no block.
func (cc *ContentConfig) model() *model.Content {
	if cc == nil {
		return nil
	}
	m := &model.Content{Fetch: cc.Fetch, Selector: cc.Selector, MaxPerPoll: cc.MaxPerPoll}
	if len(cc.Remove) > 0 {
		m.Remove = append([]string(nil), cc.Remove...)
	}
	if m.MaxPerPoll <= 0 {
		m.MaxPerPoll = model.DefaultMaxPerPoll
	}
	return m
}

// pickScrape and pickContent are the block of the first listing of the
// group that sets one (validation made the others agree).
func pickScrape(g *sourceGroup) *model.Scrape {
	for _, s := range g.listings {
		if s.Scrape != nil {
			return s.Scrape.model()
		}
	}
	return nil
}

func pickContent(g *sourceGroup) *model.Content {
	for _, s := range g.listings {
		if s.Content != nil {
			return s.Content.model()
		}
	}
	return nil
}
