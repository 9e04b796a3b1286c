package parse

import (
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// The text of list items, read straight from the DOM: detection reads
// every item of every candidate list, and goquery selections would cost
// an allocation per step.

// skipText reports whether the text under n is never shown as text:
// scripts and styles, and what themes hide for screen readers only
// (WordPress's "继续阅读<span class="screen-reader-text">标题</span>").
func skipText(n *html.Node) bool {
	switch n.DataAtom {
	case atom.Script, atom.Style, atom.Noscript, atom.Template, atom.Textarea, atom.Select:
		return true
	}
	for _, a := range n.Attr {
		if a.Key == "class" && (strings.Contains(a.Val, "screen-reader") || strings.Contains(a.Val, "sr-only") || strings.Contains(a.Val, "visually-hidden")) {
			return true
		}
	}
	return false
}

// nodeText is the text of n and its descendants as the page shows it,
// scripts and styles left out, white space collapsed.
func nodeText(n *html.Node) string {
	if n == nil {
		return ""
	}
	if n.Type == html.TextNode {
		return collapse(n.Data)
	}
	var b strings.Builder
	appendText(&b, n, false)
	return collapse(b.String())
}

// joinedText is nodeText, except that two numbers in different elements
// stay apart: <span>10</span><p>2025-03</p> reads "10 2025-03" and
// 03-10<br>2025 "03-10 2025" rather than one run of digits, while
// <font>2026</font>-10-17 still reads "2026-10-17". Dates printed in
// parts are read this way.
func joinedText(n *html.Node) string {
	if n == nil {
		return ""
	}
	var b strings.Builder
	appendText(&b, n, true)
	return collapse(b.String())
}

func appendText(b *strings.Builder, n *html.Node, digitsApart bool) {
	switch {
	case n.Type == html.TextNode:
		if digitsApart && b.Len() > 0 && endsWithDigit(b.String()) && startsWithDigit(n.Data) {
			b.WriteByte(' ')
		}
		b.WriteString(n.Data)
		return
	case n.Type == html.ElementNode && skipText(n):
		return
	case n.Type == html.ElementNode && n.DataAtom == atom.Br:
		b.WriteByte(' ')
		return
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		appendText(b, c, digitsApart)
	}
}

func endsWithDigit(s string) bool {
	r, _ := utf8.DecodeLastRuneInString(s)
	return r >= '0' && r <= '9'
}

func startsWithDigit(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return r >= '0' && r <= '9'
}

// attrVal is n's attribute key ("" when it has none).
func attrVal(n *html.Node, key string) string {
	if n == nil {
		return ""
	}
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// hasAttr reports whether n carries the attribute key.
func hasAttr(n *html.Node, key string) bool {
	for _, a := range n.Attr {
		if a.Key == key {
			return true
		}
	}
	return false
}

// classNames are n's class names.
func classNames(n *html.Node) []string {
	return strings.Fields(attrVal(n, "class"))
}

// isElement reports whether n is an element (of tag a when a is not 0).
func isElement(n *html.Node, a atom.Atom) bool {
	return n != nil && n.Type == html.ElementNode && (a == 0 || n.DataAtom == a)
}

// blockTags are the elements that start a block of their own: an <a>
// holding one wraps a title, a date and a summary rather than a headline.
var blockTags = map[atom.Atom]bool{
	atom.Div: true, atom.P: true, atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true,
	atom.H5: true, atom.H6: true, atom.Ul: true, atom.Ol: true, atom.Li: true, atom.Dl: true,
	atom.Dt: true, atom.Dd: true, atom.Table: true, atom.Tr: true, atom.Td: true,
	atom.Section: true, atom.Article: true, atom.Header: true, atom.Footer: true, atom.Figure: true,
	atom.Figcaption: true, atom.Blockquote: true,
}

// hasBlockChild reports whether an element child of n is a block.
func hasBlockChild(n *html.Node) bool {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode && blockTags[c.DataAtom] {
			return true
		}
	}
	return false
}

// wrapsBlocks reports whether n's text is made of separate blocks: it
// holds a block element, or only elements (two or more with text) and no
// text of its own, as <a><span class="t">…</span><span class="d">…</span></a>.
func wrapsBlocks(n *html.Node) bool {
	if hasBlockChild(n) {
		return true
	}
	withText := 0
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		switch {
		case c.Type == html.TextNode && strings.TrimSpace(c.Data) != "":
			return false
		case c.Type == html.ElementNode && !skipText(c) && nodeText(c) != "":
			withText++
		}
	}
	return withText >= 2
}

// textBlocks are the texts of the blocks n is made of, in order (see
// wrapsBlocks); an element holding no blocks is one text.
func textBlocks(n *html.Node, out []string) []string {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		switch {
		case c.Type == html.TextNode:
			if t := collapse(c.Data); t != "" {
				out = append(out, t)
			}
		case c.Type != html.ElementNode || skipText(c):
		case wrapsBlocks(c):
			out = textBlocks(c, out)
		default:
			if t := nodeText(c); t != "" {
				out = append(out, t)
			}
		}
	}
	return out
}

// runeLen is the length of s in characters.
func runeLen(s string) int { return utf8.RuneCountInString(s) }
