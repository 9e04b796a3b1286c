package normalize

import (
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// dateBrackets are the pairs CMS templates wrap dates in.
var dateBrackets = [][2]string{{"[", "]"}, {"(", ")"}, {"（", "）"}, {"【", "】"}, {"〔", "〕"}, {"<", ">"}}

// maxLabelRunes bounds a label before a date: "发布时间：", "Date:",
// "更新日期 :"; anything longer is a sentence, not a label.
const maxLabelRunes = 12

// stripDateLabel removes what CMS templates put around a date: brackets
// enclosing the whole string, a label ending in a colon before the
// first digit ("发布时间：2026-10-17", "日期: [2026/10/17]") and the few
// labels written without one ("Posted on", "发布于", see wordLabels). A
// weekday name ("Sat, 17 Oct 2026") has no colon before its first digit
// and stays.
func stripDateLabel(s string) string {
	for range 2 {
		s = stripBrackets(s)
		s = stripLabel(s)
		s = stripWordLabel(s)
	}
	return s
}

// wordLabels are the labels blogs and CMSs print before a date without a
// colon, longest first so "posted on" is taken whole. Each must be
// followed by a space, a digit or a bracket: "Updated" is a label,
// "Updatedness" is not.
var wordLabels = []string{
	"last updated on", "last updated", "published on", "posted on", "updated on",
	"published", "posted", "updated", "date", "on",
	"发布时间", "发布日期", "更新时间", "更新日期", "发布于", "发表于", "更新于", "时间", "日期",
}

func stripWordLabel(s string) string {
	for _, l := range wordLabels {
		if len(s) <= len(l) || !strings.EqualFold(s[:len(l)], l) {
			continue
		}
		next, _ := utf8.DecodeRuneInString(s[len(l):])
		if next == ' ' || (next >= '0' && next <= '9') || isOpenBracket(next) {
			return strings.TrimSpace(s[len(l):])
		}
	}
	return s
}

func isOpenBracket(r rune) bool {
	for _, b := range dateBrackets {
		if o, _ := utf8.DecodeRuneInString(b[0]); o == r {
			return true
		}
	}
	return false
}

// foldWidth turns the full-width forms of ASCII (U+FF01–U+FF5E: "２０２６",
// "－", "：", "（"), which Chinese input methods type, into ASCII, so one
// set of date rules reads both.
func foldWidth(s string) string {
	if !strings.ContainsFunc(s, isFullWidth) {
		return s
	}
	return strings.Map(func(r rune) rune {
		if isFullWidth(r) {
			return r - 0xFEE0
		}
		return r
	}, s)
}

func isFullWidth(r rune) bool { return r >= 0xFF01 && r <= 0xFF5E }

func stripBrackets(s string) string {
	for _, b := range dateBrackets {
		if strings.HasPrefix(s, b[0]) && strings.HasSuffix(s, b[1]) && len(s) > len(b[0])+len(b[1]) {
			return strings.TrimSpace(s[len(b[0]) : len(s)-len(b[1])])
		}
	}
	return s
}

func stripLabel(s string) string {
	digit := strings.IndexFunc(s, func(r rune) bool { return r >= '0' && r <= '9' })
	if digit <= 0 {
		return s
	}
	head := s[:digit]
	colon := max(strings.LastIndex(head, ":"), strings.LastIndex(head, "："))
	if colon < 0 {
		return s
	}
	label := head[:colon]
	if utf8.RuneCountInString(label) > maxLabelRunes || strings.ContainsFunc(label, unicode.IsPunct) {
		return s
	}
	_, size := utf8.DecodeRuneInString(head[colon:])
	return strings.TrimSpace(s[colon+size:])
}

// unixTimestamp reads seconds (10 digits: 2001 to 2286) or milliseconds
// (13 digits) since 1970, as some CMSs write in dc:date. Shorter or longer
// runs of digits are more likely compact dates or ids than times.
func unixTimestamp(s string) (time.Time, bool) {
	if (len(s) != 10 && len(s) != 13) || strings.IndexFunc(s, func(r rune) bool { return r < '0' || r > '9' }) >= 0 {
		return time.Time{}, false
	}
	var n int64
	for i := 0; i < len(s); i++ {
		n = n*10 + int64(s[i]-'0')
	}
	if len(s) == 13 {
		return time.UnixMilli(n).UTC(), true
	}
	return time.Unix(n, 0).UTC(), true
}

// parseDayMonth reads a date without a year: "10-17", "10/17", "10.17" or
// "10月17日", each with an optional clock and zone.
func parseDayMonth(s string) (dateParts, string, bool) {
	sc := scanner{s: s}
	var p dateParts
	var ok bool
	if p.month, ok = sc.digits(1, 2); !ok {
		return p, "", false
	}
	sc.space()
	chinese := sc.lit("月")
	if !chinese {
		if _, ok := sc.oneOf("-/."); !ok {
			return p, "", false
		}
	}
	sc.space()
	if p.day, ok = sc.digits(1, 2); !ok {
		return p, "", false
	}
	if chinese {
		sc.space()
		sc.lit("日")
	}
	return sc.optionalClock(p)
}

// mostRecentYear gives p the year that makes it the latest such day not
// after now's day (now in the source's zone): "12-31" read on January 2nd
// is last year's. February 29th looks back to the last leap year.
func mostRecentYear(p dateParts, now time.Time) (dateParts, bool) {
	today := now.Year()*10000 + int(now.Month())*100 + now.Day()
	for y := now.Year(); y > now.Year()-8; y-- {
		p.year = y
		if p.valid() && y*10000+p.month*100+p.day <= today {
			return p, true
		}
	}
	return p, false
}
