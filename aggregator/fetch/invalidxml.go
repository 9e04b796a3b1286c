package fetch

import "unicode/utf8"

// StripInvalidXML removes what XML 1.0 (§2.2 Char) forbids: control
// characters other than tab, newline and carriage return, U+FFFE, U+FFFF and
// bytes that are not valid UTF-8 (surrogates included). Feeds carry such
// bytes often enough (pasted text, CMS truncation) that a strict XML parser,
// or a reader of our republished feed, would otherwise reject them. When b is
// already clean it is returned unchanged, without copying.
func StripInvalidXML(b []byte) []byte {
	i := firstInvalidXML(b)
	if i < 0 {
		return b
	}
	out := make([]byte, i, len(b))
	copy(out, b[:i])
	for i < len(b) {
		size, ok := xmlCharAt(b[i:])
		if ok {
			out = append(out, b[i:i+size]...)
		}
		i += size
	}
	return out
}

func firstInvalidXML(b []byte) int {
	for i := 0; i < len(b); {
		size, ok := xmlCharAt(b[i:])
		if !ok {
			return i
		}
		i += size
	}
	return -1
}

// xmlCharAt reports the byte length of the character at the start of b and
// whether XML 1.0 allows it. b must not be empty.
func xmlCharAt(b []byte) (size int, ok bool) {
	c := b[0]
	if c < utf8.RuneSelf {
		return 1, c >= 0x20 || c == '\t' || c == '\n' || c == '\r'
	}
	r, size := utf8.DecodeRune(b)
	if r == utf8.RuneError && size == 1 {
		return 1, false
	}
	return size, r != 0xFFFE && r != 0xFFFF
}
