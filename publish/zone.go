package publish

import (
	"strings"
	"time"
)

// zonedTime formats t in loc with its zone: "2026-12-02 10:15 CST". A
// zone without a letter abbreviation (the tz database writes "+04" for
// many) is shown as its offset, "+04:00", so the label is never a bare
// number of hours.
func zonedTime(t time.Time, loc *time.Location) string {
	date, clock := zonedParts(t, loc)
	return date + " " + clock
}

// zonedParts is zonedTime in two parts, "2026-12-02" and "10:15 CST", so
// that a narrow column wraps a time between them and nowhere else: a
// no-break space holds the zone to the clock.
func zonedParts(t time.Time, loc *time.Location) (date, clock string) {
	t = t.In(loc)
	return t.Format("2006-01-02"), t.Format("15:04") + "\u00a0" + zoneLabel(t, loc)
}

// zoneLabel names loc's zone at t as operator pages show it: its
// abbreviation ("CST"), or its offset ("+04:00") where the tz database has
// no letters for it.
func zoneLabel(t time.Time, loc *time.Location) string {
	t = t.In(loc)
	zone := t.Format("MST")
	if strings.HasPrefix(zone, "+") || strings.HasPrefix(zone, "-") {
		zone = t.Format("-07:00")
	}
	return zone
}
