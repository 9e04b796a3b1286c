package publish

import (
	"context"
	"encoding/xml"
	"errors"
	"reflect"
	"sync/atomic"
	"testing"
	"time"

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

// TestServer_OPMLFeedTitles: a source the config gives no title is listed
// under the feed's own title, with the site it links to, once the store
// knows them; a hostile or secret-bearing site link is not published, and
// a store that fails costs the titles, not the document.
func TestServer_OPMLFeedTitles(t *testing.T) {
	fx := loadFixture(t)
	sources := []model.Source{
		{ID: "a", URL: "https://example.edu.cn/rss.xml", Title: "示例学院", SectionIDs: []string{"news"}},
		{ID: "b", URL: "https://phys.example.edu.cn/feed.atom", SectionIDs: []string{"news"}},
		{ID: "c", URL: "https://chem.example.edu.cn/feed", SectionIDs: []string{"news"}},
		{ID: "d", URL: "https://bio.example.edu.cn/feed", SectionIDs: []string{"news"}},
	}
	var fail atomic.Bool
	status := statusFunc(func(context.Context, []model.Source) ([]model.SourceStatus, error) {
		if fail.Load() {
			return nil, errors.New("redis: connection refused")
		}
		return []model.SourceStatus{
			{ID: "a", Title: "示例学院", SiteLink: "https://example.edu.cn/"},
			{ID: "b", Title: "物理学院", SiteLink: "https://phys.example.edu.cn/news?token=s3cret"},
			{ID: "c", Title: "化学学院", SiteLink: "javascript:alert(1)"},
			{ID: "d"},
		}, nil
	})
	var now atomic.Pointer[time.Time]
	start := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
	now.Store(&start)
	s := NewServer(newFakeReader(fx), Options{BaseURL: testBaseURL, Sections: []model.Section{fx.Section}, Sources: sources,
		Status: status, Now: func() time.Time { return *now.Load() }})
	ts := newHTTPTest(t, s)
	read := func() []opmlEntry {
		t.Helper()
		_, body := get(t, ts, "/opml")
		var doc opmlDoc
		if err := xml.Unmarshal(body, &doc); err != nil || len(doc.Body) != 1 {
			t.Fatalf("%v\n%s", err, body)
		}
		return doc.Body[0].Children
	}
	want := []opmlEntry{
		{Text: "示例学院", Title: "示例学院", Type: "rss", XMLURL: sources[0].URL, HTMLURL: "https://example.edu.cn/"},
		{Text: "物理学院", Title: "物理学院", Type: "rss", XMLURL: sources[1].URL, HTMLURL: "https://phys.example.edu.cn/news"},
		{Text: "化学学院", Title: "化学学院", Type: "rss", XMLURL: sources[2].URL},
		{Text: sources[3].URL, Title: sources[3].URL, Type: "rss", XMLURL: sources[3].URL},
	}
	if got := read(); !reflect.DeepEqual(got, want) {
		t.Errorf("outlines\n got %+v\nwant %+v", got, want)
	}
	// Within opmlRefresh the built document is reused; after it, a store
	// that fails serves the config's titles.
	fail.Store(true)
	if got := read(); !reflect.DeepEqual(got, want) {
		t.Errorf("within the refresh interval: %+v", got)
	}
	later := start.Add(opmlRefresh)
	now.Store(&later)
	got := read()
	if got[1].Title != sources[1].URL || got[1].HTMLURL != "" {
		t.Errorf("store down: %+v, want the config's title (the URL)", got[1])
	}
}
