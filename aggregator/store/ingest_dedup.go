package store

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/tributary-rss/tributary/aggregator/model"
)

// Admit reports whether section sec may hold entry e (the source's and the
// section's filters). A nil Admit admits everything.
type Admit func(sec model.Section, e model.Entry) bool

// minTitleRunes is the shortest normalized title used for title dedup:
// shorter ones ("新闻", "Update") are names of a column, not of a story.
const minTitleRunes = 6

// dedupKeys holds, per item, the link and title keys the section script
// compares ("" for none).
type dedupKeys struct {
	link, title []string
}

// slice is the keys of items[from:to]. The keys are computed over the
// whole batch first, so a key two items share stays out when they land
// in different parts of it.
func (k dedupKeys) slice(from, to int) dedupKeys {
	return dedupKeys{link: k.link[from:to], title: k.title[from:to]}
}

// newDedupKeys computes the keys of items. A link or title that two items
// of the batch share says nothing about identity (a CMS that links every
// item to its home page, a column titled the same every week), so such a
// key is left out for all of them.
func newDedupKeys(items []ingestItem) dedupKeys {
	k := dedupKeys{link: make([]string, len(items)), title: make([]string, len(items))}
	for i, it := range items {
		k.link[i] = linkKey(it.entry.CanonicalLink)
		k.title[i] = titleKey(it.entry.Title)
	}
	blankRepeats(k.link)
	blankRepeats(k.title)
	return k
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

// linkKey is a fixed-size field name for a canonical link.
func linkKey(canonical string) string {
	if canonical == "" {
		return ""
	}
	return shortDigest(canonical)
}

// titleKey is a fixed-size key of a title's normalized form: NFKC (so
// full-width letters and digits equal their ASCII forms), lower-cased, with
// only letters and digits kept, so "Rust 1.95 released!" and "rust 1.95
// Released" match. Titles too short to name a story get no key.
func titleKey(title string) string {
	t := NormalizeTitle(title)
	if utf8.RuneCountInString(t) < minTitleRunes {
		return ""
	}
	return shortDigest(t)
}

// NormalizeTitle is the form in which two titles are compared for
// dedup_titles.
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
