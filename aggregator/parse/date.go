package parse

import (
	"regexp"
)

// CMS list pages print dates in a handful of shapes, often wrapped in a
// label ("发布时间：") or brackets, or next to a view count. These find the
// date itself: with a year ("2026-10-17", "2026/10/17", "2026年10月17日")
// or without ("10-17", "10月17日"), each with an optional time and, for
// machine-written attributes (<time datetime>), seconds and a zone.
var (
	fullDateRe = regexp.MustCompile(`(?:^|\D)(\d{4}(?:[-/.]\d{1,2}[-/.]\d{1,2}|\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日?)` + clockPattern + `)(?:\D|$)`)
	dayDateRe  = regexp.MustCompile(`(?:^|\D)(\d{1,2}(?:[-/.]\d{1,2}|\s*月\s*\d{1,2}\s*日?)` + clockPattern + `)(?:\D|$)`)
)

const clockPattern = `(?:(?:\s*|T)\d{1,2}[:：]\d{2}(?:[:：]\d{2}(?:\.\d+)?)?(?:Z|\s*[+-]\d{2}:?\d{2})?)?`

// dateText returns the date inside raw for the normalizer's date parser:
// the first full date, else the first date without a year, else raw with
// its white space collapsed (an RFC 822 date, or text no rule knows).
func dateText(raw string) string {
	s := collapse(raw)
	for _, re := range []*regexp.Regexp{fullDateRe, dayDateRe} {
		if m := re.FindStringSubmatch(s); m != nil {
			return m[1]
		}
	}
	return s
}
