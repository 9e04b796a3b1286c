package normalize

import "time"

// ParseDate is ParseDateAt without a clock, as most tests want it.
func ParseDate(raw string, loc *time.Location) (time.Time, bool) {
	return ParseDateAt(raw, loc, time.Time{})
}
