package charset

import (
	"bytes"

	"github.com/tributary-rss/tributary/aggregator/doctype"
)

// Decode converts a fetched body to UTF-8 and names the charset it was
// read as. An HTML page (a list page, a page advertising a feed, an
// article) is decoded by DecodeHTML, which reads <meta charset> and
// <meta http-equiv> as browsers do: ToUTF8 knows only XML declarations,
// so a Big5 page sent without a charset in its Content-Type would be
// guessed GB18030 and reach the parser garbled. Everything else is a
// feed (or nothing readable) and goes through ToUTF8.
func Decode(raw []byte, contentType string) ([]byte, string, error) {
	if DecodesAsHTML(raw, contentType) {
		body, charset := DecodeHTML(raw, contentType)
		return body, charset, nil
	}
	return ToUTF8(raw, contentType)
}

// DecodesAsHTML reports whether Decode reads raw as an HTML page: by its
// first markup (see doctype.IsHTML). A UTF-16 byte order mark hides the markup from that
// test, and only ToUTF8 decodes UTF-16, so such a body is never taken
// for HTML.
func DecodesAsHTML(raw []byte, contentType string) bool {
	if bytes.HasPrefix(raw, []byte(bomUTF16LE)) || bytes.HasPrefix(raw, []byte(bomUTF16BE)) {
		return false
	}
	return doctype.IsHTML(raw, contentType)
}
