package normalize

import (
	"net/url"
	"strings"
)

// parseBase parses an absolute http(s) URL to resolve references against;
// anything else gives nil, and relative references then stay unresolved.
func parseBase(raw string) *url.URL {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || !isWebURL(u) {
		return nil
	}
	return u
}

// publicBase is the fetch URL as a base for the links of what it served:
// without user:password@ and without its query, which may carry the
// source's credentials (an API key): a relative link resolved against it
// (a fragment-only "#top" keeps the base's query) must not copy them into
// stored, republished links.
func publicBase(raw string) *url.URL {
	u := parseBase(raw)
	if u == nil {
		return nil
	}
	c := *u
	c.User, c.RawQuery, c.ForceQuery, c.Fragment, c.RawFragment = nil, "", false, "", ""
	return &c
}

// resolveWeb returns ref as an absolute http(s) URL, or "" when it cannot be
// one (javascript:, data:, mailto:, unparseable, relative without a base).
// An absolute ref is returned as given so its path and query keep the
// source's own spelling; only relative refs are rebuilt by net/url. What a
// URL may not hold (spaces, which CMSs leave in uploaded file names,
// quotes, angle brackets…) is percent-encoded first (see escapeURL): a
// raw space ends a URL in most readers, and a raw quote ends the
// attribute of any output that forgets to escape it.
func resolveWeb(base *url.URL, ref string) string {
	ref = escapeURL(strings.TrimSpace(cleanText(ref)))
	if ref == "" {
		return ""
	}
	u, err := url.Parse(ref)
	if err != nil {
		return ""
	}
	if u.IsAbs() {
		if isWebURL(u) {
			return ref
		}
		return ""
	}
	if base == nil {
		return ""
	}
	r := base.ResolveReference(u)
	if !isWebURL(r) {
		return ""
	}
	return escapeURL(r.String())
}

// escapeURL percent-encodes what RFC 3986 (§2, §3) does not allow in a URL
// and readers disagree on: ASCII controls, space, both quotes, "<>\^`{|}",
// DEL, a "%" that does not start an escape and every "#" after the first.
// The single quote is allowed by the RFC but encoded anyway, as browsers do
// in queries (WHATWG URL), so no link can close a single-quoted attribute
// or a script string. Everything else is kept as written, non-ASCII
// characters included (IRIs, RFC 3987), so escaping twice changes nothing.
func escapeURL(s string) string {
	if !needsEscape(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	hash := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if mustEscape(s, i, hash) {
			b.WriteByte('%')
			b.WriteByte(upperHex[c>>4])
			b.WriteByte(upperHex[c&15])
		} else {
			b.WriteByte(c)
		}
		hash = hash || c == '#'
	}
	return b.String()
}

const upperHex = "0123456789ABCDEF"

func needsEscape(s string) bool {
	hash := false
	for i := 0; i < len(s); i++ {
		if mustEscape(s, i, hash) {
			return true
		}
		hash = hash || s[i] == '#'
	}
	return false
}

// mustEscape reports whether byte i of s is to be percent-encoded; hash
// says a "#" came before it.
func mustEscape(s string, i int, hash bool) bool {
	switch c := s[i]; {
	case c <= ' ' || c == 0x7f:
		return true
	case c == '%':
		return i+2 >= len(s) || !isHex(s[i+1]) || !isHex(s[i+2])
	case c == '#':
		return hash
	default:
		return strings.IndexByte("\"'<>\\^`{|}", c) >= 0
	}
}

func isHex(c byte) bool {
	return isDigit(c) || (c|0x20 >= 'a' && c|0x20 <= 'f')
}

// resolveAny resolves a relative ref against base and leaves absolute refs
// of any scheme untouched, for content attributes whose scheme the
// sanitizer judges afterwards.
func resolveAny(base *url.URL, ref string) string {
	trimmed := strings.TrimSpace(ref)
	u, err := url.Parse(trimmed)
	if err != nil || u.IsAbs() || base == nil || trimmed == "" {
		return ref
	}
	return base.ResolveReference(u).String()
}

func isWebURL(u *url.URL) bool {
	return (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}
