package aggregator

import (
	"testing"
	"time"
)

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
		{"every day", true, 0},
		{"TZ=0", true, 0}, // panics inside robfig/cron; must come back as an error
		{"@every -5m", true, 0},
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
			if got := Period(s, at); got != tt.period {
				t.Errorf("period = %v, want %v", got, tt.period)
			}
			if n := s.Next(at); !n.After(at) {
				t.Errorf("Next(%v) = %v, not after", at, n)
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
	if off.By < 0 || off.By >= time.Minute {
		t.Fatalf("offset %v outside [0, 1m)", off.By)
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
