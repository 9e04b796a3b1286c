package fetch

import (
	"bytes"

	"github.com/tributary-rss/tributary/aggregator/parse"
)

// decode converts a body to UTF-8 and names the charset it was read as.
// An HTML page (a list page, a page advertising a feed, an article) is
// decoded by parse.DecodeHTML, which reads <meta charset> and <meta
// http-equiv> as browsers do: ToUTF8 knows only XML declarations, so a
// Big5 page sent without a charset in its Content-Type would be guessed
// GB18030 and reach the parser garbled. Everything else is a feed (or
// nothing readable) and goes through ToUTF8.
func decode(raw []byte, contentType string) ([]byte, string, error) {
	if isHTMLBody(raw, contentType) {
		body, charset := parse.DecodeHTML(raw, contentType)
		return body, charset, nil
	}
	return ToUTF8(raw, contentType)
}

// isHTMLBody reports whether raw is an HTML page by its first markup (see
// parse.IsHTML). A UTF-16 byte order mark hides the markup from that test,
// and only ToUTF8 decodes UTF-16, so such a body is never taken for HTML.
func isHTMLBody(raw []byte, contentType string) bool {
	if bytes.HasPrefix(raw, []byte(bomUTF16LE)) || bytes.HasPrefix(raw, []byte(bomUTF16BE)) {
		return false
	}
	return parse.IsHTML(raw, contentType)
}
