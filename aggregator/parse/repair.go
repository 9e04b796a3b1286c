package parse

import (
	"bytes"

	"github.com/tributary-rss/tributary/aggregator/doctype"
)

// repairWindow bounds how far into a body Repair looks for an XML
// declaration: junk before it is a line or two of PHP warnings or
// padding, never a page.
const repairWindow = 4 << 10

// Repair returns body rewritten into a document gofeed can read, for the
// feeds Python's feedparser reads and gofeed refuses, or body itself when
// it sees nothing to repair:
//
//   - text before the XML declaration (a non-breaking space, a PHP
//     warning, a blank line written by an include) is dropped;
//   - an Atom <feed> embedded in an XHTML or HTML page is taken out of it,
//     with the namespace declarations it inherited, as its own document.
//
// It is pure and cheap to call on any body, but Feed calls it only after
// gofeed failed, so good feeds never pay for it.
func Repair(body []byte) []byte {
	out := dropBeforeDeclaration(body)
	if feed, ok := doctype.EmbeddedAtom(out); ok {
		return feed
	}
	return out
}

// dropBeforeDeclaration cuts whatever precedes an XML declaration found
// near the start of b. XML 1.0 §2.8 allows nothing before it, not even
// white space; gofeed tolerates white space but not other text.
func dropBeforeDeclaration(b []byte) []byte {
	i := bytes.Index(b[:min(len(b), repairWindow)], []byte("<?xml"))
	if i <= 0 || i+5 >= len(b) || !isXMLSpace(b[i+5]) {
		return b
	}
	if len(bytes.TrimLeft(b[:i], " \t\r\n")) == 0 {
		// Only white space: gofeed copes, and an unchanged body tells
		// Feed there is nothing to retry.
		return b
	}
	return b[i:]
}

func isXMLSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }
