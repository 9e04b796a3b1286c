package alert

import (
	"net/url"
	"strings"
)

// RedactURL keeps the scheme, host and path of a source URL and drops
// what may carry a secret: user and password, the query (API keys) and
// the fragment. A URL that does not parse is left out entirely.
func RedactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return ""
	}
	out := url.URL{Scheme: u.Scheme, Host: u.Host, Path: u.Path, RawPath: u.RawPath}
	return out.String()
}

// scrubURL replaces raw, and its password and query wherever they appear
// on their own, in text (an error message that quotes the URL) with the
// redacted URL or "redacted".
func scrubURL(text, raw string) string {
	if text == "" || raw == "" {
		return text
	}
	text = strings.ReplaceAll(text, raw, RedactURL(raw))
	u, err := url.Parse(raw)
	if err != nil {
		return text
	}
	if pw, ok := u.User.Password(); ok && pw != "" {
		text = strings.ReplaceAll(text, pw, "redacted")
	}
	if u.RawQuery != "" {
		text = strings.ReplaceAll(text, u.RawQuery, "redacted")
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
