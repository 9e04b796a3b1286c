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
		{"configured exact", "https://example.com/feed?SID2=S&x=1", "https://example.com/feed?x=1"},
		{"configured prefix", "https://s3.example.com/f.xml?X-Amz-Signature=S&X-Amz-Credential=C&v=1", "https://s3.example.com/f.xml?v=1"},
		{"query-like fragment", "https://example.com/feed#access_token=SECRET&state=1", "https://example.com/feed#state=1"},
		{"plain fragment", "https://example.com/page#top", "https://example.com/page#top"},
		{"unparseable is dropped", "https://user:pa ss@exa mple.com/%zz?token=S", ""},
		{"no scheme", "//user:pass@example.com/feed?key=S", "//example.com/feed"},
		// Secrets by another name: any name that contains a credential
		// word once decoded, lower-cased and stripped of separators.
		{"app_secret", "https://e.com/f?app_secret=S&x=1", "https://e.com/f?x=1"},
		{"appsecret", "https://e.com/f?appsecret=S&x=1", "https://e.com/f?x=1"},
		{"private_token", "https://e.com/f?private_token=S&x=1", "https://e.com/f?x=1"},
		{"X-Amz-Signature", "https://e.com/f?X-Amz-Signature=S&x=1", "https://e.com/f?x=1"},
		{"x-amz- without a credential word", "https://e.com/f?X-Amz-Date=D&X-Amz-Expires=60&x=1", "https://e.com/f?x=1"},
		{"access_key", "https://e.com/f?access_key=S&x=1", "https://e.com/f?x=1"},
		{"pwd", "https://e.com/f?pwd=S&x=1", "https://e.com/f?x=1"},
		{"appkey", "https://e.com/f?appkey=S&x=1", "https://e.com/f?x=1"},
		{"ticket", "https://e.com/f?ticket=S&x=1", "https://e.com/f?x=1"},
		{"token[]", "https://e.com/f?token[]=S&x=1", "https://e.com/f?x=1"},
		{"token%5B%5D", "https://e.com/f?token%5B%5D=S&x=1", "https://e.com/f?x=1"},
		{"double-encoded", "https://e.com/f?%2574oken=S&x=1", "https://e.com/f?x=1"},
		{"triple-encoded", "https://e.com/f?%25252574oken=S&x=1", "https://e.com/f?x=1"},
		{"mixed case", "https://e.com/f?PrIvAtE_ToKeN=S&AppKey=S&x=1", "https://e.com/f?x=1"},
		{"separators", "https://e.com/f?api.key=S&api%20key=S&api+key=S&client-Secret=S&x=1", "https://e.com/f?x=1"},
		{"credential words", "https://e.com/f?oauth_verifier=S&jsessionid=S&passphrase=S&credentials=S&x=1", "https://e.com/f?x=1"},
		{"a credential word inside a name", "https://e.com/f?keyword=go&monkey=1&tokens=2&q=1", "https://e.com/f?q=1"},
		{"an encoded separator in a name", "https://e.com/f?x%26token=S&y=1", "https://e.com/f?y=1"},
		{"a secret parameter inside a value", "https://e.com/f?next=%2Fcb%3Ftoken%3DS&y=1", "https://e.com/f?y=1"},
		{"ordinary names stay", "https://e.com/f?id=1&page=2&lang=zh&format=rss&category=news", "https://e.com/f?id=1&page=2&lang=zh&format=rss&category=news"},
		{"path parameter", "https://e.com/feed;jsessionid=S;v=1/rss?x=1", "https://e.com/feed;v=1/rss?x=1"},
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
			name: "secrets by another name, carried into links",
			in: model.Entry{SourceURL: "https://feeds.example.com/app;jsessionid=SESS1234/rss?private_token=PT5678&%2574oken=DBL9876&x=1",
				Title: "t", Link: "https://feeds.example.com/app;jsessionid=SESS1234/a.html?private_token=PT5678",
				Content: `<a href="https://feeds.example.com/rss?x=1&amp;%2574oken=DBL9876">feed</a>`},
			want: model.Entry{SourceURL: "https://feeds.example.com/app/rss?x=1",
				Title: "t", Link: "https://feeds.example.com/app;jsessionid=redacted/a.html?private_token=redacted",
				Content: `<a href="https://feeds.example.com/rss?x=1&amp;%2574oken=redacted">feed</a>`},
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
