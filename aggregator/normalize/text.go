package normalize

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
)

// ellipsis marks a cut summary or title.
const ellipsis = "…"

// PlainText strips tags, decodes entities and collapses whitespace to single
// spaces. Text inside script, style, template and noscript elements is
// dropped, and non-inline tags become spaces so "<p>a</p><p>b</p>" reads
// "a b", not "ab".
// The result is valid UTF-8 without characters illegal in XML.
func PlainText(s string) string {
	return plainText(s, -1)
}

// plainTextPrefix is a prefix of PlainText(s) that holds more than n runes
// whenever PlainText(s) does, so Truncate(plainTextPrefix(s, n), n) equals
// Truncate(PlainText(s), n). A summary needs the first 140 characters of a
// description that may run to many kilobytes; tokenizing the rest was a
// third of the normalizer's time.
func plainTextPrefix(s string, n int) string {
	return plainText(s, n+1)
}

// plainText is PlainText that stops once the text holds at least want
// non-space runes (want < 0: never). Collapsing and cleaning a prefix of
// the raw text gives a prefix of the full result, and cleanText drops
// only characters that are not spaces, so a result cut short has at least
// want runes unless it lost some to cleaning; then it is recomputed whole.
func plainText(s string, want int) string {
	if !strings.ContainsAny(s, "<&") {
		return collapseSpace(cleanText(s))
	}
	var b strings.Builder
	z := html.NewTokenizer(strings.NewReader(s))
	hidden, seen := 0, 0
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return collapseSpace(cleanText(b.String()))
		case html.TextToken:
			if hidden > 0 {
				continue
			}
			text := z.Text()
			b.Write(text)
			if want < 0 {
				continue
			}
			if seen += nonSpaceRunes(text); seen >= want {
				out := collapseSpace(cleanText(b.String()))
				if utf8.RuneCountInString(out) >= want {
					return out
				}
				return plainText(s, -1)
			}
		case html.StartTagToken, html.SelfClosingTagToken, html.EndTagToken:
			name, _ := z.TagName()
			hidden = max(0, hidden+hiddenDelta(string(name), tt))
			if !isInline(string(name)) {
				b.WriteByte(' ')
			}
		}
	}
}

// plainTextCut is Truncate(PlainText(s), n), reading only the start of s
// that the cut keeps.
func plainTextCut(s string, n int) string {
	return Truncate(plainTextPrefix(s, n), n)
}

// plainLabel is s as plain text of at most n runes that reads the same
// whether a consumer shows it as text or as HTML: tags are stripped and
// entities decoded until nothing left in it parses as a tag, a comment or
// an entity. One pass is not enough for labels: "&lt;script&gt;" decodes
// to "<script>", which an output that forgets to escape would run. Each
// pass that changes the text shortens it, so the loop ends.
func plainLabel(s string, n int) string {
	out := plainTextCut(s, n)
	for strings.ContainsAny(out, "<&") {
		next := plainTextCut(out, n)
		if next == out {
			break
		}
		out = next
	}
	return out
}

func nonSpaceRunes(p []byte) int {
	n := 0
	for len(p) > 0 {
		r, size := utf8.DecodeRune(p)
		if !unicode.IsSpace(r) {
			n++
		}
		p = p[size:]
	}
	return n
}

// hiddenDelta reports how a tag changes the depth of elements whose text a
// reader never sees (scripts, styles, noscript fallbacks, iframe bodies).
func hiddenDelta(name string, tt html.TokenType) int {
	switch name {
	case "script", "style", "template", "noscript", "iframe", "noembed", "noframes":
		switch tt {
		case html.StartTagToken:
			return 1
		case html.EndTagToken:
			return -1
		}
	}
	return 0
}

// isInline reports phrasing elements that must not become a space: a space
// inside "北京<b>大学</b>" would split a word in scripts without spaces.
func isInline(name string) bool {
	switch name {
	case "a", "abbr", "acronym", "b", "bdi", "bdo", "big", "cite", "code",
		"data", "del", "dfn", "em", "font", "i", "ins", "kbd", "label", "mark",
		"q", "s", "samp", "small", "span", "strike", "strong", "sub", "sup",
		"time", "tt", "u", "var", "wbr":
		return true
	}
	return false
}

func collapseSpace(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// Truncate cuts s to at most n runes, the "…" it appends when it cuts
// included. It never splits a rune, and it backs off so that an emoji
// sequence (ZWJ joins, skin tones, variation selectors, flag pairs) or a
// base letter with combining marks is either kept whole or dropped whole.
// Trailing spaces before the ellipsis are trimmed. n <= 0 gives "".
func Truncate(s string, n int) string {
	if n <= 0 {
		return ""
	}
	end, ok := runeOffset(s, n)
	if !ok {
		return s
	}
	// The first n runes are all the cut looks at: converting the whole of
	// a title of megabytes would cost four bytes a rune for nothing.
	runes := []rune(s[:end])
	keep := clusterBoundary(runes, n-1)
	return strings.TrimRightFunc(string(runes[:keep]), unicode.IsSpace) + ellipsis
}

// runeOffset is the byte offset of s's rune n (counting from 0), and
// false when s holds no more than n runes.
func runeOffset(s string, n int) (int, bool) {
	count := 0
	for i := range s {
		if count == n {
			return i, true
		}
		count++
	}
	return len(s), false
}

// clusterBoundary moves a cut position (the number of runes kept) back until
// it does not fall inside a grapheme cluster, approximated with the
// extenders that occur in real feed text.
func clusterBoundary(r []rune, keep int) int {
	for keep > 0 && keep < len(r) {
		switch {
		case isExtender(r[keep]) || r[keep-1] == zwj:
			keep--
		case isRegional(r[keep]) && isRegional(r[keep-1]) && oddRegionalRun(r[:keep]):
			keep--
		default:
			return keep
		}
	}
	return keep
}

const zwj = '\u200D'

// isExtender reports runes that attach to the rune before them.
func isExtender(r rune) bool {
	switch {
	case r == zwj, r == '\u20E3': // joiner, combining keycap
	case r >= 0xFE00 && r <= 0xFE0F: // variation selectors
	case r >= 0x1F3FB && r <= 0x1F3FF: // skin-tone modifiers
	case r >= 0xE0020 && r <= 0xE007F: // tag characters (subdivision flags)
	case unicode.Is(unicode.Mn, r), unicode.Is(unicode.Me, r):
	default:
		return false
	}
	return true
}

func isRegional(r rune) bool { return r >= 0x1F1E6 && r <= 0x1F1FF }

// oddRegionalRun reports whether r ends with an odd number of regional
// indicators, i.e. the last one is the first half of an unfinished flag.
func oddRegionalRun(r []rune) bool {
	n := 0
	for i := len(r) - 1; i >= 0 && isRegional(r[i]); i-- {
		n++
	}
	return n%2 == 1
}
