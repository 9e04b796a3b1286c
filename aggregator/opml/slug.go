package opml

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/tributary-rss/tributary/aggregator/config"
)

// FolderSlug is the section id for an OPML folder: the text folded to
// ASCII (accents dropped), lowercased, with every run of other characters
// turned into one "-" ("Café & Culture" → "cafe-culture"). A name that
// does not fold to ASCII (Chinese, Cyrillic, …) gets "s-" and six hex
// digits of its SHA-256 instead: stable across imports, so importing the
// same folder again finds the same section, and distinct for distinct
// names where dropping the letters would merge "新闻" and "通知" into one.
func FolderSlug(folder string) string {
	var b strings.Builder
	dash := false
	for _, r := range norm.NFD.String(folder) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue // the accent of a decomposed letter
		case r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(unicode.ToLower(r))
		case unicode.IsLetter(r) || unicode.IsNumber(r):
			return hashSlug(folder)
		default:
			dash = true
		}
	}
	slug := b.String()
	if slug == "" {
		return hashSlug(folder)
	}
	if len(slug) > config.MaxIDLen {
		slug = strings.TrimRight(slug[:config.MaxIDLen], "-")
	}
	return slug
}

func hashSlug(s string) string {
	sum := sha256.Sum256([]byte(strings.TrimSpace(s)))
	return "s-" + hex.EncodeToString(sum[:3])
}
