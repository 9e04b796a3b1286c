package urlsecret

import "testing"

func TestCredentials_Scrub(t *testing.T) {
	const feed = "https://user:hunter22@feeds.example.com/app;jsessionid=SESS1234/rss?api_key=SECRET123&x=1&private_token=PT5678&k=ab"
	c := NewParams(nil).CredentialsOf(feed)
	tests := []struct{ name, in, want string }{
		{"userinfo after //", `<a href="https://user:hunter22@feeds.example.com/a">`, `<a href="https://feeds.example.com/a">`},
		{"userinfo elsewhere stays", "user:hunter22@ is not a URL", "user:hunter22@ is not a URL"},
		{"query values", "https://feeds.example.com/rss?x=1&private_token=PT5678&api_key=SECRET123#top",
			"https://feeds.example.com/rss?x=1&private_token=redacted&api_key=redacted#top"},
		{"path parameter carried into a relative link", "https://feeds.example.com/app;jsessionid=SESS1234/a.html",
			"https://feeds.example.com/app;jsessionid=redacted/a.html"},
		{"quoted in an error", `Get "https://cdn.example.com/rss?api_key=SECRET123": EOF`, `Get "https://cdn.example.com/rss?api_key=redacted": EOF`},
		{"quoted in our own error", "fetch https://feeds.example.com/rss?api_key=SECRET123: timeout (after https://x.example/?private_token=PT5678)",
			"fetch https://feeds.example.com/rss?api_key=redacted: timeout (after https://x.example/?private_token=redacted)"},
		{"only a parameter's whole value", "key=SECRET1234 and =SECRET123x", "key=SECRET1234 and =SECRET123x"},
		{"a short value is left alone", "k=ab", "k=ab"},
		{"nothing to scrub", "<p>hi</p>", "<p>hi</p>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := c.Scrub(tt.in); got != tt.want {
				t.Errorf("Scrub(%q) =\n%q, want\n%q", tt.in, got, tt.want)
			}
		})
	}
	if c.Empty() || !NewParams(nil).CredentialsOf("https://e.com/f?x=1").Empty() || !NewParams(nil).CredentialsOf("%zz").Empty() {
		t.Error("Empty: wrong for a URL with credentials, one without, or one that does not parse")
	}
}
