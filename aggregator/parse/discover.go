package parse

import (
	"errors"
	"mime"
	"slices"
	"strings"

	"github.com/PuerkitoBio/goquery"
)

// Feed types of a Candidate.
const (
	TypeAtom = "atom"
	TypeRSS  = "rss"
	TypeJSON = "json"
)

// NoFeedReason is what an operator is told about an HTML page that
// advertises no feed.
const NoFeedReason = "HTML page advertises no feed; add a scrape: block to read it as a list page (see README)"

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
func Discover(body []byte, contentType, pageURL string) []Candidate {
	doc, err := loadDocument(body, contentType)
	if err != nil {
		return nil
	}
	return discover(doc, pageURL)
}

func discover(doc *goquery.Document, pageURL string) []Candidate {
	base := documentBase(doc, pageURL)
	type ranked struct {
		Candidate
		rank int
	}
	var found []ranked
	seen := map[string]bool{}
	doc.Find("link[rel][href]").Each(func(_ int, s *goquery.Selection) {
		if !hasToken(s.AttrOr("rel", ""), "alternate") {
			return
		}
		ft, ok := feedTypes[mediaType(s.AttrOr("type", ""))]
		if !ok {
			return
		}
		u := resolveLink(base, s.AttrOr("href", ""))
		if u == "" || seen[u] || (ft.typ == TypeJSON && strings.Contains(u, "/wp-json/")) {
			return
		}
		seen[u] = true
		found = append(found, ranked{Candidate{URL: u, Type: ft.typ, Title: collapse(s.AttrOr("title", ""))}, ft.rank})
	})
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

// mediaType is the lower-case type/subtype of a type attribute, parameters
// dropped.
func mediaType(v string) string {
	mt, _, err := mime.ParseMediaType(v)
	if err != nil {
		mt, _, _ = strings.Cut(v, ";")
	}
	return strings.ToLower(strings.TrimSpace(mt))
}
