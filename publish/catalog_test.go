package publish

import (
	"strings"
	"testing"

	"github.com/tributary-rss/tributary/aggregator/model"
)

// TestServer_SetSections: a reload swaps the served sections. A changed
// section is rendered again, an unchanged one stays cached, a removed one
// answers 404 and a new one is served; the index and the section list
// follow.
func TestServer_SetSections(t *testing.T) {
	fx := loadFixture(t)
	retitled := fx.Section
	retitled.Title = "Retitled"
	sports := model.Section{ID: "sports", Title: "体育", MaxItems: 10}
	tests := []struct {
		name     string
		sections []model.Section
		// renders is SectionEntries calls after one more GET of news.rss
		// (1: still cached, 2: rendered again, 1 and a 404: removed).
		renders  int
		newsCode int
		// inIndex and notInIndex are checked on / and /api/v1/sections.
		inIndex, notInIndex []string
	}{
		{name: "unchanged", sections: []model.Section{fx.Section}, renders: 1, newsCode: 200,
			inIndex: []string{fx.Section.Title}},
		{name: "section changed", sections: []model.Section{retitled}, renders: 2, newsCode: 200,
			inIndex: []string{"Retitled"}, notInIndex: []string{fx.Section.Title}},
		{name: "section added", sections: []model.Section{fx.Section, sports}, renders: 1, newsCode: 200,
			inIndex: []string{fx.Section.Title, "体育"}},
		{name: "section removed", sections: []model.Section{sports}, renders: 1, newsCode: 404,
			inIndex: []string{"体育"}, notInIndex: []string{fx.Section.Title}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newFakeReader(fx)
			s, ts := newTestServer(t, r, fx)
			if resp, _ := get(t, ts, "/sections/news.rss"); resp.StatusCode != 200 {
				t.Fatalf("before: news.rss %d", resp.StatusCode)
			}
			if err := s.SetSections(tt.sections, nil); err != nil {
				t.Fatal(err)
			}
			resp, body := get(t, ts, "/sections/news.rss")
			if resp.StatusCode != tt.newsCode {
				t.Errorf("news.rss: %d, want %d", resp.StatusCode, tt.newsCode)
			}
			if got := r.entriesCalls.Load(); got != int64(tt.renders) {
				t.Errorf("SectionEntries called %d times, want %d", got, tt.renders)
			}
			if tt.renders == 2 && !strings.Contains(string(body), "Retitled") {
				t.Errorf("news.rss not rendered with the new title:\n%.300s", body)
			}
			for _, sec := range tt.sections {
				if resp, _ := get(t, ts, "/sections/"+sec.ID+".atom"); resp.StatusCode != 200 {
					t.Errorf("%s.atom: %d, want 200", sec.ID, resp.StatusCode)
				}
			}
			for _, path := range []string{"/", "/api/v1/sections", "/opml"} {
				_, page := get(t, ts, path)
				for _, want := range tt.inIndex {
					if !strings.Contains(string(page), want) {
						t.Errorf("%s lacks %q", path, want)
					}
				}
				for _, gone := range tt.notInIndex {
					if strings.Contains(string(page), gone) {
						t.Errorf("%s still shows %q", path, gone)
					}
				}
			}
		})
	}
}
