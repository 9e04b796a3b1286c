package normalize

import (
	"strings"
	"unicode/utf8"
)

// cleanText drops invalid UTF-8 bytes and every character XML 1.0 forbids
// (C0 controls other than tab/newline/return, surrogates, U+FFFE, U+FFFF).
// gorilla/feeds writes such characters raw into CDATA, which makes the
// republished feed unreadable for strict parsers, so they never enter an Entry.
func cleanText(s string) string {
	if isCleanText(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if !(r == utf8.RuneError && size == 1) && isXMLChar(r) {
			b.WriteRune(r)
		}
		i += size
	}
	return b.String()
}

func isCleanText(s string) bool {
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && size == 1) || !isXMLChar(r) {
			return false
		}
		i += size
	}
	return true
}

// isXMLChar implements the Char production of XML 1.0 (fifth edition), §2.2.
func isXMLChar(r rune) bool {
	switch {
	case r == 0x9 || r == 0xA || r == 0xD:
		return true
	case r >= 0x20 && r <= 0xD7FF:
		return true
	case r >= 0xE000 && r <= 0xFFFD:
		return true
	default:
		return r >= 0x10000 && r <= 0x10FFFF
	}
}
