package parse

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"
)

// pageIndex is what reading an article page's parts asks of its DOM
// again and again, computed in one walk: each element's place in
// document order and the runes of text it holds. Reading a big page's
// info line would otherwise walk its subtree once per element.
type pageIndex struct {
	order map[*html.Node]int
	runes map[*html.Node]int
}

// newPageIndex walks doc once.
func newPageIndex(doc *goquery.Document) *pageIndex {
	ix := &pageIndex{order: map[*html.Node]int{}, runes: map[*html.Node]int{}}
	if len(doc.Nodes) > 0 {
		ix.walk(doc.Nodes[0])
	}
	return ix
}

func (ix *pageIndex) walk(n *html.Node) int {
	if n.Type == html.TextNode {
		return utf8.RuneCountInString(strings.TrimSpace(n.Data))
	}
	if n.Type == html.ElementNode {
		ix.order[n] = len(ix.order)
	}
	total := 0
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		total += ix.walk(c)
	}
	ix.runes[n] = total
	return total
}

// before reports whether a starts before b in document order (nodes
// added after the walk count as last).
func (ix *pageIndex) before(a, b *html.Node) bool {
	oa, ok := ix.order[a]
	if !ok {
		return false
	}
	ob, ok := ix.order[b]
	return !ok || oa < ob
}

// spacedText is the text of n with a space wherever an element begins or
// ends, white space collapsed: "<small>时间:</small>2026-12-03<small>来源:</small>本站"
// reads "时间: 2026-12-03 来源: 本站", so labels printed in their own
// element stay apart from the value before them. &nbsp; and full-width
// spaces count as white space.
func spacedText(n *html.Node) string {
	return collapse(elementText(n, false))
}

// rawSpacedText is spacedText with runs of two or more spaces kept as two
// (one space stays one): the gap a template leaves between the fields of
// an info line ("作者：张三&nbsp;&nbsp;审核：李四") is where a value ends.
// A line break, a cell, a paragraph or an item ends a value too.
func rawSpacedText(n *html.Node) string {
	return squeezeSpace(elementText(n, true))
}

// elementText is the text of n with a space wherever an element begins
// or ends; with blockGap, two where a line break, a cell, a paragraph,
// a div or a list item begins.
func elementText(n *html.Node, blockGap bool) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		switch n.Type {
		case html.TextNode:
			b.WriteString(n.Data)
			return
		case html.ElementNode:
			if blockGap && (n.Data == "br" || n.Data == "td" || n.Data == "th" || n.Data == "p" || n.Data == "div" || n.Data == "li") {
				b.WriteString("  ")
			} else {
				b.WriteByte(' ')
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
		if n.Type == html.ElementNode {
			b.WriteByte(' ')
		}
	}
	walk(n)
	return b.String()
}

// squeezeSpace trims s and turns each run of white space into one space,
// or two when the run was two or more.
func squeezeSpace(s string) string {
	var b strings.Builder
	run := 0
	for _, r := range s {
		if unicode.IsSpace(r) || r == '\u3000' || r == '\u00a0' {
			run++
			continue
		}
		if run > 0 && b.Len() > 0 {
			b.WriteString("  "[:min(run, 2)])
		}
		run = 0
		b.WriteRune(r)
	}
	return b.String()
}

// within reports whether n is el or lies inside it.
func within(el, n *html.Node) bool {
	for ; n != nil; n = n.Parent {
		if n == el {
			return true
		}
	}
	return false
}

// inChrome reports whether n lies inside the page's chrome: navigation,
// a footer, a sidebar, a menu or the site's header, by tag or by the
// words templates name them with. A <header> inside an <article> or
// <main> is the article's own (WordPress puts its headline there).
func inChrome(n *html.Node) bool {
	for p := n; p != nil; p = p.Parent {
		if p.Type != html.ElementNode {
			continue
		}
		switch p.Data {
		case "nav", "footer", "aside":
			return true
		case "header":
			if !insideArticle(p) {
				return true
			}
		}
		if chromeName(nodeAttr(p, "class") + " " + nodeAttr(p, "id")) {
			return true
		}
	}
	return false
}

// chromeName reports whether a class or id names page chrome: a word of
// chromeWords inside it, or a whole token of chromeTokens.
func chromeName(name string) bool {
	name = strings.ToLower(name)
	for _, w := range chromeWords {
		if strings.Contains(name, w) {
			return true
		}
	}
	for _, tok := range strings.Fields(name) {
		for _, w := range chromeTokens {
			if tok == w {
				return true
			}
		}
	}
	return false
}

// chromeWords name page chrome anywhere in a class or id ("main-nav",
// "footer_wrap"); chromeTokens only as a whole class or id, being part of
// content names too ("article-header").
var (
	chromeWords  = []string{"nav", "menu", "foot", "banner", "logo", "sidebar", "copyright", "breadcrumb"}
	chromeTokens = []string{"header", "head", "top", "side"}
)

func insideArticle(n *html.Node) bool {
	for p := n.Parent; p != nil; p = p.Parent {
		if p.Type == html.ElementNode && (p.Data == "article" || p.Data == "main") {
			return true
		}
	}
	return false
}

// attr is n's attribute key, "" when absent.
func nodeAttr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}
