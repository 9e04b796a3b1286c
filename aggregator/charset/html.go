package charset

import (
	"bytes"
	"mime"
	"unicode/utf8"

	htmlcharset "golang.org/x/net/html/charset"
	"golang.org/x/text/encoding"
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
		if enc, name, ok := lookupEncoding(label, false); ok && plausible(body, enc) {
			return enc, name
		}
	}
	_, name, _ := htmlcharset.DetermineEncoding(body, "")
	// DetermineEncoding falls back to windows-1252 when nothing is declared;
	// only trust that answer when the page said so itself.
	if name != "windows-1252" || declaresCharset(body) {
		if enc, name, ok := lookupEncoding(name, false); ok && plausible(body, enc) {
			return enc, name
		}
	}
	return simplifiedchinese.GB18030, "gb18030"
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

func trimUTF8BOM(b []byte) []byte { return bytes.TrimPrefix(b, []byte("\xef\xbb\xbf")) }
