package normalize

import (
	"strings"
	"unicode/utf8"
)

// scanner is a cursor over a date string; each method consumes what it
// matched and leaves the position unchanged when it does not match.
type scanner struct {
	s   string
	pos int
}

func (sc *scanner) done() bool { return sc.pos >= len(sc.s) }

// rest returns the unread remainder without surrounding spaces.
func (sc *scanner) rest() string { return strings.TrimSpace(sc.s[sc.pos:]) }

// digits reads between min and max ASCII digits; more digits is no match.
func (sc *scanner) digits(min, max int) (int, bool) {
	n, v := 0, 0
	for sc.pos+n < len(sc.s) && isDigit(sc.s[sc.pos+n]) {
		if n == max {
			return 0, false
		}
		v = v*10 + int(sc.s[sc.pos+n]-'0')
		n++
	}
	if n < min {
		return 0, false
	}
	sc.pos += n
	return v, true
}

// fixed reads exactly n digits, whatever follows them ("0800" is 08, 00).
func (sc *scanner) fixed(n int) (int, bool) {
	if len(sc.s)-sc.pos < n {
		return 0, false
	}
	v := 0
	for i := 0; i < n; i++ {
		c := sc.s[sc.pos+i]
		if !isDigit(c) {
			return 0, false
		}
		v = v*10 + int(c-'0')
	}
	sc.pos += n
	return v, true
}

func (sc *scanner) lit(l string) bool {
	if strings.HasPrefix(sc.s[sc.pos:], l) {
		sc.pos += len(l)
		return true
	}
	return false
}

// oneOf reads one rune of set and returns it.
func (sc *scanner) oneOf(set string) (string, bool) {
	r, size := utf8.DecodeRuneInString(sc.s[sc.pos:])
	if size == 0 || !strings.ContainsRune(set, r) {
		return "", false
	}
	sc.pos += size
	return sc.s[sc.pos-size : sc.pos], true
}

func (sc *scanner) space() {
	for sc.pos < len(sc.s) && sc.s[sc.pos] == ' ' {
		sc.pos++
	}
}

// word reads a run of ASCII letters.
func (sc *scanner) word() string {
	start := sc.pos
	for sc.pos < len(sc.s) && isLetter(sc.s[sc.pos]) {
		sc.pos++
	}
	return sc.s[start:sc.pos]
}

// year reads a four-digit year, or a two-digit one pivoted like Go's time
// package (69 → 2069, 70 → 1970) as RFC 822 dates carry.
func (sc *scanner) year() (int, bool) {
	start := sc.pos
	y, ok := sc.digits(2, 4)
	switch {
	case !ok:
		return 0, false
	case sc.pos-start == 4:
		return y, true
	case sc.pos-start == 2 && y < 70:
		return 2000 + y, true
	case sc.pos-start == 2:
		return 1900 + y, true
	}
	sc.pos = start
	return 0, false
}

// unit reads a Chinese date unit ("年", "月", "日"), with the spaces some
// templates put around it.
func (sc *scanner) unit(u string) bool {
	save := sc.pos
	sc.space()
	if !sc.lit(u) {
		sc.pos = save
		return false
	}
	sc.space()
	return true
}

// clock reads "15:04[:05[.999999999]]", accepting the full-width colon
// Chinese sites type, or "15时04分[05秒]" ("点" for "时").
// Fractions beyond nanoseconds are read and dropped.
func (sc *scanner) clock(p *dateParts) bool {
	var ok bool
	if p.hour, ok = sc.digits(1, 2); !ok {
		return false
	}
	if sc.unit("时") || sc.unit("点") {
		return sc.chineseClock(p)
	}
	if !sc.colon() {
		return false
	}
	if p.minute, ok = sc.digits(2, 2); !ok {
		return false
	}
	save := sc.pos
	if !sc.colon() {
		return true
	}
	if p.second, ok = sc.digits(2, 2); !ok {
		sc.pos = save
		return true
	}
	if _, ok := sc.oneOf(".,"); ok {
		p.nsec, ok = sc.fraction()
		return ok
	}
	return true
}

// chineseClock reads the "04分[05秒]" after "15时".
func (sc *scanner) chineseClock(p *dateParts) bool {
	var ok bool
	if p.minute, ok = sc.digits(1, 2); !ok {
		return false
	}
	if !sc.unit("分") {
		return true
	}
	save := sc.pos
	if p.second, ok = sc.digits(1, 2); !ok || !sc.unit("秒") {
		sc.pos = save
		p.second = 0
	}
	return true
}

func (sc *scanner) colon() bool { return sc.lit(":") || sc.lit("：") }

// fraction reads the digits of a fractional second as nanoseconds.
func (sc *scanner) fraction() (int, bool) {
	n, v := 0, 0
	for sc.pos < len(sc.s) && isDigit(sc.s[sc.pos]) {
		if n < 9 {
			v = v*10 + int(sc.s[sc.pos]-'0')
		}
		n++
		sc.pos++
	}
	for i := n; i < 9; i++ {
		v *= 10
	}
	return v, n > 0
}

func isDigit(c byte) bool  { return c >= '0' && c <= '9' }
func isLetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }
