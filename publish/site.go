package publish

import (
	"net/url"
	"strings"
)

// DefaultSiteTitle names the index when Site.Title is empty.
const DefaultSiteTitle = "Tributary"

// Site is the operator's identity on the public HTML pages: the index's
// title, a logo in the header, an extra stylesheet and a footer on every
// page. Everything is shown as escaped text or as a link; none of it is
// ever HTML.
type Site struct {
	// Title names the index and follows section titles in <title>.
	Title string
	// Logo is an absolute http(s) URL of an image shown in the header.
	Logo string
	// CSS is an absolute http(s) URL of a stylesheet loaded after ours; the
	// pages' Content-Security-Policy allows exactly that URL.
	CSS string
	// FooterText is a line of text (a copyright, an address).
	FooterText string
	// FooterLinks are links such as the ICP filing number.
	FooterLinks []SiteLink
}

// SiteLink is one footer link.
type SiteLink struct {
	Text, URL string
}

// siteView is Site as templates read it; links that are not http(s) are
// dropped (the config refuses them; this guards other callers).
type siteView struct {
	Title, Logo, CSS string
	FooterText       string
	FooterLinks      []SiteLink
}

func newSiteView(s Site) siteView {
	v := siteView{Title: s.Title, FooterText: s.FooterText, Logo: httpURL(s.Logo), CSS: httpURL(s.CSS)}
	if v.Title == "" {
		v.Title = DefaultSiteTitle
	}
	for _, l := range s.FooterLinks {
		if u := httpURL(l.URL); u != "" && l.Text != "" {
			v.FooterLinks = append(v.FooterLinks, SiteLink{Text: l.Text, URL: u})
		}
	}
	return v
}

// httpURL is raw when it is an absolute http(s) URL, else empty.
func httpURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return ""
	}
	return raw
}

// pageSecurityPolicy is contentSecurityPolicy with the operator's
// stylesheet, if any, added to style-src.
func pageSecurityPolicy(css string) string {
	src := cspSource(css)
	if src == "" {
		return contentSecurityPolicy
	}
	return strings.Replace(contentSecurityPolicy, "style-src 'self'", "style-src 'self' "+src, 1)
}

// cspSource turns an http(s) URL into a CSP source expression naming that
// one file (CSP 3 section 2.3.1): scheme, host, port and path; the query
// and fragment do not take part in matching. Characters that would end
// the expression or the directive are percent-encoded; an unusable URL
// gives "" (no source added).
func cspSource(raw string) string {
	u, err := url.Parse(httpURL(raw))
	if err != nil || u.Host == "" {
		return ""
	}
	path := u.EscapedPath()
	if path == "" {
		path = "/"
	}
	path = strings.NewReplacer(";", "%3B", ",", "%2C", " ", "%20", "'", "%27").Replace(path)
	host := u.Host
	if strings.ContainsAny(host, " ;,'") {
		return ""
	}
	return u.Scheme + "://" + host + path
}
