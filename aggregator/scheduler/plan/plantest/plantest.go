// Package plantest holds the clock and the plan that the tests of the
// poller and the scheduler share. Nothing outside tests imports it.
package plantest

import (
	"time"

	"github.com/tributary-rss/tributary/aggregator/config"
	"github.com/tributary-rss/tributary/aggregator/scheduler/plan"
)

// Saturday 28 November 2026; the schedule fires every 15 minutes on the
// quarter hour, and the poll served the 10:00 firing and took 3 seconds.
var (
	Due = time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC)
	Now = Due.Add(3 * time.Second)
)

// At is hh:mm on that Saturday, in UTC.
func At(hhmm string) time.Time {
	t, err := time.Parse("2006-01-02 15:04", "2026-11-28 "+hhmm)
	if err != nil {
		panic(err)
	}
	return t
}

// QuarterHourly fires every 15 minutes on the quarter hour, without jitter.
func QuarterHourly() plan.Plan {
	return plan.Plan{Schedule: config.PhasedEvery{Interval: 15 * time.Minute}, Jitter: func() float64 { return 0 }}
}
