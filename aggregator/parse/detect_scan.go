package parse

// Finding dates in a text by hand rather than by regular expression:
// detection looks for a date in every text of every item of every
// candidate list, and a backtracking regexp tried at each position of
// each text cost more than parsing the page.

// span is a date found in a text: s[start:end].
type span struct {
	start, end int
	full       bool // with a year
}

// scanDates are the dates in s, in order: with a year (2025-03-10,
// 2025/3/10, 2025.03.10, 2025年3月10日, each with an optional clock) and
// without (12-05, 12/05, 3月10日, with an optional clock), never inside a
// longer run of numbers (1/2/3, 10:30, 2025-03-101).
func scanDates(s string) []span {
	var out []span
	for i := 0; i < len(s); {
		if !isDigitByte(s[i]) {
			i++
			continue
		}
		j := digitsEnd(s, i)
		if end, ok := fullDateAt(s, i, j); ok {
			out = append(out, span{start: i, end: end, full: true})
			i = end
			continue
		}
		if end, ok := monthDayAt(s, i, j); ok {
			out = append(out, span{start: i, end: end})
			i = end
			continue
		}
		i = j
	}
	return out
}

// firstDate is the first date of s with a year, else the first without.
func firstDate(s string) (span, bool) {
	var day span
	found := false
	for _, sp := range scanDates(s) {
		if sp.full {
			return sp, true
		}
		if !found {
			day, found = sp, true
		}
	}
	return day, found
}

func isDigitByte(c byte) bool { return c >= '0' && c <= '9' }

// digitsEnd is the end of the run of digits starting at i.
func digitsEnd(s string, i int) int {
	for i < len(s) && isDigitByte(s[i]) {
		i++
	}
	return i
}

// skipSpaces passes over ASCII spaces.
func skipSpaces(s string, i int) int {
	for i < len(s) && s[i] == ' ' {
		i++
	}
	return i
}

// number reads 1 or 2 digits at i (after spaces), not followed by a
// third; end is after them.
func number(s string, i int) (end int, ok bool) {
	i = skipSpaces(s, i)
	j := digitsEnd(s, i)
	if n := j - i; n < 1 || n > 2 {
		return i, false
	}
	return j, true
}

// lit reads lit at i (after spaces).
func litAt(s string, i int, lit string) (int, bool) {
	i = skipSpaces(s, i)
	if len(s)-i >= len(lit) && s[i:i+len(lit)] == lit {
		return i + len(lit), true
	}
	return i, false
}

// sepAt reads one of "-", "/", "." at i (after spaces).
func sepAt(s string, i int) (int, bool) {
	i = skipSpaces(s, i)
	if i < len(s) && (s[i] == '-' || s[i] == '/' || s[i] == '.') {
		return i + 1, true
	}
	return i, false
}

// fullDateAt reads a date whose year is the digits s[i:j].
func fullDateAt(s string, i, j int) (int, bool) {
	if j-i != 4 || (i > 0 && isDigitByte(s[i-1])) {
		return 0, false
	}
	k, ok := sepAt(s, j)
	chinese := false
	if !ok {
		if k, ok = litAt(s, j, "年"); !ok {
			return 0, false
		}
		chinese = true
	}
	if k, ok = number(s, k); !ok {
		return 0, false
	}
	if chinese {
		k, ok = litAt(s, k, "月")
	} else {
		k, ok = sepAt(s, k)
	}
	if !ok {
		return 0, false
	}
	if k, ok = number(s, k); !ok {
		return 0, false
	}
	if chinese {
		k = dayMarkEnd(s, k)
	}
	return clockAfter(s, k, true), true
}

// monthDayAt reads a date without a year whose month is the digits
// s[i:j].
func monthDayAt(s string, i, j int) (int, bool) {
	if n := j - i; n < 1 || n > 2 || (i > 0 && isDayStop(s[i-1])) {
		return 0, false
	}
	k := j
	chinese := false
	if j < len(s) && (s[j] == '-' || s[j] == '/') {
		k = j + 1
	} else if e, ok := litAt(s, j, "月"); ok {
		k, chinese = e, true
	} else {
		return 0, false
	}
	var ok bool
	if chinese {
		k, ok = number(s, k)
	} else {
		e := digitsEnd(s, k)
		k, ok = e, e-k >= 1 && e-k <= 2
	}
	if !ok {
		return 0, false
	}
	if chinese {
		k = dayMarkEnd(s, k)
	}
	if !chinese && k < len(s) && isDayStop(s[k]) {
		return 0, false
	}
	return clockAfter(s, k, false), true
}

// isDayStop is what may not touch a date without a year: a digit or a
// separator of a longer run of numbers.
func isDayStop(c byte) bool {
	return isDigitByte(c) || c == '.' || c == ':' || c == '/' || c == '-'
}

// clockAfter is the end of a clock ("16:35", "9:07:00") after a date
// ending at k, else k. A date with a year may be followed by it
// directly; one without needs a space between.
func clockAfter(s string, k int, glued bool) int {
	i := skipSpaces(s, k)
	if i == k && !glued {
		return k
	}
	e, ok := number(s, i)
	if !ok {
		return k
	}
	if e, ok = colonAt(s, e); !ok {
		return k
	}
	m := digitsEnd(s, e)
	if m-e != 2 {
		return k
	}
	if e2, ok := colonAt(s, m); ok {
		if m2 := digitsEnd(s, e2); m2-e2 == 2 {
			return m2
		}
	}
	return m
}

// colonAt reads ":" or "：" at i.
func colonAt(s string, i int) (int, bool) {
	switch {
	case i < len(s) && s[i] == ':':
		return i + 1, true
	case len(s)-i >= len("：") && s[i:i+len("：")] == "：":
		return i + len("："), true
	}
	return i, false
}

// dateNumbers are the first three numbers of a date's text (year, month,
// day; month and day without a year).
func dateNumbers(text string) []int {
	var out []int
	for i := 0; i < len(text) && len(out) < 3; {
		if !isDigitByte(text[i]) {
			i++
			continue
		}
		j := digitsEnd(text, i)
		out = append(out, atoiDigits(text[i:j]))
		i = j
	}
	return out
}

// dayMarkEnd is past the 日 or 号 after a Chinese date's day at k, or k.
func dayMarkEnd(s string, k int) int {
	if e, ok := litAt(s, k, "日"); ok {
		return e
	}
	if e, ok := litAt(s, k, "号"); ok {
		return e
	}
	return k
}
