package config

import (
	"testing"
	"time"
)

func TestValidateSchedule(t *testing.T) {
	tests := []struct {
		spec, wantErr string
	}{
		{"@every 15m", ""},
		{"@every 1s", ""},
		{"@every 1h30m", ""},
		{"*/10 * * * *", ""},
		{"0 8 * * 1-5", ""},
		{"@hourly", ""},
		{"CRON_TZ=Asia/Shanghai 0 8 * * *", ""},
		{"TZ=UTC @every 5m", ""},
		{"CRON_TZ=Asia/Shanghai @every 15m", ""},
		{"CRON_TZ=Mars/Olympus @every 15m", `invalid schedule "CRON_TZ=Mars/Olympus @every 15m": provided bad location Mars/Olympus: unknown time zone Mars/Olympus`},
		{"", `invalid schedule "": empty spec string`},
		{"TZ=0", `invalid schedule "TZ=0": a time zone prefix needs a schedule after it, e.g. "CRON_TZ=Asia/Shanghai 0 8 * * *"`},
		{"CRON_TZ=UTC", `invalid schedule "CRON_TZ=UTC": a time zone prefix needs a schedule after it, e.g. "CRON_TZ=Asia/Shanghai 0 8 * * *"`},
		{"TZ=", `invalid schedule "TZ=": a time zone prefix needs a schedule after it, e.g. "CRON_TZ=Asia/Shanghai 0 8 * * *"`},
		{"CRON_TZ=Mars/Olympus 0 8 * * *", `invalid schedule "CRON_TZ=Mars/Olympus 0 8 * * *": provided bad location Mars/Olympus: unknown time zone Mars/Olympus`},
		{"@every 0s", `invalid schedule "@every 0s": @every needs an interval of at least 1s`},
		{"@every -5m", `invalid schedule "@every -5m": @every needs an interval of at least 1s`},
		{"@every 500ms", `invalid schedule "@every 500ms": @every needs an interval of at least 1s`},
		{"TZ=UTC @every 10ms", `invalid schedule "TZ=UTC @every 10ms": @every needs an interval of at least 1s`},
		{"@every banana", `invalid schedule "@every banana": time: invalid duration "banana"`},
		{"@fortnightly", `invalid schedule "@fortnightly": unrecognized descriptor: @fortnightly`},
		{"* * *", `invalid schedule "* * *": expected exactly 5 fields, found 3: [* * *]`},
		{"60 * * * *", `invalid schedule "60 * * * *": end of range (60) above maximum (59): 60`},
	}
	for _, tt := range tests {
		t.Run(tt.spec, func(t *testing.T) {
			err := ValidateSchedule(tt.spec)
			got := ""
			if err != nil {
				got = err.Error()
			}
			if got != tt.wantErr {
				t.Errorf("ValidateSchedule(%q) = %q, want %q", tt.spec, got, tt.wantErr)
			}
		})
	}
}

func TestPhasedEvery_Next(t *testing.T) {
	base := time.Date(2026, 10, 17, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		name  string
		sched PhasedEvery
		at    time.Time
		want  time.Time
	}{
		{"on the phase moves a whole interval", PhasedEvery{15 * time.Minute, 0}, base, base.Add(15 * time.Minute)},
		{"just before the phase", PhasedEvery{15 * time.Minute, 0}, base.Add(-time.Nanosecond), base},
		{"phase shifts the slot", PhasedEvery{15 * time.Minute, 7 * time.Minute}, base, base.Add(7 * time.Minute)},
		{"after the phase waits for the next slot", PhasedEvery{15 * time.Minute, 7 * time.Minute}, base.Add(8 * time.Minute), base.Add(22 * time.Minute)},
		{"hourly", PhasedEvery{time.Hour, 90 * time.Second}, base.Add(2 * time.Minute), base.Add(time.Hour + 90*time.Second)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.sched.Next(tt.at)
			if !got.Equal(tt.want) {
				t.Errorf("Next(%v) = %v, want %v", tt.at, got, tt.want)
			}
		})
	}
}

// periodOf is the gap between a schedule's next two firings after t.
func periodOf(s interface{ Next(time.Time) time.Time }, t time.Time) time.Duration {
	a := s.Next(t)
	return s.Next(a).Sub(a)
}

