package normalize

import (
	"io"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/microcosm-cc/bluemonday"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// newPolicy is bluemonday's UGC policy plus the one rel value rewrite sets.
// UGC already drops script/style with their content, iframes, forms, on*
// handlers, style attributes and javascript:/data: URLs.
func newPolicy() *bluemonday.Policy {
	p := bluemonday.UGCPolicy()
	p.AllowAttrs("rel").Matching(regexp.MustCompile(`^nofollow noopener$`)).OnElements("a")
	return p
}

// SanitizeHTML returns html safe to embed in a page: relative href, src and
// cite URLs resolved against base (an absolute URL; when empty they stay
// relative), lazy-loading data-src images made real, 1×1 tracking images
// dropped, links marked rel="nofollow noopener" without a target, then
// everything bluemonday's UGC policy does not allow removed. The result is
// trimmed, and bounded (see limitHTML): elements nested deeper than
// Options.HTMLDepth keep their text but lose their tags, and HTML longer
// than Options.ContentBytes is cut between tokens, marked with "…" and
// closed.
func (n *Normalizer) SanitizeHTML(html, base string) string {
	out, _ := n.sanitize(html, parseBase(base))
	return out
}

// sanitize is SanitizeHTML that also reports the first real image's
// absolute URL, so the HTML is parsed once per item.
func (n *Normalizer) sanitize(s string, base *url.URL) (string, string) {
	s = cleanText(s)
	if strings.TrimSpace(s) == "" {
		return "", ""
	}
	rewritten, img := rewriteHTML(s, base)
	// The limits apply last, to what is kept: the sanitizer may remove
	// most of a large input, and only the result is stored and served.
	out := strings.TrimSpace(n.policy.Sanitize(rewritten))
	return limitHTML(out, n.htmlDepth, n.contentBytes), img
}

// rewriteHTML applies the URL and image rules the sanitizer cannot express,
// streaming over the tokens: only start tags are rebuilt, everything else is
// copied as written (bluemonday parses the result anyway, so building a
// tree here would only double the work). If the fragment cannot be
// tokenized the raw text goes to the sanitizer as is: still safe, only less
// polished.
func rewriteHTML(s string, base *url.URL) (string, string) {
	rw := rewriter{base: base}
	if !strings.Contains(s, "<") {
		return s, ""
	}
	z := html.NewTokenizer(strings.NewReader(s))
	var b strings.Builder
	b.Grow(len(s) + len(s)/8)
	for {
		switch z.Next() {
		case html.ErrorToken:
			if z.Err() != io.EOF {
				return s, rw.image
			}
			return b.String(), rw.image
		case html.StartTagToken, html.SelfClosingTagToken:
			tok := z.Token()
			if rw.rewriteTag(&tok) {
				continue
			}
			if isVoid(tok.Data) {
				// Written "<img …/>" as html.Render would, so the output
				// reads the same in HTML and XML consumers.
				tok.Type = html.SelfClosingTagToken
			}
			b.WriteString(tok.String())
		default:
			b.Write(z.Raw())
		}
	}
}

// isVoid reports elements that never have content or an end tag (HTML
// §13.1.2).
func isVoid(name string) bool {
	switch name {
	case "area", "base", "br", "col", "embed", "hr", "img", "input", "keygen", "link", "meta",
		"param", "source", "track", "wbr":
		return true
	}
	return false
}

// rewriter holds what a rewrite learns; image is the first kept <img> src.
type rewriter struct {
	base  *url.URL
	image string
}

// rewriteTag rewrites a start tag and reports whether it must be removed.
func (rw *rewriter) rewriteTag(tok *html.Token) bool {
	switch tok.DataAtom {
	case atom.Img:
		return rw.rewriteImg(tok)
	case atom.A:
		rw.rewriteLink(tok)
	default:
		rw.resolveAttrs(tok)
	}
	return false
}

// rewriteImg promotes a lazy-loading source, resolves src and reports
// whether the image is a tracking pixel to remove.
func (rw *rewriter) rewriteImg(img *html.Token) bool {
	if isTrackingPixel(img) {
		return true
	}
	src := attr(img, "src")
	if isPlaceholder(src) {
		for _, lazy := range []string{"data-src", "data-original", "data-lazy-src"} {
			if v := strings.TrimSpace(attr(img, lazy)); v != "" {
				src = v
				break
			}
		}
	}
	src = resolveAny(rw.base, src)
	setAttr(img, "src", src)
	if rw.image == "" && !isPlaceholder(src) {
		rw.image = resolveWeb(rw.base, src)
	}
	return false
}

// rewriteLink resolves href and replaces any rel/target with
// rel="nofollow noopener": feed content must neither pass ranking to, nor
// give window.opener to, pages we do not vouch for.
func (rw *rewriter) rewriteLink(a *html.Token) {
	rw.resolveAttrs(a)
	delAttr(a, "target")
	delAttr(a, "rel")
	if !isLinkable(attr(a, "href")) {
		delAttr(a, "href")
		return
	}
	a.Attr = append(a.Attr, html.Attribute{Key: "rel", Val: "nofollow noopener"})
}

// isLinkable reports an href worth keeping: http(s), mailto or relative.
func isLinkable(href string) bool {
	u, err := url.Parse(strings.TrimSpace(href))
	if err != nil || strings.TrimSpace(href) == "" {
		return false
	}
	switch strings.ToLower(u.Scheme) {
	case "", "http", "https", "mailto":
		return true
	}
	return false
}

func (rw *rewriter) resolveAttrs(node *html.Token) {
	for i, at := range node.Attr {
		switch at.Key {
		case "href", "src", "cite", "poster":
			node.Attr[i].Val = resolveAny(rw.base, at.Val)
		}
	}
}

// isTrackingPixel reports an image declared at most 1×1: such images only
// tell the publisher (or an ad network) who read the entry.
func isTrackingPixel(img *html.Token) bool {
	w, wok := pixels(attr(img, "width"))
	h, hok := pixels(attr(img, "height"))
	return wok && hok && w <= 1 && h <= 1
}

func pixels(v string) (int, bool) {
	n, err := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(v), "px"))
	return n, err == nil
}

// isPlaceholder reports an img src that lazy-loading scripts swap out: empty,
// an inline data: URI, or a well-known blank/spinner file.
func isPlaceholder(src string) bool {
	src = strings.ToLower(strings.TrimSpace(src))
	if src == "" || strings.HasPrefix(src, "data:") || src == "about:blank" {
		return true
	}
	if i := strings.IndexAny(src, "?#"); i >= 0 {
		src = src[:i]
	}
	name := src[strings.LastIndexByte(src, '/')+1:]
	for _, prefix := range []string{"blank.", "spacer.", "pixel.", "transparent.", "placeholder", "loading.", "lazy.", "grey.", "gray."} {
		if strings.HasPrefix(name, prefix) {
			return true
		}
	}
	return false
}

func attr(node *html.Token, key string) string {
	for _, a := range node.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func setAttr(node *html.Token, key, val string) {
	for i, a := range node.Attr {
		if a.Key == key {
			node.Attr[i].Val = val
			return
		}
	}
	node.Attr = append(node.Attr, html.Attribute{Key: key, Val: val})
}

func delAttr(node *html.Token, key string) {
	kept := node.Attr[:0]
	for _, a := range node.Attr {
		if a.Key != key {
			kept = append(kept, a)
		}
	}
	node.Attr = kept
}
