package parse

import (
	"bytes"
	"errors"
	"net/url"
	"slices"
	"strings"

	"github.com/tributary-rss/tributary/aggregator/charset"
	"github.com/tributary-rss/tributary/aggregator/doctype"
	"golang.org/x/net/html"
)

// Feed types of a Candidate.
const (
	TypeAtom = "atom"
	TypeRSS  = "rss"
	TypeJSON = "json"
)

// NoFeedReason is what an operator is told about an HTML page that
// advertises no feed.
const NoFeedReason = "HTML page advertises no feed"

// ErrNoFeed is wrapped by the error for an HTML page that advertises no
// feed; its text is NoFeedReason.
var ErrNoFeed = errors.New(NoFeedReason)

// Candidate is a feed an HTML page advertises with <link rel="alternate">.
type Candidate struct {
	// URL is absolute (http or https).
	URL string
	// Type is TypeAtom, TypeRSS or TypeJSON.
	Type string
	// Title is the link's title attribute, white space collapsed.
	Title string
}

// feedTypes maps the media types of feed links to a Candidate type and a
// rank: Atom first (the best specified), then RSS, then JSON Feed.
// application/json is the type JSON Feed 1.0 advised; it ranks last because
// it also marks links that are no feed (WordPress REST API documents, which
// are therefore refused below).
var feedTypes = map[string]struct {
	typ  string
	rank int
}{
	"application/atom+xml":  {TypeAtom, 0},
	"application/rss+xml":   {TypeRSS, 1},
	"application/rdf+xml":   {TypeRSS, 1},
	"application/feed+json": {TypeJSON, 2},
	"application/json":      {TypeJSON, 3},
}

// Discover lists the feeds an HTML page advertises: <link> elements whose
// rel includes "alternate" and whose type is a feed type (see feedTypes),
// with hrefs resolved against <base href> and pageURL. The list is ordered
// Atom, RSS, then JSON Feed, in document order within a type, without
// repeated URLs. body may be in any charset DecodeHTML recognises. A page
// that advertises nothing gives nil; NoFeedReason says what to do then.
//
// It reads the page's tags one by one (see pageLinks) and builds no DOM:
// a page of any size costs the time to tokenize it, not the memory of a
// parse, so it needs no Limiter.
func Discover(body []byte, contentType, pageURL string) []Candidate {
	utf, _ := charset.DecodeHTML(body, contentType)
	links, base := pageLinks(utf)
	return discover(links, baseURL(pageURL, base.href, base.hasHref))
}

// linkTag is the attributes of a <link> or <base> that discovery reads;
// hasRel and hasHref say whether the tag had them at all.
type linkTag struct {
	rel, typ, href, title string
	hasRel, hasHref       bool
}

// pageLinks are the <link rel href> tags of an HTML page in document order
// and its first <base href>. The tokenizer reads them as the parser would:
// lower-case names, attribute values unescaped, the first of repeated
// attributes, nothing inside <script>, <style> or comments.
func pageLinks(page []byte) (links []linkTag, base linkTag) {
	z := html.NewTokenizer(bytes.NewReader(page))
	for {
		tt := z.Next()
		switch {
		case tt == html.ErrorToken:
			return links, base
		case tt != html.StartTagToken && tt != html.SelfClosingTagToken:
			continue
		}
		name, hasAttr := z.TagName()
		if !hasAttr || (string(name) != "link" && string(name) != "base") {
			continue
		}
		tag := readLinkTag(z)
		switch {
		case string(name) == "base" && tag.hasHref && !base.hasHref:
			base = tag
		case string(name) == "link" && tag.hasHref && tag.hasRel:
			links = append(links, tag)
		}
	}
}

// readLinkTag reads the attributes of the tokenizer's current tag.
func readLinkTag(z *html.Tokenizer) (tag linkTag) {
	seen := map[string]bool{}
	for more := true; more; {
		var k, v []byte
		k, v, more = z.TagAttr()
		key := string(k)
		if seen[key] {
			continue
		}
		seen[key] = true
		switch key {
		case "rel":
			tag.rel, tag.hasRel = string(v), true
		case "type":
			tag.typ = string(v)
		case "href":
			tag.href, tag.hasHref = string(v), true
		case "title":
			tag.title = string(v)
		}
	}
	return tag
}

func discover(links []linkTag, base *url.URL) []Candidate {
	type ranked struct {
		Candidate
		rank int
	}
	var found []ranked
	seen := map[string]bool{}
	for _, l := range links {
		if !hasToken(l.rel, "alternate") {
			continue
		}
		ft, ok := feedTypes[doctype.MediaType(l.typ)]
		if !ok {
			continue
		}
		u := resolveLink(base, l.href)
		if u == "" || seen[u] || (ft.typ == TypeJSON && strings.Contains(u, "/wp-json/")) {
			continue
		}
		seen[u] = true
		found = append(found, ranked{Candidate{URL: u, Type: ft.typ, Title: collapse(l.title)}, ft.rank})
	}
	slices.SortStableFunc(found, func(a, b ranked) int { return a.rank - b.rank })
	out := make([]Candidate, 0, len(found))
	for _, r := range found {
		out = append(out, r.Candidate)
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// hasToken reports whether the space-separated list has tok, ignoring
// ASCII case as HTML does for rel values.
func hasToken(list, tok string) bool {
	for _, f := range strings.Fields(list) {
		if strings.EqualFold(f, tok) {
			return true
		}
	}
	return false
}
