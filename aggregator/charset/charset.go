// Package charset turns fetched bytes into UTF-8, once, for every
// reader of them (the fetcher, the parsers, previews): feeds by their
// XML declaration (ToUTF8), HTML pages as browsers read them (DecodeHTML),
// both falling back to GB18030, the commonest undeclared legacy encoding
// of the Chinese sites we read.
package charset

import (
	"bytes"
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/ianaindex"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
)

const (
	bomUTF8    = "\xef\xbb\xbf"
	bomUTF16LE = "\xff\xfe"
	bomUTF16BE = "\xfe\xff"
	// maxDeclLen bounds the search for the end of an XML declaration.
	maxDeclLen = 512
)

// ToUTF8 converts a feed body to UTF-8 and returns the charset it was
// converted from. The charset is chosen in this order:
//
//  1. a byte order mark (UTF-8, UTF-16LE, UTF-16BE);
//  2. the encoding in the XML declaration;
//  3. the charset parameter of contentType;
//  4. UTF-8 if the bytes are (mostly) UTF-8, else GB18030, the commonest
//     undeclared legacy encoding of the Chinese sites we poll.
//
// GB2312 and GBK are decoded as GB18030, their superset, because sites that
// declare gb2312 routinely emit GBK or GB18030 characters. A declared UTF-8
// that the bytes plainly contradict falls through to the next step, as does
// a Latin-1 label (iso-8859-1, windows-1252, us-ascii) on valid non-ASCII
// UTF-8, a misconfiguration (an Apache default) far likelier than Latin-1
// text that happens to be valid UTF-8.
//
// The output is valid UTF-8 with no BOM, and a declared encoding is
// rewritten to utf-8 so an XML parser does not decode the text twice. We do
// not use charset.DetermineEncoding: it ignores XML declarations. JSON
// bodies go through the same steps; step 2 simply never matches.
func ToUTF8(body []byte, contentType string) (out []byte, charset string, err error) {
	if bytes.HasPrefix(body, []byte(bomUTF8)) {
		return rewriteDeclEncoding(validUTF8(body[len(bomUTF8):])), "utf-8", nil
	}
	enc, charset := chooseEncoding(body, contentType)
	if enc == nil {
		return rewriteDeclEncoding(validUTF8(body)), charset, nil
	}
	out, err = enc.NewDecoder().Bytes(body)
	if err != nil {
		return nil, "", fmt.Errorf("decode %s: %w", charset, err)
	}
	return rewriteDeclEncoding(out), charset, nil
}

// chooseEncoding applies steps 1 to 4 of ToUTF8 (minus the UTF-8 BOM). A nil
// encoding means UTF-8. The name is the label as found, lower-cased.
func chooseEncoding(body []byte, contentType string) (encoding.Encoding, string) {
	switch {
	case bytes.HasPrefix(body, []byte(bomUTF16LE)):
		return unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM), "utf-16le"
	case bytes.HasPrefix(body, []byte(bomUTF16BE)):
		return unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM), "utf-16be"
	}
	labels := []string{declaredEncoding(body), ContentTypeCharset(contentType)}
	for _, label := range labels {
		if label == "" {
			continue
		}
		if enc, _, ok := lookupEncoding(label, true); ok && plausible(body, enc) {
			return enc, strings.ToLower(strings.TrimSpace(label))
		}
	}
	if MostlyUTF8(body) {
		return nil, "utf-8"
	}
	return simplifiedchinese.GB18030, "gb18030"
}

// lookupEncoding resolves a charset label, and names the encoding as
// WHATWG does; a nil encoding with ok means UTF-8. XML declarations may
// use IANA names WHATWG lacks (iana); an HTML page's labels are read as
// browsers read them. Labels that cannot describe a body whose
// declaration we could read as ASCII (UTF-16 without a BOM) or that
// WHATWG maps to the "replacement" encoding (which decodes everything to
// U+FFFD) are refused. GBK is widened to GB18030, its superset: sites
// that declare gb2312 or gbk routinely use characters only GB18030 has.
func lookupEncoding(label string, iana bool) (encoding.Encoding, string, bool) {
	label = strings.ToLower(strings.TrimSpace(label))
	enc, err := htmlindex.Get(label)
	if err != nil {
		if !iana {
			return nil, "", false
		}
		if enc, err = ianaindex.IANA.Encoding(label); err != nil || enc == nil {
			return nil, "", false
		}
	}
	name, _ := htmlindex.Name(enc)
	switch {
	case name == "utf-8" || enc == unicode.UTF8:
		return nil, "utf-8", true
	case name == "replacement", strings.HasPrefix(name, "utf-16"):
		return nil, "", false
	case enc == simplifiedchinese.GBK:
		return simplifiedchinese.GB18030, "gb18030", true
	}
	return enc, name, true
}

// plausible reports whether body can be in enc; it only rules out two
// mislabellings: a declared UTF-8 (nil) that the bytes plainly contradict,
// as when a template says utf-8 and the CMS writes GBK, and a Latin-1
// label on valid non-ASCII UTF-8 (see ToUTF8).
func plausible(body []byte, enc encoding.Encoding) bool {
	if enc == nil {
		return MostlyUTF8(body)
	}
	if name, _ := htmlindex.Name(enc); name == "windows-1252" {
		return !utf8.Valid(body) || isASCII(body)
	}
	return true
}

func isASCII(b []byte) bool {
	for _, c := range b {
		if c >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// validUTF8 returns b, or a copy without its invalid sequences.
func validUTF8(b []byte) []byte {
	if utf8.Valid(b) {
		return b
	}
	return bytes.ToValidUTF8(b, nil)
}
