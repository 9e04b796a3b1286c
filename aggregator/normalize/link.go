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

// resolveWeb returns ref as an absolute http(s) URL, or "" when it cannot be
// one (javascript:, data:, mailto:, unparseable, relative without a base).
// An absolute ref is returned as given so its path and query keep the
// source's own spelling; only relative refs are rebuilt by net/url. Spaces,
// which CMSs leave in uploaded file names and net/url keeps in queries, are
// the one thing escaped, since a raw space ends a URL in most readers.
func resolveWeb(base *url.URL, ref string) string {
	ref = strings.TrimSpace(ref)
	if ref == "" {
		return ""
	}
	u, err := url.Parse(ref)
	if err != nil {
		return ""
	}
	if u.IsAbs() {
		if isWebURL(u) {
			return webString(ref)
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
	return webString(r.String())
}

func webString(s string) string {
	return strings.ReplaceAll(cleanText(s), " ", "%20")
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
