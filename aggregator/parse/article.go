package parse

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"unicode/utf8"

	"codeberg.org/readeck/go-readability/v2"
	"github.com/PuerkitoBio/goquery"
	"github.com/andybalholm/cascadia"

	"github.com/tributary-rss/tributary/aggregator/model"
)

// ErrNoArticle is wrapped by Article's error when the page holds no
// article: content.selector matched nothing, or readability found no body.
var ErrNoArticle = errors.New("no article found")

// Article extracts the article of a page fetched from an entry's link. With
// rules.Selector it is the inner HTML of the first element matching it;
// without, the body element of a known CMS (see knownBodies), else the
// body readability (codeberg.org/readeck/go-readability) finds, which
// drops navigation, sidebars, share bars and footers. In every case
// elements matching rules.Remove, scripts and styles go first, and links
// and images are made absolute against <base href> and pageURL.
//
// title is the page's own headline (og:title, else <title>; with
// readability, its choice), useful to complete a headline the list page
// cut. html is not sanitized: it goes through the normalizer's sanitizer
// like any feed content. body may be in any charset DecodeHTML recognises.
//
// The page is parsed within lim's bounds (see Limiter: a page over its
// element bound loses its bottom, rarely the article), waiting for a parse
// slot with ctx; the selectors of rules stop at lim's SelectorTimeout or
// when ctx ends, with a *ParseError wrapping ErrSelectorStopped.
// Readability's own work is not interruptible; the element bound is what
// bounds it.
func Article(ctx context.Context, lim *Limiter, body []byte, contentType, pageURL string, rules model.Content) (html, title string, err error) {
	remove, err := compileRemove(rules.Remove)
	if err != nil {
		return "", "", err
	}
	var selector cascadia.Selector
	if strings.TrimSpace(rules.Selector) != "" {
		if selector, err = cascadia.Compile(rules.Selector); err != nil {
			return "", "", fmt.Errorf("content.selector: %w", err)
		}
	}
	doc, release, err := loadDocument(ctx, lim, body, contentType)
	if err != nil {
		return "", "", err
	}
	defer release()
	ev, cancel := lim.evaluate(ctx)
	defer cancel()
	defer ev.recover(&err)
	base := documentBase(doc.Document, pageURL)
	doc.Find("script, style, noscript, template").Remove()
	for i, sel := range remove {
		if sel != nil {
			doc.FindMatcher(ev.guard(fmt.Sprintf("content.remove[%d]", i), sel)).Remove()
		}
	}
	if selector != nil {
		return selectArticle(doc.Document, base, ev.guard("content.selector", selector), rules.Selector)
	}
	if sel := knownBody(doc.Document); sel != "" {
		return selectArticle(doc.Document, base, goquery.Matcher(cascadia.MustCompile(sel)), sel)
	}
	return readArticle(doc.Document, base)
}

// knownBodies hold the article body in the CMSs most Chinese school and
// government sites run: VSB (博达), WebPlus, JCMS (大汉), TRS WCM (拓尔思)
// and Ucap (开普). Their pages are laid out with tables, and readability
// keeps whatever shares a table with the body (it never drops candidates
// inside a table), sidebars and share bars included; the CMS's own body
// element is exact.
var knownBodies = []string{".v_news_content", ".wp_articlecontent", "#zoom", ".TRS_Editor", "#UCAP-CONTENT"}

// knownBody is the first of knownBodies present with some text in doc.
func knownBody(doc *goquery.Document) string {
	for _, sel := range knownBodies {
		if el := doc.Find(sel).First(); el.Length() > 0 && strings.TrimSpace(el.Text()) != "" {
			return sel
		}
	}
	return ""
}

// compileRemove compiles the remove selectors up front, so a bad one is an
// error rather than a selector that silently matches nothing. The
// result is indexed as list is (an empty entry is nil), so errors name the
// entry as written.
func compileRemove(list []string) ([]cascadia.Selector, error) {
	out := make([]cascadia.Selector, len(list))
	for i, sel := range list {
		if strings.TrimSpace(sel) == "" {
			continue
		}
		m, err := cascadia.Compile(sel)
		if err != nil {
			return nil, fmt.Errorf("content.remove[%d]: %w", i, err)
		}
		out[i] = m
	}
	return out, nil
}

// selectArticle is the first element m matches; selector is m as written,
// for the error.
func selectArticle(doc *goquery.Document, base *url.URL, m goquery.Matcher, selector string) (string, string, error) {
	el := doc.FindMatcher(m).First()
	if el.Length() == 0 {
		return "", "", fmt.Errorf("content.selector %q matched 0 elements: %w", selector, ErrNoArticle)
	}
	absolutize(el, base)
	h, err := el.Html()
	if err != nil {
		return "", "", fmt.Errorf("render article: %w", err)
	}
	return strings.TrimSpace(h), headingTitle(doc, pageTitle(doc)), nil
}

func readArticle(doc *goquery.Document, base *url.URL) (string, string, error) {
	// readability resolves relative URLs against the URL it is given, so it
	// gets the document's base, not the page URL.
	a, err := readability.FromDocument(doc.Nodes[0], base)
	if err != nil {
		return "", "", fmt.Errorf("readability: %w", err)
	}
	if a.Node == nil {
		return "", "", fmt.Errorf("readability: %w", ErrNoArticle)
	}
	var sb strings.Builder
	if err := a.RenderHTML(&sb); err != nil {
		return "", "", fmt.Errorf("render article: %w", err)
	}
	title := collapse(a.Title())
	if title == "" {
		title = pageTitle(doc)
	}
	return strings.TrimSpace(sb.String()), headingTitle(doc, title), nil
}

// pageTitle is og:title, else <title>, white space collapsed.
func pageTitle(doc *goquery.Document) string {
	if t := collapse(doc.Find(`meta[property="og:title"]`).AttrOr("content", "")); t != "" {
		return t
	}
	return collapse(doc.Find("title").First().Text())
}

// headingTitle prefers a heading of the page that title starts with:
// <title> is usually the headline followed by the site's name
// ("…运动会_示例县教育信息网"), and the heading is the headline alone.
func headingTitle(doc *goquery.Document, title string) string {
	best := title
	doc.Find("h1, h2").EachWithBreak(func(_ int, h *goquery.Selection) bool {
		t := collapse(h.Text())
		if utf8.RuneCountInString(t) >= 4 && t != title && strings.HasPrefix(title, t) {
			best = t
			return false
		}
		return true
	})
	return best
}

// absolutize rewrites the links and media URLs inside el against base,
// so the article reads the same wherever it is republished.
func absolutize(el *goquery.Selection, base *url.URL) {
	if base == nil {
		return
	}
	for _, attr := range []string{"href", "src", "poster", "data-src", "data-original", "data-lazy-src"} {
		el.Find("[" + attr + "]").Each(func(_ int, s *goquery.Selection) {
			ref := cleanRef(s.AttrOr(attr, ""))
			if ref == "" || strings.HasPrefix(ref, "#") {
				return
			}
			if u, err := url.Parse(ref); err == nil {
				s.SetAttr(attr, base.ResolveReference(u).String())
			}
		})
	}
}
