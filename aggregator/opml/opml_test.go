package opml

import (
	"strings"
	"testing"
)

func TestFolderSlug(t *testing.T) {
	tests := []struct{ in, want string }{
		{"News", "news"},
		{"Tech & Science", "tech-science"},
		{"  Café Culture!  ", "cafe-culture"},
		{"Ürün 2026", "urun-2026"},
		{"新闻", hashSlug("新闻")},
		{"院校 News", hashSlug("院校 News")},
		{"---", hashSlug("---")},
		{strings.Repeat("a", 70), strings.Repeat("a", 64)},
	}
	for _, tt := range tests {
		if got := FolderSlug(tt.in); got != tt.want {
			t.Errorf("FolderSlug(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if a, b := FolderSlug("新闻"), FolderSlug("通知"); a == b || len(a) != len("s-")+6 || !strings.HasPrefix(a, "s-") {
		t.Errorf("hash slugs %q and %q", a, b)
	}
}

func TestFeedURL(t *testing.T) {
	tests := []struct {
		in, want, err string
		converted     bool
	}{
		{"https://a.example/rss", "https://a.example/rss", "", false},
		{"feed://a.example/rss", "http://a.example/rss", "", true},
		{"FEED://a.example/rss", "http://a.example/rss", "", true},
		{"feed:https://a.example/rss", "https://a.example/rss", "", true},
		{"feed:http://a.example/rss", "http://a.example/rss", "", true},
		{"ftp://a.example/rss", "", "not an http or https URL", false},
		{"feed:ftp://a.example/rss", "", "not an http or https URL", false},
		{"/relative/rss", "", "not an http or https URL", false},
		{"http://", "", "no host", false},
		{"http://a b.example/%zz", "", "not a URL", false},
	}
	for _, tt := range tests {
		got, conv, err := feedURL(tt.in)
		if got != tt.want || conv != tt.converted || (err == nil) != (tt.err == "") || err != nil && err.Error() != tt.err {
			t.Errorf("feedURL(%q) = %q, %v, %v; want %q, %v, %q", tt.in, got, conv, err, tt.want, tt.converted, tt.err)
		}
	}
}

func TestPlan_Summary(t *testing.T) {
	p := &Plan{Sections: []*Section{
		{ID: "local-news", Title: "Local News", New: true, Feeds: []Feed{{}, {}}},
		{ID: "news", Feeds: []Feed{{}}, Listed: 3},
	}}
	want := "t.yaml: created section local-news (Local News) with 2 sources\n" +
		"t.yaml: added 1 sources to section news (3 already listed)\n"
	if got := p.Summary("t.yaml"); got != want {
		t.Errorf("Summary:\n%s\nwant:\n%s", got, want)
	}
	if got := (&Plan{}).Summary("t.yaml"); got != "t.yaml: nothing to add\n" {
		t.Errorf("empty plan: %q", got)
	}
}
