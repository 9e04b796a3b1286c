package aggregator

import (
	"fmt"
	"hash/fnv"
	"strings"
	"time"

	"github.com/robfig/cron/v3"
)

// specParser accepts the five-field cron syntax, descriptors such as
// @hourly, "@every <duration>" and CRON_TZ= prefixes: the same grammar the
// config validator accepts.
var specParser = cron.NewParser(cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow | cron.Descriptor)

// ParseSchedule turns a source's schedule spec into a cron.Schedule with a
// fixed phase derived from the source id, so that a thousand sources on
// "@every 15m" spread over the fifteen minutes instead of firing together,
// and each keeps its slot across restarts and replicas (Prometheus scrape
// offsets work the same way).
//
// "@every D" fires at the instants t where (t - phase) is a multiple of D,
// with phase = hash(id) mod D. A cron spec fires at its own times plus an
// offset of hash(id) mod min(period, 1m): cron's resolution is a minute, so
// this spreads a batch without moving it noticeably.
func ParseSchedule(spec, sourceID string) (sched cron.Schedule, err error) {
	// robfig/cron panics on some malformed specs (e.g. "TZ=0").
	defer func() {
		if r := recover(); r != nil {
			sched, err = nil, fmt.Errorf("schedule %q: %v", spec, r)
		}
	}()
	if rest, ok := strings.CutPrefix(spec, "@every "); ok {
		// robfig/cron silently turns anything under a second (even a
		// negative duration) into one second; refuse instead.
		d, err := time.ParseDuration(strings.TrimSpace(rest))
		if err != nil || d < time.Second {
			return nil, fmt.Errorf("schedule %q: @every needs a duration of at least 1s", spec)
		}
		return PhasedEvery{Interval: d, Phase: Phase(sourceID, d)}, nil
	}
	parsed, err := specParser.Parse(spec)
	if err != nil {
		return nil, fmt.Errorf("schedule %q: %w", spec, err)
	}
	period := Period(parsed, time.Now())
	window := min(period, time.Minute)
	return Offset{Schedule: parsed, By: Phase(sourceID, window)}, nil
}

// Phase is a stable offset in [0, window) derived from id.
func Phase(id string, window time.Duration) time.Duration {
	if window <= 0 {
		return 0
	}
	h := fnv.New64a()
	h.Write([]byte(id))
	return time.Duration(h.Sum64() % uint64(window))
}

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

// PhasedEvery fires every Interval, at instants Phase past a multiple of
// Interval counted from the Unix epoch.
type PhasedEvery struct {
	Interval time.Duration
	Phase    time.Duration
}

// Next returns the first firing strictly after t.
func (p PhasedEvery) Next(t time.Time) time.Time {
	iv := int64(p.Interval)
	rel := t.UnixNano() - int64(p.Phase)
	k := rel / iv
	if rel < 0 && rel%iv != 0 {
		k-- // floor division for instants before the epoch phase
	}
	return time.Unix(0, (k+1)*iv+int64(p.Phase)).In(t.Location())
}

// Offset shifts another schedule's firings later by a fixed duration.
type Offset struct {
	Schedule cron.Schedule
	By       time.Duration
}

// Next returns the first firing strictly after t.
func (o Offset) Next(t time.Time) time.Time {
	n := o.Schedule.Next(t.Add(-o.By))
	if n.IsZero() {
		return n
	}
	return n.Add(o.By)
}
