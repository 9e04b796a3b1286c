package normalize

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/tributary-rss/tributary/aggregator/model"
)

// minTitleRunes is the shortest normalized title used for title dedup:
// shorter ones ("新闻", "Update") are names of a column, not of a story.
const minTitleRunes = 6

// DedupKeys returns, per entry, the link and title keys a section compares
// to recognize one story told by two sources ("" for none). A link or
// title that two entries of the batch share says nothing about identity (a
// CMS that links every item to its home page, a column titled the same
// every week), so such a key is left out for all of them.
func DedupKeys(entries []model.Entry) (link, title []string) {
	title = make([]string, len(entries))
	for i, e := range entries {
		title[i] = TitleKey(e.Title)
	}
	blankRepeats(title)
	return LinkKeys(entries), title
}

// LinkKeys is the link half of DedupKeys: a source also recognizes its own
// entry by it when the feed changes the entry's guid.
func LinkKeys(entries []model.Entry) []string {
	link := make([]string, len(entries))
	for i, e := range entries {
		link[i] = LinkKey(e.CanonicalLink)
	}
	blankRepeats(link)
	return link
}

func blankRepeats(keys []string) {
	count := make(map[string]int, len(keys))
	for _, k := range keys {
		count[k]++
	}
	for i, k := range keys {
		if count[k] > 1 {
			keys[i] = ""
		}
	}
}

// LinkKey is a fixed-size key for a canonical link.
func LinkKey(canonical string) string {
	if canonical == "" {
		return ""
	}
	return shortDigest(canonical)
}

// TitleKey is a fixed-size key of a title's normalized form (see
// NormalizeTitle); titles too short to name a story get none.
func TitleKey(title string) string {
	t := NormalizeTitle(title)
	if utf8.RuneCountInString(t) < minTitleRunes {
		return ""
	}
	return shortDigest(t)
}

// NormalizeTitle is the form in which two titles are compared for
// dedup_titles: NFKC (so full-width letters and digits equal their ASCII
// forms), lower-cased, only letters and digits kept, so "Rust 1.95
// released!" and "rust 1.95 Released" match.
func NormalizeTitle(title string) string {
	var b strings.Builder
	for _, r := range norm.NFKC.String(title) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

func shortDigest(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:8])
}
