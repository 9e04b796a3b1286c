package parse

import (
	"bytes"
	"context"
	"fmt"
	"net/url"
	"strings"

	"github.com/PuerkitoBio/goquery"
	"github.com/tributary-rss/tributary/aggregator/charset"
	"golang.org/x/net/html"
)

// document is a parsed page.
type document struct {
	*goquery.Document
	// cutAt is the element bound the page was cut at (see cutElements), 0
	// when it was parsed whole.
	cutAt int
}

// loadDocument is every HTML parse of the package: it waits for a parse
// slot of lim (or for ctx to end), decodes body (see DecodeHTML), cuts it
// after lim's element bound and parses what is left. The caller calls
// release once done with the DOM, and not before: the slot bounds how many
// DOMs the process holds.
func loadDocument(ctx context.Context, lim *Limiter, body []byte, contentType string) (doc *document, release func(), err error) {
	release, err = lim.acquire(ctx)
	if err != nil {
		return nil, nil, err
	}
	utf, _ := charset.DecodeHTML(body, contentType)
	doc = &document{}
	limit := lim.maxElements()
	if cut, ok := cutElements(utf, limit); ok {
		utf, doc.cutAt = cut, limit
	}
	doc.Document, err = goquery.NewDocumentFromReader(bytes.NewReader(utf))
	if err != nil {
		release()
		return nil, nil, fmt.Errorf("parse HTML: %w", err)
	}
	return doc, release, nil
}

// minTokenBytes is the size of the shortest element or comment ("<a>",
// "<!>").
const minTokenBytes = 3

// cutElements returns the part of an HTML page before its (limit+1)-th
// element or comment, and true, when it has more than limit; else b and
// false. It tokenizes without building anything, so a page of a million
// elements costs its time but not its DOM. The parser closes what the cut
// leaves open, as it does for a page cut short on the wire.
func cutElements(b []byte, limit int) ([]byte, bool) {
	if len(b) < minTokenBytes*(limit+1) {
		return b, false // too short to hold more: most pages skip the pass
	}
	z := html.NewTokenizer(bytes.NewReader(b))
	offset, n := 0, 0
	for {
		switch z.Next() {
		case html.ErrorToken:
			return b, false
		case html.StartTagToken, html.SelfClosingTagToken, html.CommentToken:
			if n++; n > limit {
				return b[:offset], true
			}
		}
		// Tokens are contiguous: their raw lengths add up to the offset.
		offset += len(z.Raw())
	}
}

// documentBase is the URL relative references of doc resolve against: the
// first <base href>, itself resolved against pageURL (HTML §4.2.3), else
// pageURL. It is nil when neither gives an absolute URL.
func documentBase(doc *goquery.Document, pageURL string) *url.URL {
	href, ok := doc.Find("base[href]").First().Attr("href")
	return baseURL(pageURL, href, ok)
}

// baseURL resolves a page's first <base href> (when it has one) against
// its URL; see documentBase.
func baseURL(pageURL, href string, hasBase bool) *url.URL {
	page, err := url.Parse(strings.TrimSpace(pageURL))
	if err != nil || !page.IsAbs() {
		page = nil
	}
	if !hasBase {
		return page
	}
	base, err := url.Parse(cleanRef(href))
	if err != nil {
		return page
	}
	if page != nil {
		base = page.ResolveReference(base)
	}
	if !base.IsAbs() {
		return page
	}
	return base
}

// resolveLink makes ref absolute against base and returns it when it is an
// http(s) URL a reader can open; "" for javascript:, mailto:, tel:, data:,
// a bare fragment ("#", "#top": the page itself) and anything unparsable.
func resolveLink(base *url.URL, ref string) string {
	ref = cleanRef(ref)
	if ref == "" || strings.HasPrefix(ref, "#") {
		return ""
	}
	u, err := url.Parse(ref)
	if err != nil {
		return ""
	}
	if base != nil {
		u = base.ResolveReference(u)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return ""
	}
	return u.String()
}

// cleanRef trims a URL as the URL standard does before parsing: leading
// and trailing spaces and controls go, and tabs and newlines anywhere
// (CMS templates wrap long hrefs across lines).
func cleanRef(ref string) string {
	ref = strings.TrimFunc(ref, func(r rune) bool { return r <= ' ' || r == '\u3000' })
	if strings.ContainsAny(ref, "\t\n\r") {
		ref = strings.NewReplacer("\t", "", "\n", "", "\r", "").Replace(ref)
	}
	return ref
}

// collapse joins the runs of white space in s into single spaces and trims
// the ends. strings.Fields splits on Unicode white space, so the &nbsp;
// and full-width spaces CMSs pad with go too.
func collapse(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
