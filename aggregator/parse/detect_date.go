package parse

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Finding an item's date wherever the template prints it: in a date
// cell, inside the link ("标题 [2021-05-19]"), in two parts
// (<p>03/10</p><span>2025</span>, <span>10</span><p>2025-03</p>), or
// without a year ("[12-05]"). The text found is handed to the normalizer
// as the item's date (a date without a year gets its year there, against
// the fetch time in the source's zone); this package only finds it.

// The parts of a date printed in two pieces (see splitDate).
var (
	monthDayPartRe  = regexp.MustCompile(`^(\d{1,2})(?:[-/.]|月)(\d{1,2})日?$`)
	yearPartRe      = regexp.MustCompile(`^(\d{4})年?$`)
	dayPartRe       = regexp.MustCompile(`^(\d{1,2})日?$`)
	yearMonthPartRe = regexp.MustCompile(`^(\d{4})(?:[-/.]|年)(\d{1,2})月?$`)
)

// dateLabels are what templates print before a date; a text holding a
// date and one of these only is the date.
var dateLabels = []string{
	"发布时间", "发布日期", "更新时间", "更新日期", "发表时间", "发文日期", "成文日期", "公布日期",
	"发布于", "发表于", "更新于", "时间", "日期", "posted on", "published", "updated", "posted", "date",
}

// Ranks of a date found in an item, best first: where the date sits
// says more than the order it comes in. A date in an element marked as
// one (class="date", <td class="rq">) beats one in a bare <span>, a text
// that is only a date beats a date inside a sentence (a summary's
// "3月10日下午，…"), and a date that is part of the title ("关于2025-03-10
// 停电的通知") comes last.
const (
	rankTimeAttr = iota
	rankMarked
	rankPure
	rankDayMarked
	rankDayPure
	rankInText
	rankDayBracketed
	rankInTitle
	rankDayInTitle
	rankNone
)

// foundDate is an item's date as found.
type foundDate struct {
	// text is what the normalizer reads: the date as printed ("2025年3月10日",
	// "12-05"), or put together from its parts ("2025-03-10").
	text string
	// node is the element holding it (all its parts).
	node *html.Node
	rank int
}

// textPiece is one text node of an item.
type textPiece struct {
	text   string
	parent *html.Node
	marked bool // inside an element marked as a date
}

// itemPieces are the text nodes of item in document order.
func itemPieces(item *html.Node) []textPiece {
	var out []textPiece
	var walk func(n *html.Node, marked bool)
	walk = func(n *html.Node, marked bool) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			switch {
			case c.Type == html.TextNode:
				if t := collapse(c.Data); t != "" {
					out = append(out, textPiece{text: t, parent: n, marked: marked})
				}
			case c.Type == html.ElementNode && !skipText(c):
				walk(c, marked || marksDate(c))
			}
		}
	}
	walk(item, marksDate(item))
	return out
}

// marksDate reports whether a template marked n as holding a date: <time>,
// or a class or id naming one (date, time, pubdate, rq 日期, sj 时间, and
// "data", the commonest misspelling of date in CMS templates).
func marksDate(n *html.Node) bool {
	if n.DataAtom == atom.Time {
		return true
	}
	for _, key := range []string{"class", "id"} {
		for _, w := range strings.Fields(strings.ToLower(attrVal(n, key))) {
			switch w {
			case "rq", "sj", "fbsj", "fbrq", "day", "data", "riqi", "shijian":
				return true
			}
			if strings.Contains(w, "date") || strings.Contains(w, "time") || strings.Contains(w, "publish") {
				return true
			}
		}
	}
	return false
}

// findItemDate is the best date in item (see the ranks); title is the
// item's title as read, to tell a date in the title from the item's own.
func findItemDate(item *html.Node, title string) (foundDate, bool) {
	best := foundDate{rank: rankNone}
	if t := firstTimeAttr(item); t != nil {
		return foundDate{text: collapse(attrVal(t, "datetime")), node: t, rank: rankTimeAttr}, true
	}
	pieces := itemPieces(item)
	for i, p := range pieces {
		if d, ok := pieceDate(p, title); ok && d.rank < best.rank {
			best = d
		}
		if d, ok := splitDate(pieces, i, item); ok && d.rank < best.rank {
			best = d
		}
	}
	return best, best.rank < rankNone
}

