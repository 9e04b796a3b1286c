package normalize

import (
	"bytes"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// limitHTML bounds sanitized HTML to maxDepth nested elements and maxBytes
// bytes. Elements nested deeper lose their tags and keep their text, which
// joins the deepest element kept. HTML longer than maxBytes is cut between
// two tokens, or inside a text at a character that is not part of an
// entity, never inside a tag; "…" marks the cut. Whenever a limit applies
// every element still open is closed (and one a later start tag closes
// implicitly, like a <p> before a <div>), so the result is well-formed and
// no longer than maxBytes. HTML within both limits is returned unchanged.
//
// It streams over the tokens keeping only the open elements it writes, at
// most maxDepth of them, and a count of those it flattened: time is linear
// and memory bounded by the result whatever the input, 500,000 nested
// elements included. (golang.org/x/net/html's parser refuses nesting
// beyond 512 elements, and browsers slow to a crawl well before that.)
func limitHTML(s string, maxDepth, maxBytes int) string {
	if len(s) <= maxBytes && strings.Count(s, "<") <= maxDepth {
		return s // too few tags to nest too deep
	}
	l := htmlLimiter{maxDepth: maxDepth, budget: max(0, maxBytes-len(ellipsis)), open: map[string]int{}}
	l.out.Grow(min(len(s), maxBytes))
	z := html.NewTokenizer(strings.NewReader(s))
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			break
		}
		if !l.token(z, tt) {
			l.limited = true
			if l.out.Len()+l.closing+len(ellipsis) <= maxBytes {
				l.out.WriteString(ellipsis)
			}
			break
		}
	}
	if !l.limited {
		return s
	}
	l.closeAll()
	return l.out.String()
}

// htmlLimiter is limitHTML's state.
type htmlLimiter struct {
	maxDepth int
	// budget is what the output may take before the mark of a cut, the
	// end tags of the elements still open included.
	budget int
	out    strings.Builder
	// stack holds the open elements written, outermost first; open
	// counts them by name, so an end tag finds its element in O(1).
	stack []string
	open  map[string]int
	// closing is the length of the end tags stack needs.
	closing int
	// flattened counts the elements open beyond maxDepth, whose tags were
	// dropped. Any end tag closes one of them first: that is what the
	// 500,000 </div> after 500,000 <div> do, and for other input the
	// text stays flattened a little longer.
	flattened int
	// limited is set once a tag was dropped or the output cut.
	limited bool
}

// token handles the current token and reports false when it does not fit
// the budget: the output ends there.
func (l *htmlLimiter) token(z *html.Tokenizer, tt html.TokenType) bool {
	switch tt {
	case html.TextToken:
		return l.text(z.Raw())
	case html.StartTagToken:
		name := tagName(z)
		if isVoid(name) {
			return l.write(z.Raw())
		}
		return l.start(name, z.Raw())
	case html.SelfClosingTagToken:
		tok := z.Token()
		if isVoid(tok.Data) {
			return l.write([]byte(tok.String()))
		}
		// "<div/>" opens a div in HTML: written as an empty element.
		tok.Type = html.StartTagToken
		if !l.start(tok.Data, []byte(tok.String())) {
			return false
		}
		l.end(tok.Data)
		return true
	case html.EndTagToken:
		l.end(tagName(z))
		return true
	}
	// Comments and doctypes: the sanitizer leaves none worth keeping.
	return true
}

// tagName is the current tag's lower-case name, without an allocation for
// the names atom knows (every one the sanitizer keeps).
func tagName(z *html.Tokenizer) string {
	name, _ := z.TagName()
	if a := atom.Lookup(name); a != 0 {
		return a.String()
	}
	return string(name)
}

func (l *htmlLimiter) fits(n int) bool {
	return l.out.Len()+l.closing+n <= l.budget
}

// write copies a token that opens nothing (text, a void element).
func (l *htmlLimiter) write(raw []byte) bool {
	if !l.fits(len(raw)) {
		return false
	}
	l.out.Write(raw)
	return true
}

// start opens an element, or flattens it when the stack is full.
func (l *htmlLimiter) start(name string, raw []byte) bool {
	if l.flattened == 0 {
		l.closeImplied(name)
	}
	if l.flattened > 0 || len(l.stack) >= l.maxDepth {
		l.flattened++
		l.limited = true
		return true
	}
	end := len(name) + len("</>")
	if !l.fits(len(raw) + end) {
		return false
	}
	l.out.Write(raw)
	l.stack = append(l.stack, name)
	l.open[name]++
	l.closing += end
	return true
}

// end closes name and every element opened inside it; an end tag of an
// element not open is dropped, as HTML parsers ignore it.
func (l *htmlLimiter) end(name string) {
	switch {
	case isVoid(name):
	case l.flattened > 0:
		l.flattened--
	case l.open[name] > 0:
		for l.pop() != name {
		}
	}
}

func (l *htmlLimiter) pop() string {
	top := l.stack[len(l.stack)-1]
	l.stack = l.stack[:len(l.stack)-1]
	l.open[top]--
	l.closing -= len(top) + len("</>")
	l.out.WriteString("</" + top + ">")
	return top
}

func (l *htmlLimiter) closeAll() {
	for len(l.stack) > 0 {
		l.pop()
	}
}

// closeImplied closes the open elements that a start tag of name ends
// without an end tag in HTML (§13.2.6.4.7): a paragraph before a block, a
// list item before the next, a cell before the next cell or row. Only
// the innermost elements are looked at; that is where they occur.
func (l *htmlLimiter) closeImplied(name string) {
	for len(l.stack) > 0 && closesImplied(l.stack[len(l.stack)-1], name) {
		l.pop()
	}
}

func closesImplied(open, next string) bool {
	switch open {
	case "p":
		return closesP(next)
	case "li":
		return next == "li"
	case "dt", "dd":
		return next == "dt" || next == "dd"
	case "td", "th":
		return next == "td" || next == "th" || next == "tr"
	case "tr":
		return next == "tr"
	}
	return false
}

// closesP reports the start tags that close an open <p>.
func closesP(name string) bool {
	switch name {
	case "address", "article", "aside", "blockquote", "details", "dialog", "div", "dl", "dd", "dt",
		"fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6",
		"header", "hgroup", "li", "main", "menu", "nav", "ol", "p", "pre", "section", "summary", "table", "ul":
		return true
	}
	return false
}

// text copies a text token, or as much of it as fits.
func (l *htmlLimiter) text(raw []byte) bool {
	if l.write(raw) {
		return true
	}
	k := textCut(raw, l.budget-l.out.Len()-l.closing)
	l.out.Write(bytes.TrimRight(raw[:k], " \t\r\n\f"))
	return false
}

// textCut is how many bytes of escaped text fit in room without splitting
// a character or an entity ("&amp;").
func textCut(raw []byte, room int) int {
	k := min(max(room, 0), len(raw))
	for k > 0 && k < len(raw) && !utf8.RuneStart(raw[k]) {
		k--
	}
	if amp := bytes.LastIndexByte(raw[:k], '&'); amp >= 0 && bytes.IndexByte(raw[amp:k], ';') < 0 {
		k = amp
	}
	return k
}
