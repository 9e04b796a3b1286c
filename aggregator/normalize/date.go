package normalize

import (
	"strings"
	"time"
)

// dateParts is a calendar date and wall-clock time before a zone is applied.
type dateParts struct {
	year, month, day     int
	hour, minute, second int
	nsec                 int
}

// valid rejects values time.Date would silently normalize (Feb 30 → Mar 2).
func (p dateParts) valid() bool {
	if p.year < 1000 || p.year > 9999 || p.month < 1 || p.month > 12 || p.day < 1 {
		return false
	}
	last := time.Date(p.year, time.Month(p.month)+1, 0, 0, 0, 0, 0, time.UTC).Day()
	return p.day <= last && p.hour <= 23 && p.minute <= 59 && p.second <= 60
}

func (p dateParts) in(loc *time.Location) time.Time {
	return time.Date(p.year, time.Month(p.month), p.day, p.hour, p.minute, p.second, p.nsec, loc)
}

// ParseDateAt parses the date formats found in real feeds and returns the
// instant in UTC. Dates without a zone are read in loc (UTC when nil).
//
// Accepted: RFC 1123/822 and their variants (with or without weekday and
// seconds, two-digit years, numeric zones, GMT/UTC/Z, abbreviations, a
// trailing "(CST)" comment), RFC 3339 with or without fractional seconds,
// ISO dates and times without a zone ("2006-01-02T15:04:05",
// "2006-01-02 15:04[:05]", "2006-01-02"), the same with "/" or ".",
// Chinese dates ("2006年1月2日 15:04", "2006 年 1 月 2 日 15时04分"),
// English month-first dates ("January 2, 2006 3:04 PM"), ANSI C /
// Unix date output, and dates list templates print in two parts ("03/10
// 2025", "10 2025-03", see parseSplitDate). Full-width digits and punctuation read as ASCII.
// Surrounding whitespace is ignored, and so are the labels and brackets
// CMSs and blogs wrap dates in ("发布时间：2026-10-17", "[2026-10-17]",
// "Posted on 2026-10-17", see stripDateLabel). Unix timestamps in seconds
// (10 digits) or milliseconds (13 digits), which some CMSs write in
// dc:date, are read as such. Zone abbreviations are resolved by
// resolveZone. Dates without a year of CMS list pages ("10-17", "10/17",
// "10月17日", each with an optional time) are the most recent such day in
// loc that is not after now's day; a zero now reads them as nothing. When
// the whole text is none of these, the first date inside it is read
// ("点击：123 日期：2026/10/17", see findDate): list pages print dates
// among view counts and authors.
func ParseDateAt(raw string, loc *time.Location, now time.Time) (time.Time, bool) {
	if loc == nil {
		loc = time.UTC
	}
	if len(raw) > 4*maxDateSearch {
		raw = raw[:4*maxDateSearch]
	}
	s := foldWidth(collapseSpace(raw))
	if s == "" {
		return time.Time{}, false
	}
	if len(s) <= maxDateLen {
		if t, ok := parseWhole(stripDateLabel(s), loc, now); ok {
			return t, true
		}
	}
	if d := findDate(s); d != "" {
		return parseWhole(d, loc, now)
	}
	return time.Time{}, false
}

// maxDateLen bounds the text read as a whole date, labels included; a
// longer text is searched for a date instead (findDate).
const maxDateLen = 128

// parseWhole reads s as one date, nothing before or after it.
func parseWhole(s string, loc *time.Location, now time.Time) (time.Time, bool) {
	if t, ok := unixTimestamp(s); ok {
		return t, true
	}
	for _, parse := range []func(string) (dateParts, string, bool){parseNumericDate, parseChineseDate, parseRFC822Date, parseMonthFirstDate, parseANSICDate, parseSplitDate} {
		p, zone, ok := parse(s)
		if !ok {
			continue
		}
		if p, zone, ok = meridiem(p, zone); !ok || !p.valid() {
			continue
		}
		return zoned(p, zone, loc)
	}
	if now.IsZero() {
		return time.Time{}, false
	}
	if p, zone, ok := parseDayMonth(s); ok {
		if p, zone, ok = meridiem(p, zone); ok {
			if p, ok = mostRecentYear(p, now.In(loc)); ok {
				return zoned(p, zone, loc)
			}
		}
	}
	return time.Time{}, false
}

