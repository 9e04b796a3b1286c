package publish

import (
	"bytes"
	"encoding/xml"
	"net/http"
)

// feedStylesheet is the path, under the base URL's path, of the XSLT
// stylesheet that RSS and Atom feeds name in an xml-stylesheet processing
// instruction. A browser opening a feed shows it as a page (what it is,
// how to subscribe, the headlines); feed readers ignore the instruction
// (it is not part of RSS or Atom, and XML allows it before the root).
const feedStylesheet = "/static/feed.xsl"

// handleFeedXSL serves the stylesheet as text/xsl, the type browsers
// expect of an XSLT stylesheet named by a feed.
func (s *Server) handleFeedXSL(w http.ResponseWriter, r *http.Request) {
	serveAsset(w, r, "feed.xsl", "text/xsl; charset=utf-8", s.pages.feedXSL)
}

// marshalFeedXML writes the XML declaration, the stylesheet instruction
// and doc into one buffer of d.SizeHint. The render cache keeps these
// bytes, so the instruction costs nothing per request.
func marshalFeedXML(d feedData, doc any) ([]byte, error) {
	var buf bytes.Buffer
	buf.Grow(d.SizeHint)
	buf.WriteString(xml.Header)
	buf.WriteString(`<?xml-stylesheet type="text/xsl" href="`)
	if err := xml.EscapeText(&buf, []byte(basePath(d.BaseURL)+feedStylesheet)); err != nil {
		return nil, err
	}
	buf.WriteString("\"?>\n")
	if err := encodeXML(&buf, doc); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
