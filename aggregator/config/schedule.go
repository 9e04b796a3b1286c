package config

import (
	"fmt"
	"hash/fnv"
	"strings"
	"time"

	"github.com/robfig/cron/v3"
)

// specParser accepts the five-field cron syntax, descriptors such as
// @hourly and CRON_TZ= (or TZ=) prefixes.
var specParser = cron.NewParser(cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow | cron.Descriptor)

// cronPhaseWindow bounds the offset a cron spec gets: cron's resolution
// is a minute, so an offset under a minute spreads a batch of sources
// without moving any of them noticeably.
const cronPhaseWindow = time.Minute

// ValidateSchedule checks a schedule spec the way the scheduler reads it
// (see ParseSchedule): `tributary check`, config loading, the admin API
// and the scheduler accept and refuse exactly the same specs.
func ValidateSchedule(spec string) error {
	_, err := ParseSchedule(spec, "")
	return err
}

// ParseSchedule is the one parser of schedule specs: a robfig/cron spec
// (five fields, descriptors such as @hourly, an optional CRON_TZ= or TZ=
// prefix) or "@every <duration>" of at least 1s. The schedule it returns
// has a fixed phase derived from sourceID, so a thousand sources on
// "@every 15m" spread over the fifteen minutes instead of firing together,
// and each keeps its slot across restarts and instances (Prometheus scrape
// offsets work the same way).
//
// "@every D" fires at the instants t where (t - phase) is a multiple of D
// counted from the Unix epoch, with phase = hash(id) mod D truncated to
// whole seconds. A zone prefix is checked but changes nothing: a fixed
// interval is the same in every zone. (robfig/cron would instead count D
// from whenever the job was registered, so the slot would drift with every
// restart.) A cron spec fires at its own times, in its CRON_TZ zone, plus
// hash(id) mod 1m, also in whole seconds.
func ParseSchedule(spec, sourceID string) (sched cron.Schedule, err error) {
	if zone, _, hasFields := strings.Cut(spec, " "); !hasFields && isZonePrefix(zone) {
		// robfig/cron panics on exactly this ("TZ=0", "CRON_TZ=UTC").
		return nil, fmt.Errorf("invalid schedule %q: a time zone prefix needs a schedule after it, e.g. \"CRON_TZ=Asia/Shanghai 0 8 * * *\"", spec)
	}
	// Any other parser panic is still a bad spec, not a crash.
	defer func() {
		if r := recover(); r != nil {
			sched, err = nil, fmt.Errorf("invalid schedule %q: %v", spec, r)
		}
	}()
	if d, ok, err := everyInterval(spec); ok {
		if err != nil {
			return nil, fmt.Errorf("invalid schedule %q: %v", spec, err)
		}
		return PhasedEvery{Interval: d, Phase: Phase(sourceID, d)}, nil
	}
	parsed, err := specParser.Parse(spec)
	if err == nil {
		err = checkCronSteps(spec)
	}
	if err != nil {
		return nil, fmt.Errorf("invalid schedule %q: %v", spec, err)
	}
	return Offset{Schedule: parsed, By: Phase(sourceID, cronPhaseWindow)}, nil
}

// everyInterval reads the duration of an "@every" spec, after an optional
// TZ= or CRON_TZ= prefix whose zone must exist; ok is false for any other
// spec.
func everyInterval(spec string) (d time.Duration, ok bool, err error) {
	if isZonePrefix(spec) {
		prefix, rest, _ := strings.Cut(spec, " ")
		rest = strings.TrimSpace(rest)
		if !strings.HasPrefix(rest, "@every ") {
			return 0, false, nil
		}
		_, name, _ := strings.Cut(prefix, "=")
		if _, err := location(name); err != nil {
			// The words robfig/cron uses for a bad zone in a cron spec.
			return 0, true, fmt.Errorf("provided bad location %s: %v", name, err)
		}
		spec = rest
	}
	rest, ok := strings.CutPrefix(spec, "@every ")
	if !ok {
		return 0, false, nil
	}
	d, err = time.ParseDuration(strings.TrimSpace(rest))
	if err != nil {
		return 0, true, err
	}
	if d < time.Second {
		// robfig/cron silently turns these (even negative ones) into 1s,
		// which would hammer the feed.
		return 0, true, fmt.Errorf("@every needs an interval of at least 1s")
	}
	return d, true, nil
}

func isZonePrefix(spec string) bool {
	return strings.HasPrefix(spec, "TZ=") || strings.HasPrefix(spec, "CRON_TZ=")
}

// Phase is a stable offset in [0, window) derived from id, in whole
// seconds: due times are kept in milliseconds in Redis, and a phase on a
// second boundary is the same however a due time is rounded or stored.
func Phase(id string, window time.Duration) time.Duration {
	if window <= 0 {
		return 0
	}
	h := fnv.New64a()
	h.Write([]byte(id))
	return time.Duration(h.Sum64() % uint64(window)).Truncate(time.Second)
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
