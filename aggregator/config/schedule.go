package config

import (
	"fmt"
	"strings"
	"time"

	"github.com/robfig/cron/v3"
)

// ValidateSchedule checks a robfig/cron spec (five fields, descriptors such
// as @hourly, an optional CRON_TZ= prefix) or "@every <duration>" with a
// duration of at least 1s.
func ValidateSchedule(spec string) (err error) {
	if d, ok, perr := everyInterval(spec); ok {
		if perr != nil {
			return fmt.Errorf("invalid schedule %q: %v", spec, perr)
		}
		if d < time.Second {
			// cron silently turns these into 1s, which would hammer the feed.
			return fmt.Errorf("invalid schedule %q: @every needs an interval of at least 1s", spec)
		}
	}
	if zone, _, hasFields := strings.Cut(spec, " "); !hasFields && isZonePrefix(zone) {
		// robfig/cron panics on exactly this ("TZ=0", "CRON_TZ=UTC").
		return fmt.Errorf("invalid schedule %q: a time zone prefix needs a schedule after it, e.g. \"CRON_TZ=Asia/Shanghai 0 8 * * *\"", spec)
	}
	// Any other parser panic is still a bad spec, not a crash.
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("invalid schedule %q: %v", spec, r)
		}
	}()
	parser := cron.NewParser(cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow | cron.Descriptor)
	if _, err := parser.Parse(spec); err != nil {
		return fmt.Errorf("invalid schedule %q: %v", spec, err)
	}
	return nil
}

// everyInterval reads the duration of an "@every" spec, after an optional
// TZ= or CRON_TZ= prefix; ok is false for any other spec.
func everyInterval(spec string) (d time.Duration, ok bool, err error) {
	if isZonePrefix(spec) {
		_, rest, found := strings.Cut(spec, " ")
		if !found {
			return 0, false, nil
		}
		spec = strings.TrimSpace(rest)
	}
	rest, ok := strings.CutPrefix(spec, "@every ")
	if !ok {
		return 0, false, nil
	}
	d, err = time.ParseDuration(strings.TrimSpace(rest))
	return d, true, err
}

func isZonePrefix(spec string) bool {
	return strings.HasPrefix(spec, "TZ=") || strings.HasPrefix(spec, "CRON_TZ=")
}
