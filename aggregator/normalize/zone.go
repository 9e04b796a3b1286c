package normalize

import (
	"strings"
	"time"
)

// resolveZone applies a zone string to p. An empty zone, or an abbreviation
// we cannot place, means the feed gave local time: p is read in loc. It
// fails only on a zone that is clearly malformed (bad numeric offset, junk).
func resolveZone(p dateParts, zone string, loc *time.Location) (time.Time, bool) {
	zone = stripComment(zone)
	if zone == "" {
		return p.in(loc), true
	}
	if off, ok := numericOffset(zone); ok {
		return p.in(time.FixedZone("", off)), true
	}
	if !isAlpha(zone) || len(zone) > 6 {
		return time.Time{}, false
	}
	if off, ok := abbrevOffset(strings.ToUpper(zone), p, loc); ok {
		return p.in(time.FixedZone("", off)), true
	}
	return p.in(loc), true
}

// stripComment drops an RFC 822 trailing comment ("+0800 (CST)"): the numeric
// zone before it is authoritative. A lone "(CST)" is used as the zone.
func stripComment(zone string) string {
	i := strings.IndexByte(zone, '(')
	if i < 0 || !strings.HasSuffix(zone, ")") {
		return zone
	}
	if before := strings.TrimSpace(zone[:i]); before != "" {
		return before
	}
	return strings.TrimSpace(zone[i+1 : len(zone)-1])
}

// numericOffset reads "Z", "GMT", "UTC", "+0800", "+08:00", "+08", "+8" and
// the same after a "GMT"/"UTC" prefix, returning seconds east of UTC.
func numericOffset(zone string) (int, bool) {
	upper := strings.ToUpper(zone)
	switch upper {
	case "Z", "UT", "UTC", "GMT":
		return 0, true
	}
	for _, prefix := range []string{"GMT", "UTC", "UT"} {
		if rest, ok := strings.CutPrefix(upper, prefix); ok && rest != "" && (rest[0] == '+' || rest[0] == '-') {
			upper = rest
			break
		}
	}
	if upper == "" || (upper[0] != '+' && upper[0] != '-') {
		return 0, false
	}
	sign := 1
	if upper[0] == '-' {
		sign = -1
	}
	h, m, ok := offsetParts(upper[1:])
	if !ok || h > 14 || m > 59 {
		return 0, false
	}
	return sign * (h*3600 + m*60), true
}

// offsetParts splits "0800", "08:00", "08" or "8" into hours and minutes.
func offsetParts(s string) (h, m int, ok bool) {
	sc := scanner{s: s}
	switch len(s) {
	case 1, 2:
		h, ok = sc.digits(1, 2)
	case 4:
		if h, ok = sc.fixed(2); ok {
			m, ok = sc.fixed(2)
		}
	case 5:
		if h, ok = sc.fixed(2); ok && sc.lit(":") {
			m, ok = sc.fixed(2)
		} else {
			ok = false
		}
	}
	return h, m, ok && sc.done()
}

// abbrevOffset places a zone abbreviation. The source's own zone wins when
// it uses that abbreviation at that instant: "CST" on an Asia/Shanghai
// source is China Standard Time (+08:00), not US Central as Go and gofeed
// assume. China's zones are also checked by name, in case the system tzdata
// spells their abbreviation "+08". Otherwise a fixed table of unambiguous
// abbreviations applies.
func abbrevOffset(abbr string, p dateParts, loc *time.Location) (int, bool) {
	if name, off := p.in(loc).Zone(); strings.EqualFold(name, abbr) {
		return off, true
	}
	if abbr == "CST" && isChinaZone(loc) {
		return 8 * 3600, true
	}
	off, ok := knownAbbrev(abbr)
	return off * 60, ok
}

func isChinaZone(loc *time.Location) bool {
	switch loc.String() {
	case "Asia/Shanghai", "Asia/Chongqing", "Asia/Chungking", "Asia/Harbin",
		"Asia/Taipei", "PRC", "ROC":
		return true
	}
	return false
}

// knownAbbrev returns minutes east of UTC for abbreviations that mean one
// thing in practice: RFC 822's US zones plus those common in our feeds.
// "CST" here is US Central, as RFC 822 defines it.
func knownAbbrev(abbr string) (int, bool) {
	switch abbr {
	case "GMT", "UTC", "UT", "Z", "WET":
		return 0, true
	case "BST", "CET", "WEST":
		return 60, true
	case "CEST", "EET":
		return 120, true
	case "EEST", "MSK":
		return 180, true
	case "HKT", "SGT", "AWST":
		return 480, true
	case "JST", "KST":
		return 540, true
	case "EST", "CDT":
		return -300, true
	case "EDT":
		return -240, true
	case "CST", "MDT":
		return -360, true
	case "MST", "PDT":
		return -420, true
	case "PST":
		return -480, true
	}
	return 0, false
}

func isAlpha(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isLetter(s[i]) {
			return false
		}
	}
	return s != ""
}
