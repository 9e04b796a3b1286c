package plan

import (
	"time"

	"github.com/robfig/cron/v3"
)

// Schedules are parsed by config.ParseSchedule, the one parser that
// `tributary check`, the admin API and the scheduler share: each source's
// schedule fires at a fixed phase derived from its id.

// Period estimates a schedule's interval as the gap between its next two
// firings after t.
func Period(s cron.Schedule, t time.Time) time.Duration {
	a := s.Next(t)
	b := s.Next(a)
	if a.IsZero() || b.IsZero() || !b.After(a) {
		return 0
	}
	return b.Sub(a)
}
