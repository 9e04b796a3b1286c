package urlsecret

import (
	"net/url"
	"strings"
)

// Credentials are the secrets of one URL as written in it, to find them
// where they were copied: a relative link resolved against a feed URL
// keeps its user:password@ and path parameters, a fragment-only one
// ("#top") keeps its query too, and an error message quotes the URL it
// was fetching, perhaps after a redirect that reordered its query.
type Credentials struct {
	userinfo string   // "user:password@" as net/url writes it; empty if none
	values   []string // values of the secret parameters, as written
}

// MinSecretValue is the shortest parameter value Scrub replaces: a
// shorter one would match too much that is not it.
const MinSecretValue = 4

// CredentialsOf returns the credentials of raw: its userinfo, and the
// values of the parameters p names secret in its query and among its
// path segments' parameters. A URL that does not parse has none that can
// be told.
func (p Params) CredentialsOf(raw string) Credentials {
	var c Credentials
	u, err := url.Parse(raw)
	if err != nil {
		return c
	}
	if u.User != nil {
		c.userinfo = u.User.String() + "@"
	}
	params := u.RawQuery
	for _, seg := range strings.Split(u.EscapedPath(), "/") {
		if _, segParams, ok := strings.Cut(seg, ";"); ok {
			params += "&" + segParams
		}
	}
	for _, val := range p.QueryValues(params) {
		if len(val) >= MinSecretValue {
			c.values = append(c.values, val)
		}
	}
	return c
}

// Empty reports whether there is nothing to scrub.
func (c Credentials) Empty() bool { return c.userinfo == "" && len(c.values) == 0 }

// Scrub removes the credentials from s: the userinfo where it follows
// "//" (a URL's authority), and each secret value where it is a
// parameter's whole value ("=value" followed by a separator, a quote,
// white space or the end), replaced by "redacted". Both anchors keep a
// short user name or value from matching ordinary text.
func (c Credentials) Scrub(s string) string {
	if c.userinfo != "" {
		s = strings.ReplaceAll(s, "//"+c.userinfo, "//")
	}
	for _, v := range c.values {
		s = replaceParamValue(s, v)
	}
	return s
}

// valueEnd are the bytes that may follow a parameter's value in a URL or
// in text quoting one ("fetch URL: reason", "(URL)", "URL, then").
const valueEnd = "&;#/?\"' <>\t\r\n:,)]}"

func replaceParamValue(s, v string) string {
	needle := "=" + v
	var b strings.Builder
	for {
		i := strings.Index(s, needle)
		if i < 0 {
			break
		}
		end := i + len(needle)
		b.WriteString(s[:i+1])
		if end == len(s) || strings.IndexByte(valueEnd, s[end]) >= 0 {
			b.WriteString("redacted")
		} else {
			b.WriteString(v)
		}
		s = s[end:]
	}
	if b.Len() == 0 {
		return s
	}
	b.WriteString(s)
	return b.String()
}
