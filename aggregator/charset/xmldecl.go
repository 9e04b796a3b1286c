package charset

import "bytes"

// declaredEncoding returns the encoding named in the XML declaration at the
// start of b, or "".
func declaredEncoding(b []byte) string {
	start, end, ok := declEncodingSpan(b)
	if !ok {
		return ""
	}
	return string(b[start:end])
}

// rewriteDeclEncoding makes the declaration of an already converted body say
// utf-8, so that gofeed (which honours the declaration) does not decode it a
// second time. b is not modified; a copy is returned when a change is needed.
func rewriteDeclEncoding(b []byte) []byte {
	start, end, ok := declEncodingSpan(b)
	if !ok || bytes.EqualFold(b[start:end], []byte("utf-8")) {
		return b
	}
	out := make([]byte, 0, len(b)-(end-start)+len("utf-8"))
	out = append(out, b[:start]...)
	out = append(out, "utf-8"...)
	return append(out, b[end:]...)
}

// declEncodingSpan finds the value of the encoding pseudo-attribute in an
// XML declaration (XML 1.0 §2.8, §4.3.3) at the start of b, tolerating
// leading white space and upper case that lax generators emit.
func declEncodingSpan(b []byte) (start, end int, ok bool) {
	i := skipXMLSpace(b, 0)
	if len(b)-i < 6 || !bytes.EqualFold(b[i:i+5], []byte("<?xml")) || !isXMLSpace(b[i+5]) {
		return 0, 0, false
	}
	closing := bytes.Index(b[i:min(len(b), i+maxDeclLen)], []byte("?>"))
	if closing < 0 {
		return 0, 0, false
	}
	decl := b[:i+closing]
	j := indexFoldASCII(decl, i, "encoding")
	if j < 0 {
		return 0, 0, false
	}
	j = skipXMLSpace(decl, j+len("encoding"))
	if j >= len(decl) || decl[j] != '=' {
		return 0, 0, false
	}
	j = skipXMLSpace(decl, j+1)
	if j >= len(decl) || (decl[j] != '"' && decl[j] != '\'') {
		return 0, 0, false
	}
	n := bytes.IndexByte(decl[j+1:], decl[j])
	if n < 0 {
		return 0, 0, false
	}
	return j + 1, j + 1 + n, true
}

// indexFoldASCII finds word in b[from:] ignoring ASCII case. bytes.ToLower
// is avoided because it can change the length of non-UTF-8 input.
func indexFoldASCII(b []byte, from int, word string) int {
	for k := from; k+len(word) <= len(b); k++ {
		if bytes.EqualFold(b[k:k+len(word)], []byte(word)) {
			return k
		}
	}
	return -1
}

func skipXMLSpace(b []byte, i int) int {
	for i < len(b) && isXMLSpace(b[i]) {
		i++
	}
	return i
}

func isXMLSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r'
}
