package report

import (
	"testing"

	"github.com/tributary-rss/tributary/aggregator/config"
	"github.com/tributary-rss/tributary/aggregator/model"
)

// TestScrapeBlock_pastes: the block discover prints, pasted under a
// source of the example config's layout, is that source's scrape: block.
func TestScrapeBlock_pastes(t *testing.T) {
	for _, sc := range []model.Scrape{
		{Items: "div.news-list li", Link: "div.txt a", Date: "div.date"},
		{Items: `ul#list > li:not(.top)`, Title: `a[title="标题"]`, DateAttr: "data-time", Skip: `li:contains("置顶")`},
	} {
		yaml := "sections:\n  - id: news\n    sources:\n      - url: https://www.example.edu.cn/tzgg.htm\n" + scrapeBlock(sc, scrapeIndent)
		cfg, err := config.Parse("t.yaml", []byte(yaml), nil)
		if err != nil {
			t.Fatalf("%s: %v", yaml, err)
		}
		if got := cfg.Sources()[0].Scrape; !got.Equal(&sc) {
			t.Errorf("pasted %+v, read back %+v", sc, got)
		}
	}
}
