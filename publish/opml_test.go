package publish

import (
	"encoding/xml"
	"testing"

	"github.com/tributary-rss/tributary/aggregator/model"
)

func TestServer_OPML(t *testing.T) {
	fx := loadFixture(t)
	other := model.Section{ID: "talks", Title: "讲座"}
	s := NewServer(newFakeReader(fx), Options{
		BaseURL:  testBaseURL,
		Sections: []model.Section{fx.Section, other},
		Sources: []model.Source{
			{ID: "a", URL: "https://example.edu.cn/rss.xml", Title: "示例学院", SectionIDs: []string{"news"}},
			{ID: "b", URL: "https://phys.example.edu.cn/feed.atom", SectionIDs: []string{"news", "talks"}},
		},
	})
	ts := newHTTPTest(t, s)
	tests := []struct {
		path     string
		sections []string
		sources  [][]string
	}{
		{"/opml", []string{"资讯", "讲座"}, [][]string{
			{"https://example.edu.cn/rss.xml", "https://phys.example.edu.cn/feed.atom"},
			{"https://phys.example.edu.cn/feed.atom"}}},
		{"/sections/talks.opml", []string{"讲座"}, [][]string{{"https://phys.example.edu.cn/feed.atom"}}},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			resp, body := get(t, ts, tt.path)
			if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/x-opml; charset=utf-8" {
				t.Fatalf("status %d, type %q", resp.StatusCode, resp.Header.Get("Content-Type"))
			}
			var doc opmlDoc
			if err := xml.Unmarshal(body, &doc); err != nil {
				t.Fatalf("%v\n%s", err, body)
			}
			if doc.Version != "2.0" || len(doc.Body) != len(tt.sections) {
				t.Fatalf("version %q, %d outlines:\n%s", doc.Version, len(doc.Body), body)
			}
			for i, sec := range doc.Body {
				if sec.Text != tt.sections[i] || len(sec.Children) != len(tt.sources[i]) {
					t.Fatalf("outline %d: %+v", i, sec)
				}
				for j, src := range sec.Children {
					if src.Type != "rss" || src.XMLURL != tt.sources[i][j] || src.Text == "" {
						t.Errorf("source outline %+v, want xmlUrl %s", src, tt.sources[i][j])
					}
				}
			}
		})
	}
	if resp, _ := get(t, ts, "/sections/sports.opml"); resp.StatusCode != 404 {
		t.Errorf("unknown section: %d", resp.StatusCode)
	}
}
