package normalize

import (
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/tributary-rss/tributary/aggregator/model"
)

// ApplyArticle completes e, an entry as its source listed it, with what
// its fetched article says of itself (m), and keeps m in e.Article so a
// re-poll can complete the list's copy again the same way. It is pure:
// the store applies it when it saves an article and on every re-poll of
// an entry whose article it holds.
//
//   - Title: the article's headline replaces a title the list cut ("…",
//     "...", "⋯", "..") when the cut title, mark and white space
//     ignored, begins the headline or closely matches it (a page's
//     unrelated heading, a banner with the school's name, never replaces
//     a headline); a title the list left out (empty, or the link) is the
//     headline; a title cut without a mark is replaced when it begins the
//     headline and the headline goes on mid-word. A title the list gave
//     whole stays.
//   - Published: the article's time replaces a list date that gave only
//     a day (midnight in the source's zone) when it falls on that same
//     day, so same-day entries sort by their real times; an entry the
//     list left undated takes the article's date. An entry never moves
//     to another day: a list date of another day stays. Updated follows
//     when it only stood in for the published time.
//   - Author: the article's fills an entry that has none.
func ApplyArticle(e model.Entry, m *model.ArticleMeta) model.Entry {
	if m.IsZero() {
		return e
	}
	e.Article = m
	if replacesTitle(e, m.Title) {
		e.Title = m.Title
	}
	if t, ok := refinesPublished(e, m.Published); ok {
		if !e.Updated.After(e.Published) || e.Updated.Before(t) {
			e.Updated = t.UTC()
		}
		e.Published, e.NoDate = t.UTC(), false
	}
	if e.Author == "" {
		e.Author = m.Author
	}
	return e
}

// minCutRunes is the shortest cut title whose start identifies a
// headline; minBareCutRunes the shortest one cut without a mark.
const (
	minCutRunes     = 4
	minBareCutRunes = 8
)

// replacesTitle reports whether the headline replaces e's title (see
// ApplyArticle).
func replacesTitle(e model.Entry, headline string) bool {
	hk := titleKey(headline)
	if hk == "" || e.Title == headline {
		return false
	}
	if titleAbsent(e) {
		return true
	}
	stem, cut := cutTitle(e.Title)
	lk := titleKey(stem)
	switch {
	case lk == hk:
		return cut
	case cut:
		return utf8.RuneCountInString(lk) >= minCutRunes && (strings.HasPrefix(hk, lk) || closeTitles(lk, hk))
	}
	return utf8.RuneCountInString(lk) >= minBareCutRunes && strings.HasPrefix(hk, lk) && goesOnMidWord(headline, lk)
}

// titleAbsent reports whether e's title is none the list gave: empty, or
// its link standing in (whole or cut).
func titleAbsent(e model.Entry) bool {
	t := strings.TrimSpace(e.Title)
	if t == "" {
		return true
	}
	stem, _ := cutTitle(t)
	return e.Link != "" && (t == e.Link || stem != "" && strings.HasPrefix(e.Link, stem))
}

// cutTitle is title without the mark a list cut it with, and whether it
// had one.
func cutTitle(title string) (string, bool) {
	t := strings.TrimRightFunc(title, unicode.IsSpace)
	stem := strings.TrimRight(t, ".…⋯。．")
	mark := t[len(stem):]
	cut := strings.ContainsAny(mark, "…⋯") || strings.Count(mark, ".")+strings.Count(mark, "．") >= 2 || strings.Count(mark, "。") >= 3
	if !cut {
		return title, false
	}
	return strings.TrimRightFunc(stem, unicode.IsSpace), true
}

// closeTitles reports whether the cut title's key lk closely matches the
// headline's key hk: they begin alike and nine tenths of lk's runes occur
// in hk in order (a list title edited a little after the article was
// published).
func closeTitles(lk, hk string) bool {
	l, h := []rune(lk), []rune(hk)
	if len(l) < 6 || len(h) < len(l) || string(l[:4]) != string(h[:4]) {
		return false
	}
	return 10*commonSubsequence(l, h) >= 9*len(l)
}

// commonSubsequence is the length of the longest common subsequence of a
// and b; titles are short, so the quadratic table is cheap.
func commonSubsequence(a, b []rune) int {
	prev, cur := make([]int, len(b)+1), make([]int, len(b)+1)
	for i := range a {
		for j := range b {
			switch {
			case a[i] == b[j]:
				cur[j+1] = prev[j] + 1
			default:
				cur[j+1] = max(cur[j], prev[j+1])
			}
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// goesOnMidWord reports whether the headline, past the runes whose key is
// lk, goes on with a letter or a digit: a list that cut it without a
// mark, not one that gave it whole where the headline only adds a name
// after a space or a bracket.
func goesOnMidWord(headline, lk string) bool {
	n := utf8.RuneCountInString(lk)
	for _, r := range headline {
		if n == 0 {
			return unicode.IsLetter(r) || unicode.IsDigit(r)
		}
		if isKeyRune(r) {
			n--
		}
	}
	return false
}

// titleKey is s reduced to what tells two titles apart: letters and
// digits, full-width forms folded, lower case.
func titleKey(s string) string {
	var b strings.Builder
	for _, r := range s {
		if isKeyRune(r) {
			b.WriteRune(unicode.ToLower(foldRune(r)))
		}
	}
	return b.String()
}

func isKeyRune(r rune) bool {
	r = foldRune(r)
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

// foldRune maps a full-width ASCII form to its ASCII rune.
func foldRune(r rune) rune {
	if r >= '！' && r <= '～' {
		return r - 0xFEE0
	}
	return r
}

// refinesPublished returns the article's time t when it refines e's
// date (see ApplyArticle).
func refinesPublished(e model.Entry, t time.Time) (time.Time, bool) {
	if t.IsZero() {
		return time.Time{}, false
	}
	if e.NoDate {
		return t, true
	}
	listed := e.Published.In(t.Location())
	if !midnight(listed) || midnight(t) {
		return time.Time{}, false
	}
	ly, lm, ld := listed.Date()
	ty, tm, td := t.Date()
	return t, ly == ty && lm == tm && ld == td
}

// midnight reports whether t is at 00:00:00 of its day: a date printed
// without a time.
func midnight(t time.Time) bool {
	h, m, s := t.Clock()
	return h == 0 && m == 0 && s == 0 && t.Nanosecond() == 0
}
