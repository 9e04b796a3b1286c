// Package doctype tells what a fetched body is, by its first markup: an
// HTML page, or a feed (an XHTML page carrying an Atom feed inline
// counts as a feed). The fetcher asks it to choose how to decode a body,
// the parsers to choose how to read one.
package doctype

import (
	"bytes"
	"encoding/xml"
	"mime"
	"strings"
	"unicode/utf8"
)

// htmlTags are elements that start an HTML page but no feed. A page may
// lack <html> and <!doctype>: the parser adds them.
var htmlTags = []string{"html", "head", "body", "meta", "title", "link", "script", "style", "div", "table", "p", "br", "center", "frameset"}

// feedRoots are the root elements of the feed formats gofeed reads.
var feedRoots = []string{"rss", "feed", "rdf:rdf", "rdf"}

// IsHTML reports whether body is an HTML page rather than a feed, by its
// first markup: a doctype or an HTML element says HTML, a feed root or
// JSON says feed, an XML declaration defers to the root element. An
// XHTML page carrying an Atom feed inline counts as a feed (Feed reads it;
// see Repair). contentType decides only when the bytes cannot: servers
// send feeds as text/html too often for the header to overrule them.
func IsHTML(body []byte, contentType string) bool {
	head := skipPrologue(body[:min(len(body), 4<<10)])
	lower := strings.ToLower(string(head[:min(len(head), 64)]))
	switch {
	case len(head) == 0:
		return false
	case head[0] == '{' || head[0] == '[':
		return false
	case strings.HasPrefix(lower, "<!doctype html"):
		return true
	case strings.HasPrefix(lower, "<?xml"):
		return strings.EqualFold(XMLRoot(head), "html") && !hasEmbeddedAtom(body)
	case head[0] == '<':
		name := tagName(lower[1:])
		switch {
		case containsFold(htmlTags, name):
			return true
		case containsFold(feedRoots, name):
			return false
		}
	}
	return isHTMLType(contentType)
}

// skipPrologue drops a byte order mark, white space and comments before
// the first markup.
func skipPrologue(b []byte) []byte {
	b = trimUTF8BOM(b)
	for {
		b = bytes.TrimLeft(b, " \t\r\n\f")
		if !bytes.HasPrefix(b, []byte("<!--")) {
			return b
		}
		end := bytes.Index(b, []byte("-->"))
		if end < 0 {
			return nil
		}
		b = b[end+3:]
	}
}

// tagName reads the element name at the start of s (after "<").
func tagName(s string) string {
	end := strings.IndexFunc(s, func(r rune) bool {
		return r == ' ' || r == '>' || r == '/' || r == '\t' || r == '\n' || r == '\r'
	})
	if end < 0 {
		return s
	}
	return s[:end]
}

func containsFold(list []string, s string) bool {
	for _, v := range list {
		if strings.EqualFold(v, s) {
			return true
		}
	}
	return false
}

func isHTMLType(contentType string) bool {
	mt := MediaType(contentType)
	return mt == "text/html" || mt == "application/xhtml+xml"
}

// MediaType is the media type of a Content-Type value (or of a link's
// type attribute), lower-cased, without its parameters; a value whose
// parameters do not parse still gives the part before the first ";",
// as servers send such values and browsers read them so. "" when there
// is none.
func MediaType(v string) string {
	mt, _, err := mime.ParseMediaType(v)
	if err != nil {
		mt, _, _ = strings.Cut(v, ";")
	}
	return strings.ToLower(strings.TrimSpace(mt))
}

func hasEmbeddedAtom(body []byte) bool {
	_, ok := EmbeddedAtom(body)
	return ok
}

// XMLRoot is the name of the first element, past the prolog and comments.
func XMLRoot(b []byte) string {
	d := xml.NewDecoder(bytes.NewReader(b[:min(len(b), 4<<10)]))
	d.Strict = false
	for {
		tok, err := d.Token()
		if err != nil {
			return "?"
		}
		if se, ok := tok.(xml.StartElement); ok {
			return clip(se.Name.Local, 40)
		}
	}
}

func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}

func trimUTF8BOM(b []byte) []byte { return bytes.TrimPrefix(b, []byte("\xef\xbb\xbf")) }
