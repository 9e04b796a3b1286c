package normalize

import "regexp"

// List pages print dates among other text ("点击：123 日期：2026/10/17",
// "作者：张三 发布时间：2026-10-17 浏览次数：88"), and some feeds put such a
// line in their date element. When the whole text is no date, these find
// one inside it: with a year ("2026-10-17", "2026/10/17", "2026年10月17日")
// or without ("10-17", "10月17日"), each with an optional time and, for
// machine-written attributes (<time datetime>), seconds and a zone.
var (
	fullDateRe = regexp.MustCompile(`(?:^|\D)(\d{4}(?:[-/.]\d{1,2}[-/.]\d{1,2}|\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日?)` + clockPattern + `)(?:\D|$)`)
	// Without a year the match is stricter: "v2.1", "1.2.3" and "ver 2.1"
	// in a feed's date element are version numbers, not February 1st, so
	// a dot does not separate a day, and a Latin letter or dot before it
	// rules the match out.
	dayDateRe = regexp.MustCompile(`(?:^|[^A-Za-z\d.])(\d{1,2}(?:[-/]\d{1,2}|\s*月\s*\d{1,2}\s*日?)` + clockPattern + `)(?:[^\d.]|$)`)
)

const clockPattern = `(?:(?:\s*|T)\d{1,2}(?:[:：]\d{2}(?:[:：]\d{2}(?:\.\d+)?)?|\s*[时点]\s*\d{1,2}\s*分?)(?:Z|\s*[+-]\d{2}:?\d{2})?)?`

// maxDateSearch bounds the text searched for a date inside other text:
// a date element of a list page holds a line, not a page, and the search
// must cost the same whatever a source puts there.
const maxDateSearch = 1024

// findDate returns the date inside s: the first date with a year, else
// the first without, else "".
func findDate(s string) string {
	if len(s) > maxDateSearch {
		s = s[:maxDateSearch]
	}
	for _, re := range []*regexp.Regexp{fullDateRe, dayDateRe} {
		if m := re.FindStringSubmatch(s); m != nil {
			return m[1]
		}
	}
	return ""
}
