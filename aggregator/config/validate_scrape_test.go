package config

import (
	"testing"

	"github.com/tributary-rss/tributary/aggregator/model"
)

// listPage is a source listing of a list page; extra keys follow at
// 8-space indentation.
const listPage = "sections:\n  - id: news\n    sources:\n      - url: https://www.example.edu.cn/xwzx/xxyw.htm\n"

func TestParse_ScrapeInvalid(t *testing.T) {
	tests := []struct {
		name string
		yaml string
		want []string
	}{
		{"bad date without items", listPage + "        scrape:\n          date: \"span[\"\n", []string{`6: scrape.date: expected identifier, found EOF instead`}},
		{"bad items", listPage + "        scrape:\n          items: \"ul >> li\"\n", []string{`6: scrape.items: expected identifier, found > instead`}},
		{"bad title", listPage + "        scrape:\n          items: li\n          title: \"a[\"\n", []string{`7: scrape.title: expected identifier, found EOF instead`}},
		{"bad skip", listPage + "        scrape:\n          items: li\n          skip: \".\"\n", []string{`7: scrape.skip: expected identifier, found EOF instead`}},
		{"bad date_attr", listPage + "        scrape:\n          items: li\n          date_attr: \"data time\"\n", []string{`7: scrape.date_attr: "data time" is not an attribute name`}},
		{"unknown key", listPage + "        scrape:\n          items: li\n          itmes: li\n", []string{`7: unknown key "itmes" in scrape; allowed keys: items, title, link, date, date_attr, summary, image, skip`}},
		{"scrape not a mapping", listPage + "        scrape: li\n", []string{`5: scrape: expected a mapping, got "li"`}},
		{"bad content selector", listPage + "        content:\n          fetch: true\n          selector: \"div..article\"\n", []string{`7: content.selector: expected identifier, found . instead`}},
		{"bad remove", listPage + "        content:\n          remove: [\".share\", \"#\"]\n", []string{`6: content.remove[1]: expected name, found EOF instead`}},
		{"zero max_per_poll", listPage + "        content:\n          max_per_poll: 0\n", []string{"6: content.max_per_poll: must be at least 1, got 0"}},
		{"conflicting scrape", listPage + "        scrape:\n          items: li\n  - id: notices\n    sources:\n      - url: https://www.example.edu.cn/xwzx/xxyw.htm\n        scrape:\n          items: tr\n",
			[]string{"11: scrape: conflicts with the scrape block for the same url at line 6"}},
		{"conflicting content", listPage + "        content:\n          fetch: true\n  - id: notices\n    sources:\n      - url: https://www.example.edu.cn/xwzx/xxyw.htm\n        content:\n          fetch: true\n          max_per_poll: 5\n",
			[]string{"11: content: conflicts with the content block for the same url at line 6"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Parse("t.yaml", []byte(tt.yaml), nil)
			assertProblems(t, c, err, "t.yaml", tt.want)
		})
	}
}

func TestParse_Scrape(t *testing.T) {
	yaml := listPage + `        title: 示例学院
        scrape:
          items: "ul.news-list > li"
          title: "a"
          date: "span.date"
          summary: "p.intro"
          image: "img"
          skip: ".top"
        content:
          fetch: true
          selector: "div.article"
          remove: ["div.share", ".print"]
  - id: notices
    sources:
      - url: https://www.example.edu.cn/xwzx/xxyw.htm
      - url: https://www.example.edu.cn/tzgg.htm
        scrape:
          items: "table.list tr"
          date_attr: data-date
        content:
          fetch: true
          max_per_poll: 5
  - id: feeds
    sources:
      - url: https://example.com/rss.xml
        scrape: null
  - id: partial
    sources:
      - url: https://www.example.edu.cn/xyxw.htm
        scrape:
          date: "span.time"
      - url: https://www.example.edu.cn/gzdt.htm
        scrape: {}
`
	c, err := Parse("t.yaml", []byte(yaml), nil)
	if err != nil {
		t.Fatal(err)
	}
	srcs := c.Sources()
	if len(srcs) != 5 {
		t.Fatalf("got %d sources, want 5", len(srcs))
	}
	tests := []struct {
		name        string
		got         model.Source
		wantScrape  *model.Scrape
		wantContent *model.Content
	}{
		{"list page in two sections", srcs[0],
			&model.Scrape{Items: "ul.news-list > li", Title: "a", Date: "span.date", Summary: "p.intro", Image: "img", Skip: ".top"},
			&model.Content{Fetch: true, Selector: "div.article", Remove: []string{"div.share", ".print"}, MaxPerPoll: model.DefaultMaxPerPoll}},
		{"table list", srcs[1],
			&model.Scrape{Items: "table.list tr", DateAttr: "data-date"},
			&model.Content{Fetch: true, MaxPerPoll: 5}},
		{"feed", srcs[2], nil, nil},
		// Blocks without items: polls detect the list, keeping the keys.
		{"partial block", srcs[3], &model.Scrape{Date: "span.time"}, nil},
		{"empty block", srcs[4], &model.Scrape{}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !tt.got.Scrape.Equal(tt.wantScrape) {
				t.Errorf("Scrape = %+v, want %+v", tt.got.Scrape, tt.wantScrape)
			}
			if !tt.got.Content.Equal(tt.wantContent) {
				t.Errorf("Content = %+v, want %+v", tt.got.Content, tt.wantContent)
			}
		})
	}
}

func TestScrapeEqual(t *testing.T) {
	a := &model.Scrape{Items: "li"}
	tests := []struct {
		name string
		x, y *model.Scrape
		want bool
	}{
		{"both nil", nil, nil, true},
		{"nil and set", nil, a, false},
		{"same rules", a, &model.Scrape{Items: "li"}, true},
		{"different rules", a, &model.Scrape{Items: "li", Skip: ".top"}, false},
	}
	for _, tt := range tests {
		if got := tt.x.Equal(tt.y); got != tt.want {
			t.Errorf("%s: Equal = %v, want %v", tt.name, got, tt.want)
		}
	}
	c := &model.Content{Fetch: true, Remove: []string{".a"}}
	if !c.Equal(&model.Content{Fetch: true, Remove: []string{".a"}}) || c.Equal(&model.Content{Fetch: true}) || c.Equal(nil) {
		t.Error("Content.Equal compares Remove wrongly")
	}
}