func TestParseSchedule(t *testing.T) {
	at := time.Date(2026, 10, 17, 10, 0, 30, 0, time.UTC)
	tests := []struct {
		spec    string
		wantErr bool
		period  time.Duration
	}{
		{"@every 15m", false, 15 * time.Minute},
		{"@every 1h30m", false, 90 * time.Minute},
		{"*/10 * * * *", false, 10 * time.Minute},
		{"@hourly", false, time.Hour},
		{"CRON_TZ=Asia/Shanghai 0 9 * * *", false, 24 * time.Hour},
		{"CRON_TZ=Asia/Shanghai @every 15m", false, 15 * time.Minute},
		{"every day", true, 0},
		{"TZ=0", true, 0}, // panics inside robfig/cron; must come back as an error
		{"@every -5m", true, 0},
		{"@every 500ms", true, 0},
		{"61 * * * *", true, 0},
	}
	for _, tt := range tests {
		t.Run(tt.spec, func(t *testing.T) {
			s, err := ParseSchedule(tt.spec, "src-a")
			if (err != nil) != tt.wantErr {
				t.Fatalf("ParseSchedule(%q) error = %v, wantErr %v", tt.spec, err, tt.wantErr)
			}
			if err != nil {
				return
			}
			if got := periodOf(s, at); got != tt.period {
				t.Errorf("period = %v, want %v", got, tt.period)
			}
			if n := s.Next(at); !n.After(at) {
				t.Errorf("Next(%v) = %v, not after", at, n)
			}
		})
	}
}

// However an @every spec is written — with a zone prefix, in other units —
// it fires at the same fixed phase: the slot depends on the source id and
// the interval only, whole seconds, and never on when the schedule was
// parsed (robfig/cron's own @every counts from registration and drifts).
func TestParseSchedule_everyHasAFixedPhase(t *testing.T) {
	at := time.Date(2026, 10, 17, 10, 0, 0, 0, time.UTC)
	want, err := ParseSchedule("@every 15m", "src-a")
	if err != nil {
		t.Fatal(err)
	}
	for _, spec := range []string{"CRON_TZ=Asia/Shanghai @every 15m", "TZ=America/New_York @every 15m", "@every 900s", "CRON_TZ=Asia/Shanghai  @every  15m"} {
		t.Run(spec, func(t *testing.T) {
			got, err := ParseSchedule(spec, "src-a")
			if err != nil {
				t.Fatal(err)
			}
			if got != want {
				t.Fatalf("ParseSchedule(%q) = %+v, want %+v", spec, got, want)
			}
			first := got.Next(at)
			if first.Truncate(time.Second) != first {
				t.Errorf("firing %v is not on a whole second", first)
			}
			// Parsed again later, it keeps the slot.
			again, _ := ParseSchedule(spec, "src-a")
			if n := again.Next(first.Add(-time.Millisecond)); !n.Equal(first) {
				t.Errorf("re-parsed schedule fires at %v, want %v", n, first)
			}
		})
	}
}

func TestParseSchedule_phaseIsStableAndSpread(t *testing.T) {
	at := time.Date(2026, 10, 17, 10, 0, 0, 0, time.UTC)
	seen := map[time.Time]bool{}
	for _, id := range []string{"a", "b", "c", "d", "e", "f", "g", "h"} {
		s1, _ := ParseSchedule("@every 15m", id)
		s2, _ := ParseSchedule("@every 15m", id)
		n1, n2 := s1.Next(at), s2.Next(at)
		if !n1.Equal(n2) {
			t.Fatalf("source %s: phase not stable: %v vs %v", id, n1, n2)
		}
		if d := n1.Sub(at); d <= 0 || d > 15*time.Minute {
			t.Fatalf("source %s: next %v outside the interval", id, n1)
		}
		seen[n1] = true
	}
	if len(seen) < 6 {
		t.Errorf("8 sources got only %d distinct slots; phases do not spread", len(seen))
	}
}

func TestOffset_Next(t *testing.T) {
	s, err := ParseSchedule("*/10 * * * *", "x")
	if err != nil {
		t.Fatal(err)
	}
	off, ok := s.(Offset)
	if !ok {
		t.Fatalf("cron spec gave %T, want Offset", s)
	}
	if off.By < 0 || off.By >= time.Minute || off.By.Truncate(time.Second) != off.By {
		t.Fatalf("offset %v outside [0, 1m) or not whole seconds", off.By)
	}
	at := time.Date(2026, 10, 17, 10, 0, 0, 0, time.UTC)
	want := at.Add(off.By)
	if off.By == 0 {
		want = at.Add(10 * time.Minute)
	}
	if got := s.Next(at); !got.Equal(want) {
		t.Errorf("Next(%v) = %v, want %v", at, got, want)
	}
}
