package normalize

import (
	"strings"
	"testing"
)

// A feed fetched with credentials in its URL (user:password@, an API key
// in the query) and no site link of its own resolves its relative links
// against the fetch URL: none of those credentials may end up in what is
// stored and republished.
func TestNormalizer_EntriesNoCredentialsFromFetchURL(t *testing.T) {
	const fetchURL = "https://reader:hunter2@members.example.org/feed.rss?api_key=SECRET123&lang=zh"
	src := testSource(t, fetchURL, "Asia/Shanghai")
	entries := New(Options{}).Entries(loadFeed(t, "credentials.rss"), src, fetchURL, fetchTime)
	if len(entries) != 2 {
		t.Fatalf("%d entries, want 2", len(entries))
	}
	want := map[string]string{
		"A fragment link": "https://members.example.org/feed.rss#top",
		"A relative link": "https://members.example.org/news/1.html",
	}
	for _, e := range entries {
		if e.Link != want[e.Title] {
			t.Errorf("%s: link %q, want %q", e.Title, e.Link, want[e.Title])
		}
		for field, v := range map[string]string{"link": e.Link, "content": e.Content, "summary": e.Summary, "image": e.Image, "source link": e.SourceLink} {
			if strings.Contains(v, "hunter2") || strings.Contains(v, "SECRET123") || strings.Contains(v, "reader@") {
				t.Errorf("%s: %s carries a credential of the fetch URL: %q", e.Title, field, v)
			}
		}
	}
}