// meridiem applies an "AM"/"PM" (also "a.m.", "p.m.") that follows the
// clock to the hour and returns the zone after it; left as the zone, "PM"
// would read as an unknown abbreviation and 2:30 PM as 02:30. With a
// meridiem the hour must be 1–12.
func meridiem(p dateParts, zone string) (dateParts, string, bool) {
	token, rest, _ := strings.Cut(zone, " ")
	switch strings.ToLower(strings.ReplaceAll(token, ".", "")) {
	case "am":
		if p.hour < 1 || p.hour > 12 {
			return p, zone, false
		}
		p.hour %= 12
	case "pm":
		if p.hour < 1 || p.hour > 12 {
			return p, zone, false
		}
		p.hour = p.hour%12 + 12
	default:
		return p, zone, true
	}
	return p, strings.TrimSpace(rest), true
}

func zoned(p dateParts, zone string, loc *time.Location) (time.Time, bool) {
	t, ok := resolveZone(p, zone, loc)
	if !ok {
		return time.Time{}, false
	}
	return t.UTC(), true
}

// parseNumericDate reads "2006-01-02[(T| )15:04[:05[.000]]][zone]" with "-",
// "/" or "." between the date fields.
func parseNumericDate(s string) (dateParts, string, bool) {
	sc := scanner{s: s}
	var p dateParts
	var ok bool
	if p.year, ok = sc.digits(4, 4); !ok {
		return p, "", false
	}
	sep, ok := sc.oneOf("-/.")
	if !ok {
		return p, "", false
	}
	if p.month, ok = sc.digits(1, 2); !ok || !sc.lit(sep) {
		return p, "", false
	}
	if p.day, ok = sc.digits(1, 2); !ok {
		return p, "", false
	}
	if sc.done() {
		return p, "", true
	}
	if _, ok := sc.oneOf("Tt "); !ok {
		return p, "", false
	}
	if !sc.clock(&p) {
		return p, "", false
	}
	return p, sc.rest(), true
}

// parseChineseDate reads "2006年1月2日[ 15:04[:05]]", also with spaces
// around the characters, "号" for "日" or neither, full-width colons and
// "15时04分" for the clock.
func parseChineseDate(s string) (dateParts, string, bool) {
	sc := scanner{s: s}
	var p dateParts
	var ok bool
	if p.year, ok = sc.digits(4, 4); !ok || !sc.unit("年") {
		return p, "", false
	}
	if p.month, ok = sc.digits(1, 2); !ok || !sc.unit("月") {
		return p, "", false
	}
	if p.day, ok = sc.digits(1, 2); !ok {
		return p, "", false
	}
	if !sc.unit("日") {
		sc.unit("号")
	}
	return sc.optionalClock(p)
}

// parseMonthFirstDate reads "January 2, 2006[ 15:04[:05] [zone]]" as
// English blogs print it, also with abbreviated months, "2nd" and without
// the comma.
func parseMonthFirstDate(s string) (dateParts, string, bool) {
	sc := scanner{s: s}
	var p dateParts
	var ok bool
	if p.month, ok = monthByName(sc.word()); !ok {
		return p, "", false
	}
	sc.lit(".")
	if !sc.lit(" ") {
		return p, "", false
	}
	if p.day, ok = sc.digits(1, 2); !ok {
		return p, "", false
	}
	if suffix := strings.ToLower(sc.word()); suffix != "" && suffix != "st" && suffix != "nd" && suffix != "rd" && suffix != "th" {
		return p, "", false
	}
	sc.lit(",")
	if !sc.lit(" ") {
		return p, "", false
	}
	if p.year, ok = sc.digits(4, 4); !ok {
		return p, "", false
	}
	sc.lit(",")
	sc.space()
	if sc.lit("at ") {
		sc.space()
	}
	return sc.optionalClock(p)
}

// parseRFC822Date reads "[Mon[,]] 2 Jan 2006[ 15:04[:05] [zone]]", also with
// full month names, two-digit years and "-" between the date fields.
func parseRFC822Date(s string) (dateParts, string, bool) {
	sc := scanner{s: s}
	var p dateParts
	if w := sc.word(); w != "" {
		sc.lit(",")
		sc.space()
	}
	var ok bool
	if p.day, ok = sc.digits(1, 2); !ok {
		return p, "", false
	}
	sc.oneOf(" -")
	if p.month, ok = monthByName(sc.word()); !ok {
		return p, "", false
	}
	sc.lit(".")
	sc.oneOf(" -")
	if p.year, ok = sc.year(); !ok {
		return p, "", false
	}
	return sc.optionalClock(p)
}

