package publish

import (
	"testing"

	"github.com/tributary-rss/tributary/aggregator/model"
)

func TestRedactURL(t *testing.T) {
	secret := newSecretParams([]string{"sid2", "x-amz-*"})
	tests := []struct {
		name, in, want string
	}{
		{"nothing to remove keeps the spelling", "https://example.com/feed?b=2&a=%7e", "https://example.com/feed?b=2&a=%7e"},
		{"no query", "https://example.com/feed", "https://example.com/feed"},
		{"@ in the path stays", "https://medium.com/@writer/feed", "https://medium.com/@writer/feed"},
		{"empty", "", ""},
		{"userinfo", "https://user:pass@example.com/feed", "https://example.com/feed"},
		{"user only", "https://ghp_TOKEN@example.com/feed", "https://example.com/feed"},
		{"api_key among others", "https://example.com/feed?api_key=SECRET&x=1", "https://example.com/feed?x=1"},
		{"both", "https://user:pass@example.com/feed?api_key=SECRET&x=1", "https://example.com/feed?x=1"},
		{"last parameter", "https://example.com/feed?x=1&token=SECRET", "https://example.com/feed?x=1"},
		{"only parameter", "https://example.com/feed?token=SECRET", "https://example.com/feed"},
		{"case-insensitive", "https://example.com/feed?API_KEY=S&Token=T&x=1", "https://example.com/feed?x=1"},
		{"percent-encoded key", "https://example.com/feed?api%5Fkey=SECRET&x=1", "https://example.com/feed?x=1"},
		{"key without value", "https://example.com/feed?key&x=1", "https://example.com/feed?x=1"},
		{"every default", "https://e.com/?key=1&api_key=1&apikey=1&api-key=1&token=1&access_token=1&auth=1&auth_token=1" +
			"&secret=1&client_secret=1&password=1&passwd=1&sig=1&signature=1&session=1&sid=1&keep=1", "https://e.com/?keep=1"},
		{"semicolon separator", "https://example.com/feed?x=1;key=SECRET;y=2", "https://example.com/feed?x=1;y=2"},
		{"separators kept as written", "https://example.com/feed?a=1;b=2&token=S&c=3", "https://example.com/feed?a=1;b=2&c=3"},
		{"similar names stay", "https://example.com/feed?keyword=go&monkey=1&tokens=2", "https://example.com/feed?keyword=go&monkey=1&tokens=2"},
		{"configured exact", "https://example.com/feed?SID2=S&x=1", "https://example.com/feed?x=1"},
		{"configured prefix", "https://s3.example.com/f.xml?X-Amz-Signature=S&X-Amz-Credential=C&v=1", "https://s3.example.com/f.xml?v=1"},
		{"query-like fragment", "https://example.com/feed#access_token=SECRET&state=1", "https://example.com/feed#state=1"},
		{"plain fragment", "https://example.com/page#top", "https://example.com/page#top"},
		{"unparseable is dropped", "https://user:pa ss@exa mple.com/%zz?token=S", ""},
		{"no scheme", "//user:pass@example.com/feed?key=S", "//example.com/feed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := redactURL(tt.in, secret); got != tt.want {
				t.Errorf("redactURL(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestPublicEntry(t *testing.T) {
	secret := newSecretParams(nil)
	const feed = "https://user:hunter22@feeds.example.com/rss?api_key=SECRET123&x=1"
	tests := []struct {
		name string
		in   model.Entry
		want model.Entry
	}{
		{
			name: "source fields lose credentials",
			in:   model.Entry{SourceURL: feed, SourceLink: "https://user:hunter22@feeds.example.com/?token=T0KEN"},
			want: model.Entry{SourceURL: "https://feeds.example.com/rss?x=1", SourceLink: "https://feeds.example.com/"},
		},
		{
			name: "a link resolved against the feed URL",
			in: model.Entry{SourceURL: feed, Title: "https://user:hunter22@feeds.example.com/rss?api_key=SECRET123&x=1#item",
				Link:    "https://user:hunter22@feeds.example.com/rss?api_key=SECRET123&x=1#item",
				Content: `<a href="https://user:hunter22@feeds.example.com/a.html">a</a> <a href="https://feeds.example.com/rss?api_key=SECRET123&amp;x=1#top">top</a>`,
				Image:   "https://user:hunter22@feeds.example.com/i.png"},
			want: model.Entry{SourceURL: "https://feeds.example.com/rss?x=1",
				Title:   "https://feeds.example.com/rss?api_key=redacted&x=1#item",
				Link:    "https://feeds.example.com/rss?api_key=redacted&x=1#item",
				Content: `<a href="https://feeds.example.com/a.html">a</a> <a href="https://feeds.example.com/rss?api_key=redacted&amp;x=1#top">top</a>`,
				Image:   "https://feeds.example.com/i.png"},
		},
		{
			name: "the source's own signed links stay",
			in: model.Entry{SourceURL: feed, Title: "t", Link: "https://cdn.example.net/a?sig=abcdef&token=xyz12",
				Image: "https://cdn.example.net/i.png?signature=0123abcd", Content: `user@example.com wrote key=SECRET1234`},
			want: model.Entry{SourceURL: "https://feeds.example.com/rss?x=1", Title: "t", Link: "https://cdn.example.net/a?sig=abcdef&token=xyz12",
				Image: "https://cdn.example.net/i.png?signature=0123abcd", Content: `user@example.com wrote key=SECRET1234`},
		},
		{
			name: "no credentials: nothing changes",
			in:   model.Entry{SourceURL: "https://example.com/feed", Link: "https://example.com/a?id=1", Content: "<p>hi</p>"},
			want: model.Entry{SourceURL: "https://example.com/feed", Link: "https://example.com/a?id=1", Content: "<p>hi</p>"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := publicEntry(tt.in, secret)
			if got.SourceURL != tt.want.SourceURL || got.SourceLink != tt.want.SourceLink || got.Title != tt.want.Title ||
				got.Link != tt.want.Link || got.Image != tt.want.Image || got.Content != tt.want.Content {
				t.Errorf("publicEntry =\n%+v\nwant\n%+v", got, tt.want)
			}
		})
	}
}