// firstTimeAttr is the first <time datetime> in n.
func firstTimeAttr(n *html.Node) *html.Node {
	if isElement(n, atom.Time) && strings.TrimSpace(attrVal(n, "datetime")) != "" {
		return n
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode {
			if t := firstTimeAttr(c); t != nil {
				return t
			}
		}
	}
	return nil
}

// pieceDate is the date inside one text piece.
func pieceDate(p textPiece, title string) (foundDate, bool) {
	sp, ok := firstDate(p.text)
	if !ok {
		return foundDate{}, false
	}
	text := p.text[sp.start:sp.end]
	if !plausibleDate(text, sp.full) {
		return foundDate{}, false
	}
	rank := rankNone
	switch {
	case strings.Contains(title, text):
		rank = pickRank(sp.full, rankInTitle, rankDayInTitle)
	case onlyDate(p.text, sp.start, sp.end):
		rank = pickRank(sp.full, pickRank(p.marked, rankMarked, rankPure), pickRank(p.marked, rankDayMarked, rankDayPure))
	case sp.full:
		rank = rankInText
	case bracketed(p.text, sp.start, sp.end):
		rank = rankDayBracketed
	}
	return foundDate{text: text, node: p.parent, rank: rank}, rank < rankNone
}

func pickRank(cond bool, yes, no int) int {
	if cond {
		return yes
	}
	return no
}

// onlyDate reports whether s is the date at s[start:end] and nothing but
// labels, brackets and punctuation around it ("[2025-03-10]",
// "发布时间：2025-03-10").
func onlyDate(s string, start, end int) bool {
	rest := strings.ToLower(s[:start] + " " + s[end:])
	for _, l := range dateLabels {
		rest = strings.ReplaceAll(rest, l, "")
	}
	return !strings.ContainsFunc(rest, func(r rune) bool {
		return unicode.IsLetter(r) || unicode.IsDigit(r)
	})
}

// bracketed reports whether the date at s[start:end] is enclosed in
// brackets: "标题[12-05]".
func bracketed(s string, start, end int) bool {
	before := strings.TrimRight(s[:start], " ")
	after := strings.TrimLeft(s[end:], " ")
	return strings.HasSuffix(before, "[") && strings.HasPrefix(after, "]") ||
		strings.HasSuffix(before, "(") && strings.HasPrefix(after, ")") ||
		strings.HasSuffix(before, "（") && strings.HasPrefix(after, "）") ||
		strings.HasSuffix(before, "【") && strings.HasPrefix(after, "】") ||
		strings.HasSuffix(before, "〔") && strings.HasPrefix(after, "〕")
}

// plausibleDate checks the numbers of a date: a year a web page may
// carry, a month, a day (full: with a year).
func plausibleDate(text string, full bool) bool {
	n := dateNumbers(text)
	if full {
		return len(n) >= 3 && plausibleYMD(n[0], n[1], n[2])
	}
	return len(n) >= 2 && plausibleYMD(2000, n[0], n[1])
}

func plausibleYMD(y, m, d int) bool {
	return y >= 1970 && y <= 2199 && m >= 1 && m <= 12 && d >= 1 && d <= 31
}

