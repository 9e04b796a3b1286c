package main

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/tributary-rss/tributary/aggregator/model"
)

// Credentials in a source URL, and a feed whose links carry them along:
// relative links resolved against the feed URL keep its user:password@,
// and a fragment-only link keeps its query as well.
const (
	secretPassword = "pa55w0rd-XYZ"
	secretKey      = "SECRET-KEY-42"
	secretCustom   = "CUSTOM-SECRET-7"
)

// secretsByOtherNames are query parameters named in none of the exact
// names the redaction once listed, each with a value that must not be
// published: the credential is in the name's words, not its spelling.
var secretsByOtherNames = []struct{ param, value string }{
	{"app_secret", "OTHER-APP-SECRET-1"},
	{"appsecret", "OTHER-APPSECRET-2"},
	{"private_token", "OTHER-PRIVATE-TOKEN-3"},
	{"X-Amz-Signature", "OTHER-AMZ-SIGNATURE-4"},
	{"access_key", "OTHER-ACCESS-KEY-5"},
	{"pwd", "OTHER-PWD-6"},
	{"appkey", "OTHER-APPKEY-7"},
	{"ticket", "OTHER-TICKET-8"},
	{"token[]", "OTHER-TOKEN-ARRAY-9"},
	{"%2574oken", "OTHER-DOUBLE-ENCODED-10"},
	{"X-Amz-Credential", "OTHER-AMZ-CREDENTIAL-11"},
}

const secretFeed = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel>
<title>Private feed</title>
<link>/</link>
<description>needs a key</description>
<item><title>Relative link</title><link>articles/1.html</link><guid>one</guid>
<description><![CDATA[<p>See <a href="more.html">more</a> and <img src="/img/a.png"></p>]]></description>
<pubDate>Mon, 01 Dec 2025 08:00:00 +0000</pubDate></item>
<item><title></title><link>#second</link><guid>two</guid>
<description><![CDATA[<p><a href="#top">top</a></p>]]></description>
<pubDate>Mon, 01 Dec 2025 07:00:00 +0000</pubDate></item>
</channel></rss>
`

// TestDaemon_noSecretsInPublicOutputs configures a source URL with a user
// name and password, a built-in secret parameter and a configured one,
// and reads every public URL: none may show the password or a key, while
// the operator's /api/v1/sources (with the token) and the OPML export
// still show the URL whole.
func TestDaemon_noSecretsInPublicOutputs(t *testing.T) {
	feed := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		user, pass, _ := r.BasicAuth()
		q := r.URL.Query()
		if user != "reader" || pass != secretPassword || q.Get("api_key") != secretKey || q.Get("my_tok") != secretCustom {
			http.Error(w, "who are you", http.StatusUnauthorized)
			return
		}
		for _, s := range secretsByOtherNames { // fetched as configured
			if !strings.Contains(r.URL.RawQuery, s.param+"="+s.value) {
				http.Error(w, "missing "+s.param, http.StatusUnauthorized)
				return
			}
		}
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Write([]byte(secretFeed))
	}))
	defer feed.Close()
	u, _ := url.Parse(feed.URL)
	feedURL := "http://reader:" + secretPassword + "@" + u.Host + "/feeds/main.xml?api_key=" + secretKey + "&x=1&my_tok=" + secretCustom
	secrets := []string{secretPassword, secretKey, secretCustom}
	for _, s := range secretsByOtherNames {
		feedURL += "&" + s.param + "=" + s.value
		secrets = append(secrets, s.value)
	}
	cfg := writeConfig(t, t.TempDir(), "", "@every 1h", feedURL)
	cfg = appendConfig(t, cfg.Path, "admin:\n  token: "+adminToken+"\nhttp:\n  secret_params: [my_tok]\n")

	d := startDaemon(t, cfg)
	if res := d.waitPolls(t, 1)[0]; res.Err != nil || res.New != 2 {
		t.Fatalf("poll: %d new, err %v; want the two items stored", res.New, res.Err)
	}
	sourceID := model.SourceID(feedURL)
	public := []string{
		"/", "/sections/news", "/sections/news.rss", "/sections/news.atom", "/sections/news.json",
		"/sections/news.opml", "/opml", "/embed/news.html?summary=200", "/embed/news.js",
		"/api/v1/sections", "/api/v1/sections/news/entries", "/api/v1/sections/news/entries?source=" + sourceID,
		"/sections/news.rss?source=" + sourceID, "/sections/news.json?limit=1",
		"/healthz", "/readyz", "/metrics", "/static/style.css", "/static/embed.css",
		"/status", "/api/v1/sources", "/api/v1/admin/sources", // refused without the token
	}
	for _, path := range public {
		resp, body := d.get(t, path, nil)
		for _, secret := range secrets {
			if strings.Contains(string(body), secret) {
				t.Errorf("GET %s (%d) shows %q:\n%s", path, resp.StatusCode, secret, truncate(string(body), 2000))
			}
		}
	}
	// The outputs still name the source, without its credentials.
	redacted := "http://" + u.Host + "/feeds/main.xml?x=1"
	for _, path := range []string{"/opml", "/sections/news.opml", "/sections/news.rss", "/sections/news.atom", "/sections/news.json", "/api/v1/sections/news/entries"} {
		if _, body := d.get(t, path, nil); !strings.Contains(string(body), redacted) {
			t.Errorf("GET %s lacks the redacted source URL %s:\n%s", path, redacted, truncate(string(body), 2000))
		}
	}
	auth := map[string]string{"Authorization": "Bearer " + adminToken}
	for _, path := range []string{"/api/v1/sources", "/status"} {
		resp, body := d.get(t, path, auth)
		if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), secretKey) || !strings.Contains(string(body), secretPassword) ||
			!strings.Contains(string(body), secretsByOtherNames[0].value) {
			t.Errorf("operator GET %s = %d, want 200 with the whole URL:\n%s", path, resp.StatusCode, truncate(string(body), 2000))
		}
	}
	code, stdout, stderr := runCLI(t, "opml", "export", "--config", cfg.Path)
	if code != exitOK || !strings.Contains(stdout, secretKey) || !strings.Contains(stdout, secretPassword) {
		t.Errorf("opml export = %d, want the whole URL (the operator's own copy):\n%s%s", code, stdout, stderr)
	}
}
