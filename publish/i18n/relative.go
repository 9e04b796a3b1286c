package i18n

import "time"

// Relative is at seen from now in lang, for every operator page (the
// status page and the console): "3 minutes ago", "in 5 minutes", "3 分钟前",
// "5 分钟后". The largest whole unit is used, rounded down, so a page
// never claims more time has passed than has.
func Relative(lang string, at, now time.Time) string {
	d := now.Sub(at)
	future := d < 0
	if future {
		d = -d
	}
	if d < time.Minute {
		if future {
			return T(lang, "time.soon")
		}
		return T(lang, "time.now")
	}
	n, unit := relativeUnit(d)
	key := "time." + unit + ".ago"
	if future {
		key = "time." + unit + ".in"
	}
	return N(lang, key, n, n)
}

// relativeUnit splits d (at least a minute) into a count of its largest
// whole unit.
func relativeUnit(d time.Duration) (int, string) {
	switch {
	case d < time.Hour:
		return int(d / time.Minute), "minutes"
	case d < 24*time.Hour:
		return int(d / time.Hour), "hours"
	}
	return int(d / (24 * time.Hour)), "days"
}
