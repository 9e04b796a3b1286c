package parse

import (
	"net/url"
	"path"
	"strings"

	"github.com/tributary-rss/tributary/aggregator/model"
)

// HeadersFor is the source's extra request headers when target is on the
// source's own origin (scheme, host and port, or the same host upgraded to
// HTTPS), else none: they often carry a key or a cookie, which a feed or an
// article hosted elsewhere must not receive. Polls and previews both send
// them this way, and the fetcher drops them again on a redirect leaving
// the origin (fetch.SameOrigin, the same rule: parse cannot import fetch).
func HeadersFor(src model.Source, target string) map[string]string {
	if len(src.Headers) == 0 {
		return nil
	}
	a, errA := url.Parse(src.URL)
	b, errB := url.Parse(target)
	if errA != nil || errB != nil || !sameOrigin(a, b) {
		return nil
	}
	return src.Headers
}

// sameOrigin is fetch.SameOrigin on parsed URLs.
func sameOrigin(from, to *url.URL) bool {
	if !strings.EqualFold(from.Hostname(), to.Hostname()) {
		return false
	}
	pf, pt := defaultPort(from), defaultPort(to)
	if strings.EqualFold(from.Scheme, to.Scheme) {
		return pf == pt
	}
	return strings.EqualFold(from.Scheme, "http") && strings.EqualFold(to.Scheme, "https") && pf == "80" && pt == "443"
}

// defaultPort is u's port, else its scheme's default.
func defaultPort(u *url.URL) string {
	if p := u.Port(); p != "" {
		return p
	}
	switch strings.ToLower(u.Scheme) {
	case "http":
		return "80"
	case "https":
		return "443"
	}
	return ""
}

// documentExts are the attachments list pages link to instead of an
// article page (notices as PDF or Word files): fetching them as articles
// would only fill the body limit with bytes no article can come from.
var documentExts = []string{".pdf", ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".zip", ".rar", ".7z", ".wps", ".et"}

// DocumentExt is the document extension (without the dot) link's path ends
// with, or "" for a link that may be an article page.
func DocumentExt(link string) string {
	u, err := url.Parse(link)
	if err != nil {
		return ""
	}
	ext := strings.ToLower(path.Ext(u.Path))
	for _, d := range documentExts {
		if ext == d {
			return strings.TrimPrefix(ext, ".")
		}
	}
	return ""
}
