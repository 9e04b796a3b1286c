package parse

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"codeberg.org/readeck/go-readability/v2"
	"github.com/PuerkitoBio/goquery"
	"github.com/andybalholm/cascadia"
	"golang.org/x/net/html"

	"github.com/tributary-rss/tributary/aggregator/model"
)

// ErrNoArticle is wrapped by Article's error when the page holds no
// article: content.selector matched nothing, or readability found no body.
var ErrNoArticle = errors.New("no article found")

// Article reads the article of a page fetched from an entry's link: its
// body and what the page says of the article (see model.ArticlePage).
//
// The body is, with rules.Selector, the inner HTML of the first element
// matching it; without, the body element of a known CMS (see
// cmsFamilies), its innermost match, else the body readability
// (codeberg.org/readeck/go-readability) finds, which drops navigation,
// sidebars, share bars and footers. In every case elements matching
// rules.Remove, scripts and styles go first, then the pagers, print and
// close buttons and share bars templates print around the body (see
// removeBoilerplate); links and images are made absolute against <base
// href> and pageURL. The HTML is not sanitized: it goes through the
// normalizer's sanitizer like any feed content.
//
// The headline (findHeadline), the publication time and the author (the
// info line, the CMS's own elements and the page's metadata: see
// readArticleMeta) are read from the whole page before anything is
// removed. body may be in any charset DecodeHTML recognises.
//
// The page is parsed within lim's bounds (see Limiter: a page over its
// element bound loses its bottom, rarely the article), waiting for a parse
// slot with ctx; the selectors of rules stop at lim's SelectorTimeout or
// when ctx ends, with a *ParseError wrapping ErrSelectorStopped.
// Readability's own work is not interruptible; the element bound is what
// bounds it.
func Article(ctx context.Context, lim *Limiter, body []byte, contentType, pageURL string, rules model.Content) (page model.ArticlePage, err error) {
	remove, err := compileRemove(rules.Remove)
	if err != nil {
		return page, err
	}
	var selector cascadia.Selector
	if strings.TrimSpace(rules.Selector) != "" {
		if selector, err = cascadia.Compile(rules.Selector); err != nil {
			return page, fmt.Errorf("content.selector: %w", err)
		}
	}
	doc, release, err := loadDocument(ctx, lim, body, contentType)
	if err != nil {
		return page, err
	}
	defer release()
	ev, cancel := lim.evaluate(ctx)
	defer cancel()
	defer ev.recover(&err)
	base := documentBase(doc.Document, pageURL)
	doc.Find("script, style, noscript, template").Remove()
	var userBody goquery.Matcher
	if selector != nil {
		userBody = ev.guard("content.selector", selector)
	}
	page = readArticleMeta(doc.Document, userBody)
	for i, sel := range remove {
		if sel != nil {
			doc.FindMatcher(ev.guard(fmt.Sprintf("content.remove[%d]", i), sel)).Remove()
		}
	}
	ix := newPageIndex(doc.Document)
	bodyEl, _ := articleBody(doc.Document, userBody, ix)
	if len(doc.Nodes) > 0 {
		removeBoilerplate(doc.Nodes[0], bodyEl, ix)
	}
	switch {
	case userBody != nil:
		page.HTML, err = selectArticle(doc.Document, base, userBody, rules.Selector)
	case bodyEl != nil:
		bodyEl, _ = articleBody(doc.Document, nil, newPageIndex(doc.Document))
		page.HTML, err = renderArticle(goquery.NewDocumentFromNode(bodyEl).Selection, base)
	default:
		page.HTML, err = readArticle(doc.Document, base)
	}
	return page, err
}

// articleBody is the element holding the article's body: the first
// match of userBody (content.selector) when given, else a known CMS's
// body (see knownBody); nil and no family when neither is on the page.
func articleBody(doc *goquery.Document, userBody goquery.Matcher, ix *pageIndex) (*html.Node, *cmsFamily) {
	if userBody != nil {
		if n := doc.FindMatcher(userBody).First().Nodes; len(n) > 0 {
			return n[0], nil
		}
		return nil, nil
	}
	return knownBody(doc, ix)
}

// readArticleMeta reads what the page says of its article: the
// headline, the publication time and the author.
func readArticleMeta(doc *goquery.Document, userBody goquery.Matcher) model.ArticlePage {
	ix := newPageIndex(doc)
	body, fam := articleBody(doc, userBody, ix)
	if fam == nil && body != nil {
		// content.selector names the body; a known CMS still names
		// the rest.
		_, fam = knownBody(doc, ix)
	}
	pn := readPageNames(doc)
	title := findHeadline(doc, body, fam, ix, pn)
	line := findInfoLine(doc, body, headlineElement(doc, title, ix), ix)
	return model.ArticlePage{
		Title:  title,
		Date:   pickDate(articleDates(doc, body, fam, line, title)),
		Author: articleAuthor(doc, fam, line),
	}
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
func selectArticle(doc *goquery.Document, base *url.URL, m goquery.Matcher, selector string) (string, error) {
	el := doc.FindMatcher(m).First()
	if el.Length() == 0 {
		return "", fmt.Errorf("content.selector %q matched 0 elements: %w", selector, ErrNoArticle)
	}
	return renderArticle(el, base)
}

// renderArticle is el's inner HTML, its links made absolute.
func renderArticle(el *goquery.Selection, base *url.URL) (string, error) {
	absolutize(el, base)
	h, err := el.Html()
	if err != nil {
		return "", fmt.Errorf("render article: %w", err)
	}
	return strings.TrimSpace(h), nil
}

func readArticle(doc *goquery.Document, base *url.URL) (string, error) {
	// readability resolves relative URLs against the URL it is given, so it
	// gets the document's base, not the page URL.
	a, err := readability.FromDocument(doc.Nodes[0], base)
	if err != nil {
		return "", fmt.Errorf("readability: %w", err)
	}
	if a.Node == nil {
		return "", fmt.Errorf("readability: %w", ErrNoArticle)
	}
	var sb strings.Builder
	if err := a.RenderHTML(&sb); err != nil {
		return "", fmt.Errorf("render article: %w", err)
	}
	return strings.TrimSpace(sb.String()), nil
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