func atoiDigits(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

// splitDate is the date printed in two parts starting at pieces[i]: a
// month and day beside a year (<p>03/10</p><span>2025</span>,
// "03-10<br>2025"), or a day beside a year and month
// (<span>10</span><p>2025-03</p>), in either order, in two pieces or in
// one ("10 2025.03").
func splitDate(pieces []textPiece, i int, item *html.Node) (foundDate, bool) {
	parts := dateTokens(pieces[i].text)
	nodeB := pieces[i].parent
	if len(parts) == 1 && i+1 < len(pieces) {
		next := dateTokens(pieces[i+1].text)
		if len(next) != 1 {
			return foundDate{}, false
		}
		parts = append(parts, next[0])
		nodeB = pieces[i+1].parent
	}
	if len(parts) != 2 {
		return foundDate{}, false
	}
	y, m, d, ok := splitParts(parts[0], parts[1])
	if !ok {
		if y, m, d, ok = splitParts(parts[1], parts[0]); !ok {
			return foundDate{}, false
		}
	}
	node := commonAncestor(pieces[i].parent, nodeB, item)
	marked := pieces[i].marked || (node != nil && marksDate(node))
	return foundDate{text: fmt.Sprintf("%04d-%02d-%02d", y, m, d), node: node, rank: pickRank(marked, rankMarked, rankPure)}, true
}

// dateTokens are the words of a piece that is only numbers of a date
// (digits, date separators, 年月日, brackets); nil for any other text.
func dateTokens(s string) []string {
	for _, r := range s {
		if !(r >= '0' && r <= '9') && !strings.ContainsRune(" -/.年月日[]()（）【】", r) {
			return nil
		}
	}
	return strings.FieldsFunc(s, func(r rune) bool { return strings.ContainsRune(" []()（）【】", r) })
}

// splitParts reads a (the month and day, or the day) and b (the year, or
// the year and month).
func splitParts(a, b string) (y, m, d int, ok bool) {
	if md := monthDayPartRe.FindStringSubmatch(a); md != nil {
		if yr := yearPartRe.FindStringSubmatch(b); yr != nil {
			y, m, d = atoiDigits(yr[1]), atoiDigits(md[1]), atoiDigits(md[2])
			return y, m, d, plausibleYMD(y, m, d)
		}
	}
	if dd := dayPartRe.FindStringSubmatch(a); dd != nil {
		if ym := yearMonthPartRe.FindStringSubmatch(b); ym != nil {
			y, m, d = atoiDigits(ym[1]), atoiDigits(ym[2]), atoiDigits(dd[1])
			return y, m, d, plausibleYMD(y, m, d)
		}
	}
	return 0, 0, 0, false
}

// commonAncestor is the nearest element holding both a and b, not above
// limit.
func commonAncestor(a, b, limit *html.Node) *html.Node {
	for x := a; x != nil; x = x.Parent {
		for y := b; y != nil; y = y.Parent {
			if x == y {
				return x
			}
			if y == limit {
				break
			}
		}
		if x == limit {
			break
		}
	}
	return limit
}

// stripTitleDate removes a date the template printed inside the link
// text, before or after the headline: "标题 [ 2021-05-19 ]",
// "标题(2025-03-10)", "[12-05]标题", "2025-03-10 标题". A text that is
// only a date stays.
func stripTitleDate(s string) string {
	spans := scanDates(s)
	if len(spans) == 0 {
		return s
	}
	if rest, ok := cutDateAtEnd(s, spans[len(spans)-1]); ok && rest != "" {
		s = rest
		if spans = scanDates(s); len(spans) == 0 {
			return s
		}
	}
	if rest, ok := cutDateAtStart(s, spans[0]); ok && rest != "" {
		s = rest
	}
	return s
}

// titleBrackets are the brackets a date in a link text is put in.
var titleBrackets = [][2]string{{"[", "]"}, {"【", "】"}, {"(", ")"}, {"（", "）"}, {"〔", "〕"}}

// cutDateAtEnd is s without the date sp when sp ends it: in brackets,
// with a year, or as a two-digit month and day after a space.
func cutDateAtEnd(s string, sp span) (string, bool) {
	text := s[sp.start:sp.end]
	if !plausibleDate(text, sp.full) {
		return s, false
	}
	before := strings.TrimRight(s[:sp.start], " ")
	after := strings.TrimSpace(s[sp.end:])
	switch {
	case after != "":
		for _, b := range titleBrackets {
			if after == b[1] && strings.HasSuffix(before, b[0]) {
				return strings.TrimSpace(strings.TrimSuffix(before, b[0])), true
			}
		}
		return s, false
	case sp.full:
		return before, true
	case sp.start > 0 && s[sp.start-1] == ' ' && len(text) == 5:
		return before, true
	}
	return s, false
}

// cutDateAtStart is s without the date sp when sp starts it: in
// brackets, or with a year and a space after it.
func cutDateAtStart(s string, sp span) (string, bool) {
	text := s[sp.start:sp.end]
	if !plausibleDate(text, sp.full) {
		return s, false
	}
	before := strings.TrimSpace(s[:sp.start])
	after := strings.TrimLeft(s[sp.end:], " ")
	if before == "" {
		if sp.full && sp.end < len(s) && s[sp.end] == ' ' {
			return strings.TrimSpace(after), true
		}
		return s, false
	}
	for _, b := range titleBrackets {
		if before == b[0] && strings.HasPrefix(after, b[1]) {
			return strings.TrimSpace(after[len(b[1]):]), true
		}
	}
	return s, false
}
