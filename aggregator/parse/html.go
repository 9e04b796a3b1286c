package parse

import (
	"bytes"
	"context"
	"fmt"
	"mime"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"
	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// DecodeHTML returns an HTML body as UTF-8 and the name of the charset it
// was read as. The charset is chosen in this order:
//
//  1. a byte order mark;
//  2. UTF-8 when the body is valid UTF-8 with non-ASCII text, whatever it
//     declares: the fetcher hands over bodies it converted already, and
//     legacy double-byte Chinese text is valid UTF-8 only by accident, so
//     decoding such a body again would only garble it;
//  3. the charset parameter of contentType;
//  4. <meta charset> or <meta http-equiv="Content-Type"> in the first
//     1024 bytes (the WHATWG prescan, by golang.org/x/net/html/charset);
//  5. GB18030, the commonest undeclared legacy encoding of the Chinese
//     sites we read, where the HTML standard would guess windows-1252.
//
// GBK and GB2312 are read as GB18030, their superset: sites that declare
// gb2312 routinely use characters only GBK or GB18030 have.
//
// A body that is valid UTF-8 already (as the fetcher hands over) comes
// back as is, without a copy: a page is decoded twice on its way to the
// parser, and each copy of a large page counts while its DOM is built.
func DecodeHTML(body []byte, contentType string) ([]byte, string) {
	enc, name := htmlEncoding(body, contentType)
	if enc == nil {
		if b := trimUTF8BOM(body); utf8.Valid(b) {
			return b, name
		}
		return bytes.ToValidUTF8(trimUTF8BOM(body), []byte("\uFFFD")), name
	}
	out, err := enc.NewDecoder().Bytes(body)
	if err != nil {
		// x/text decoders replace bad input rather than fail; an error
		// here means a broken decoder, and UTF-8 is the safest reading.
		return bytes.ToValidUTF8(body, []byte("\uFFFD")), "utf-8"
	}
	return out, name
}

// htmlEncoding applies the steps of DecodeHTML; a nil encoding means UTF-8.
func htmlEncoding(body []byte, contentType string) (encoding.Encoding, string) {
	if bytes.HasPrefix(body, []byte("\xef\xbb\xbf")) {
		return nil, "utf-8"
	}
	if !isASCII(body) && utf8.Valid(body) {
		return nil, "utf-8"
	}
	if label := ContentTypeCharset(contentType); label != "" {
		if enc, name, ok := lookupEncoding(label); ok && plausible(body, enc) {
			return enc, name
		}
	}
	_, name, _ := charset.DetermineEncoding(body, "")
	// DetermineEncoding falls back to windows-1252 when nothing is declared;
	// only trust that answer when the page said so itself.
	if name != "windows-1252" || declaresCharset(body) {
		if enc, name, ok := lookupEncoding(name); ok && plausible(body, enc) {
			return enc, name
		}
	}
	return simplifiedchinese.GB18030, "gb18030"
}

// plausible rules out one mislabelling: a declared UTF-8 (nil) that the
// bytes plainly contradict, as when a template says utf-8 and the CMS
// writes GBK.
func plausible(body []byte, enc encoding.Encoding) bool {
	return enc != nil || MostlyUTF8(body)
}

// MostlyUTF8 accepts valid UTF-8, and UTF-8 with a few stray bytes (a CMS
// cutting a summary mid-character), which decoding as GB18030 would garble
// entirely. Legacy double-byte text forms valid UTF-8 sequences only by
// chance, far below ten per invalid byte.
func MostlyUTF8(b []byte) bool {
	if utf8.Valid(b) {
		return true
	}
	var multi, invalid int
	for i := 0; i < len(b); {
		if b[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size == 1 {
			invalid++
		} else {
			multi++
		}
		i += size
	}
	return multi >= 10*invalid
}

// lookupEncoding resolves a WHATWG charset label; a nil encoding with ok
// means UTF-8. GBK is widened to GB18030 (see DecodeHTML).
func lookupEncoding(label string) (encoding.Encoding, string, bool) {
	enc, err := htmlindex.Get(strings.TrimSpace(label))
	if err != nil {
		return nil, "", false
	}
	name, _ := htmlindex.Name(enc)
	switch {
	case name == "utf-8":
		return nil, name, true
	case name == "replacement", strings.HasPrefix(name, "utf-16"):
		// An HTML body whose <meta> we could read as ASCII is not UTF-16,
		// and "replacement" would turn the whole page into U+FFFD.
		return nil, "", false
	case enc == simplifiedchinese.GBK:
		return simplifiedchinese.GB18030, "gb18030", true
	}
	return enc, name, true
}

// declaresCharset reports whether the start of body names a charset at all.
func declaresCharset(body []byte) bool {
	head := body[:min(len(body), 1024)]
	return bytes.Contains(bytes.ToLower(head), []byte("charset"))
}

// ContentTypeCharset returns the charset parameter of a Content-Type
// value, "" when there is none or the value does not parse.
func ContentTypeCharset(contentType string) string {
	if contentType == "" {
		return ""
	}
	_, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		return ""
	}
	return params["charset"]
}

func isASCII(b []byte) bool {
	for _, c := range b {
		if c >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

func trimUTF8BOM(b []byte) []byte { return bytes.TrimPrefix(b, []byte("\xef\xbb\xbf")) }

// document is a parsed page.
type document struct {
	*goquery.Document
	// cutAt is the element bound the page was cut at (see cutElements), 0
	// when it was parsed whole.
	cutAt int
}

// loadDocument is every HTML parse of the package: it waits for a parse
// slot of lim (or for ctx to end), decodes body (see DecodeHTML), cuts it
// after lim's element bound and parses what is left. The caller calls
// release once done with the DOM, and not before: the slot bounds how many
// DOMs the process holds.
func loadDocument(ctx context.Context, lim *Limiter, body []byte, contentType string) (doc *document, release func(), err error) {
	release, err = lim.acquire(ctx)
	if err != nil {
		return nil, nil, err
	}
	utf, _ := DecodeHTML(body, contentType)
	doc = &document{}
	limit := lim.maxElements()
	if cut, ok := cutElements(utf, limit); ok {
		utf, doc.cutAt = cut, limit
	}
	doc.Document, err = goquery.NewDocumentFromReader(bytes.NewReader(utf))
	if err != nil {
		release()
		return nil, nil, fmt.Errorf("parse HTML: %w", err)
	}
	return doc, release, nil
}

// minTokenBytes is the size of the shortest element or comment ("<a>",
// "<!>").
const minTokenBytes = 3

// cutElements returns the part of an HTML page before its (limit+1)-th
// element or comment, and true, when it has more than limit; else b and
// false. It tokenizes without building anything, so a page of a million
// elements costs its time but not its DOM. The parser closes what the cut
// leaves open, as it does for a page cut short on the wire.
func cutElements(b []byte, limit int) ([]byte, bool) {
	if len(b) < minTokenBytes*(limit+1) {
		return b, false // too short to hold more: most pages skip the pass
	}
	z := html.NewTokenizer(bytes.NewReader(b))
	offset, n := 0, 0
	for {
		switch z.Next() {
		case html.ErrorToken:
			return b, false
		case html.StartTagToken, html.SelfClosingTagToken, html.CommentToken:
			if n++; n > limit {
				return b[:offset], true
			}
		}
		// Tokens are contiguous: their raw lengths add up to the offset.
		offset += len(z.Raw())
	}
}

// documentBase is the URL relative references of doc resolve against: the
// first <base href>, itself resolved against pageURL (HTML §4.2.3), else
// pageURL. It is nil when neither gives an absolute URL.
func documentBase(doc *goquery.Document, pageURL string) *url.URL {
	href, ok := doc.Find("base[href]").First().Attr("href")
	return baseURL(pageURL, href, ok)
}

// baseURL resolves a page's first <base href> (when it has one) against
// its URL; see documentBase.
func baseURL(pageURL, href string, hasBase bool) *url.URL {
	page, err := url.Parse(strings.TrimSpace(pageURL))
	if err != nil || !page.IsAbs() {
		page = nil
	}
	if !hasBase {
		return page
	}
	base, err := url.Parse(cleanRef(href))
	if err != nil {
		return page
	}
	if page != nil {
		base = page.ResolveReference(base)
	}
	if !base.IsAbs() {
		return page
	}
	return base
}

// resolveLink makes ref absolute against base and returns it when it is an
// http(s) URL a reader can open; "" for javascript:, mailto:, tel:, data:,
// a bare fragment ("#", "#top": the page itself) and anything unparsable.
func resolveLink(base *url.URL, ref string) string {
	ref = cleanRef(ref)
	if ref == "" || strings.HasPrefix(ref, "#") {
		return ""
	}
	u, err := url.Parse(ref)
	if err != nil {
		return ""
	}
	if base != nil {
		u = base.ResolveReference(u)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return ""
	}
	return u.String()
}

// cleanRef trims a URL as the URL standard does before parsing: leading
// and trailing spaces and controls go, and tabs and newlines anywhere
// (CMS templates wrap long hrefs across lines).
func cleanRef(ref string) string {
	ref = strings.TrimFunc(ref, func(r rune) bool { return r <= ' ' || r == '\u3000' })
	if strings.ContainsAny(ref, "\t\n\r") {
		ref = strings.NewReplacer("\t", "", "\n", "", "\r", "").Replace(ref)
	}
	return ref
}

// collapse joins the runs of white space in s into single spaces and trims
// the ends. strings.Fields splits on Unicode white space, so the &nbsp;
// and full-width spaces CMSs pad with go too.
func collapse(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