// parseANSICDate reads "Mon Jan 2 15:04:05 [MST ]2006", the output of
// ctime(3) and date(1) that some hand-written feeds carry.
func parseANSICDate(s string) (dateParts, string, bool) {
	sc := scanner{s: s}
	var p dateParts
	var ok bool
	if sc.word() == "" || !sc.lit(" ") {
		return p, "", false
	}
	if p.month, ok = monthByName(sc.word()); !ok || !sc.lit(" ") {
		return p, "", false
	}
	if p.day, ok = sc.digits(1, 2); !ok || !sc.lit(" ") || !sc.clock(&p) || !sc.lit(" ") {
		return p, "", false
	}
	zone := ""
	if w := sc.word(); w != "" {
		zone = w
		if !sc.lit(" ") {
			return p, "", false
		}
	}
	if p.year, ok = sc.digits(4, 4); !ok || !sc.done() {
		return p, "", false
	}
	return p, zone, true
}

// parseSplitDate reads a date list templates print in two parts, which a
// date selector on their container reads as one text: the month and day
// beside the year ("03/10 2025", "2025 03-10", "3月10日 2025": <p>03/10</p>
// <span>2025</span>), or the day beside the year and month ("10 2025-03",
// "2025.03 10", "10 2025年03月": <span>10</span><p>2025-03</p>), in either
// order. Each part must be exactly that, and the year plausible for a
// web page, so that numbers beside a year ("12 2025", "浏览 1203 次") are
// no date.
func parseSplitDate(s string) (dateParts, string, bool) {
	a, b, ok := strings.Cut(s, " ")
	if !ok || strings.Contains(b, " ") {
		return dateParts{}, "", false
	}
	for _, pair := range [][2]string{{a, b}, {b, a}} {
		if p, ok := splitMonthDay(pair[0], pair[1]); ok {
			return p, "", true
		}
		if p, ok := splitDay(pair[0], pair[1]); ok {
			return p, "", true
		}
	}
	return dateParts{}, "", false
}

// Years a date printed in parts may carry; outside them two numbers are
// more likely counts than a date.
const splitMinYear, splitMaxYear = 1970, 2199

// splitMonthDay reads md as "03/10" ("-", "." or "3月10日" too) and y as
// "2025" ("2025年").
func splitMonthDay(md, y string) (dateParts, bool) {
	var p dateParts
	sc := scanner{s: md}
	var ok bool
	if p.month, ok = sc.digits(1, 2); !ok {
		return p, false
	}
	chinese := sc.unit("月")
	if !chinese {
		if _, ok := sc.oneOf("-/."); !ok {
			return p, false
		}
	}
	if p.day, ok = sc.digits(1, 2); !ok {
		return p, false
	}
	if chinese {
		sc.unit("日")
	}
	if !sc.done() {
		return p, false
	}
	p.year, ok = splitYear(y, "年")
	return p, ok
}

// splitDay reads d as "10" ("10日") and ym as "2025-03" ("/", "." or
// "2025年03月" too).
func splitDay(d, ym string) (dateParts, bool) {
	var p dateParts
	sc := scanner{s: d}
	var ok bool
	if p.day, ok = sc.digits(1, 2); !ok {
		return p, false
	}
	if sc.unit("日"); !sc.done() {
		return p, false
	}
	sc = scanner{s: ym}
	if p.year, ok = sc.digits(4, 4); !ok || p.year < splitMinYear || p.year > splitMaxYear {
		return p, false
	}
	chinese := sc.unit("年")
	if !chinese {
		if _, ok := sc.oneOf("-/."); !ok {
			return p, false
		}
	}
	if p.month, ok = sc.digits(1, 2); !ok {
		return p, false
	}
	if chinese {
		sc.unit("月")
	}
	return p, sc.done()
}

// splitYear reads s as a year alone, with an optional unit after it.
func splitYear(s, unit string) (int, bool) {
	sc := scanner{s: s}
	y, ok := sc.digits(4, 4)
	if !ok || y < splitMinYear || y > splitMaxYear {
		return 0, false
	}
	sc.unit(unit)
	return y, sc.done()
}

// monthByName accepts English month names, abbreviated to three letters
// ("Sept" too) or in full, in any case.
func monthByName(w string) (int, bool) {
	if len(w) < 3 {
		return 0, false
	}
	lw := strings.ToLower(w)
	for m := time.January; m <= time.December; m++ {
		full := strings.ToLower(m.String())
		if lw == full || lw == full[:3] || (m == time.September && lw == "sept") {
			return int(m), true
		}
	}
	return 0, false
}

// optionalClock finishes a date whose clock may be left out: nothing
// more, or a clock and what follows it (a zone, for the caller).
func (sc *scanner) optionalClock(p dateParts) (dateParts, string, bool) {
	sc.space()
	if sc.done() {
		return p, "", true
	}
	if !sc.clock(&p) {
		return p, "", false
	}
	return p, sc.rest(), true
}
