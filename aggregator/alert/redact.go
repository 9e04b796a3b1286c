package alert

import (
	"net/url"
	"strings"

	"github.com/tributary-rss/tributary/aggregator/urlsecret"
)

// RedactURL keeps the scheme, host and path of a source URL and drops
// what may carry a secret: user and password, the query (API keys), the
// fragment, and the path parameters urlsecret calls secret
// (";jsessionid=…"). It is stricter than the public outputs, which keep
// the query's other parameters: a chat message needs no more to name the
// source. A URL that does not parse is left out entirely.
func RedactURL(raw string) string {
	u, err := url.Parse(urlsecret.Redact(raw, urlsecret.Params{}))
	if err != nil || u.Host == "" {
		return ""
	}
	out := url.URL{Scheme: u.Scheme, Host: u.Host, Path: u.Path, RawPath: u.RawPath}
	return out.String()
}

// scrubURL takes the credentials of raw out of text (an error message
// that quotes the URL): raw itself becomes the redacted URL, its query
// and password become "redacted", and so do its secret parameter values
// and userinfo where the text quotes them in another arrangement (a
// redirect's URL that reorders the query, "ghp_…@host"). The rule for
// which parameters are secret is the public outputs' (urlsecret).
func scrubURL(text, raw string) string {
	if text == "" || raw == "" {
		return text
	}
	text = strings.ReplaceAll(text, raw, RedactURL(raw))
	u, err := url.Parse(raw)
	if err != nil {
		return text
	}
	if u.RawQuery != "" {
		text = strings.ReplaceAll(text, u.RawQuery, "redacted")
	}
	text = urlsecret.Params{}.CredentialsOf(raw).Scrub(text)
	if pw, ok := u.User.Password(); ok && pw != "" {
		text = strings.ReplaceAll(text, pw, "redacted")
	}
	return text
}

// WebhookLabel names the webhook in logs and errors by its scheme and
// host only: chat webhooks carry their token in the path (Feishu, Slack)
// or the query (DingTalk, WeCom), and whoever reads the log must not be
// able to post alerts. A URL that does not parse is left out entirely.
func WebhookLabel(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return ""
	}
	return (&url.URL{Scheme: u.Scheme, Host: u.Host}).String()
}
