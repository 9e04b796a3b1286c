package plan

import (
	"testing"
	"time"

	"github.com/tributary-rss/tributary/aggregator/config"
)

// Saturday 28 November 2026; the schedule fires every 15 minutes on the
// quarter hour, and the poll served the 10:00 firing and took 3 seconds.
var (
	planDue = time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC)
	planNow = planDue.Add(3 * time.Second)
)

func at(hhmm string) time.Time {
	t, err := time.Parse("2006-01-02 15:04", "2026-11-28 "+hhmm)
	if err != nil {
		panic(err)
	}
	return t
}

func quarterHourly() Plan {
	return Plan{Schedule: config.PhasedEvery{Interval: 15 * time.Minute}, Jitter: func() float64 { return 0 }}
}

func TestPlan_AfterSuccess(t *testing.T) {
	tests := []struct {
		name  string
		plan  func(p *Plan)
		due   time.Time
		hints Hints
		want  time.Time
	}{
		{"no hints: next firing", nil, planDue, Hints{}, at("10:15")},
		{"first poll", nil, time.Time{}, Hints{}, at("10:15")},
		{"early poll serves the later due time", nil, at("10:15"), Hints{}, at("10:30")},
		{"max-age shorter than the schedule", nil, planDue, Hints{MaxAge: 5 * time.Minute}, at("10:15")},
		{"max-age pushes to the firing after it", nil, planDue, Hints{MaxAge: time.Hour}, at("11:15")},
		{"expires on a firing", nil, planDue, Hints{Expires: at("12:00")}, at("12:00")},
		{"expires in the past", nil, planDue, Hints{Expires: at("09:00")}, at("10:15")},
		{"ttl", nil, planDue, Hints{TTL: 60 * time.Minute}, at("11:15")},
		{"sy:updatePeriod", nil, planDue, Hints{UpdateEvery: 30 * time.Minute}, at("10:45")},
		{"largest hint wins", nil, planDue, Hints{MaxAge: time.Hour, TTL: 2 * time.Hour, UpdateEvery: 30 * time.Minute}, at("12:15")},
		{"huge ttl bounded by max_interval", nil, planDue, Hints{TTL: 7 * 24 * time.Hour}, at("10:15").Add(24 * time.Hour)},
		{"configured max_interval", func(p *Plan) { p.MaxInterval = time.Hour }, planDue, Hints{TTL: 7 * 24 * time.Hour}, at("11:15")},
		{"skipHours", nil, planDue, Hints{SkipHours: []int{10, 11}}, at("12:00")},
		{"skipHours after a ttl", nil, planDue, Hints{TTL: time.Hour, SkipHours: []int{11}}, at("12:00")},
		{"skipDays", nil, planDue, Hints{SkipDays: []time.Weekday{time.Saturday}}, at("00:00").Add(24 * time.Hour)},
		{"skipDays bounded by max_interval", func(p *Plan) { p.MaxInterval = 2 * time.Hour }, planDue,
			Hints{SkipDays: []time.Weekday{time.Saturday}}, at("12:15")},
		{"every hour skipped is ignored", nil, planDue, Hints{SkipHours: allHours()}, at("10:15").Add(24 * time.Hour)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := quarterHourly()
			if tt.plan != nil {
				tt.plan(&p)
			}
			if got := p.AfterSuccess(planNow, tt.due, tt.hints); !got.Equal(tt.want) {
				t.Errorf("AfterSuccess = %v, want %v", got, tt.want)
			}
		})
	}
}

// TestPlan_AfterSuccessOffPhase: a poll off the schedule's phase (the
// start-up catch-up, or one an operator asked for) does not leave the
// source due again seconds later.
func TestPlan_AfterSuccessOffPhase(t *testing.T) {
	tests := []struct {
		name string
		now  time.Time
		due  time.Time
		want time.Time
	}{
		{"catch-up seconds before a firing skips it", at("10:14").Add(50 * time.Second), time.Time{}, at("10:30")},
		{"catch-up half an interval before a firing keeps it", at("10:07").Add(30 * time.Second), time.Time{}, at("10:15")},
		{"catch-up just after a firing", at("10:00").Add(time.Second), time.Time{}, at("10:15")},
		{"late poll of a firing keeps the next one", at("10:14"), planDue, at("10:30")},
		{"requested poll serving a later due time", at("10:14"), at("10:15"), at("10:30")},
	}
	// Long intervals: the gap is capped, a weekly firing is kept when it
	// is more than maxPollGap away.
	weekly := Plan{Schedule: config.PhasedEvery{Interval: 7 * 24 * time.Hour, Phase: 4 * 24 * time.Hour}}
	firing := weekly.Schedule.Next(planNow)
	for _, tc := range []struct {
		name string
		now  time.Time
		want time.Time
	}{
		{"weekly: catch-up 12h before the firing keeps it", firing.Add(-12 * time.Hour), firing},
		{"weekly: catch-up 16m before the firing keeps it", firing.Add(-16 * time.Minute), firing},
		{"weekly: catch-up 5m before the firing skips it", firing.Add(-5 * time.Minute), firing.Add(7 * 24 * time.Hour)},
	} {
		if got := weekly.AfterSuccess(tc.now, time.Time{}, Hints{}); !got.Equal(tc.want) {
			t.Errorf("%s: AfterSuccess = %v, want %v", tc.name, got, tc.want)
		}
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := quarterHourly().AfterSuccess(tt.now, tt.due, Hints{}); !got.Equal(tt.want) {
				t.Errorf("AfterSuccess(%v) = %v, want %v", tt.now.Format("15:04:05"), got, tt.want)
			}
		})
	}
}

func allHours() []int {
	h := make([]int, 24)
	for i := range h {
		h[i] = i
	}
	return h
}

func TestPlan_AfterFailure(t *testing.T) {
	tests := []struct {
		name       string
		plan       func(p *Plan)
		errors     int
		retryAfter time.Duration
		want       time.Time
	}{
		{"first failure keeps the slot", nil, 1, -1, at("10:15")},
		{"second failure, least jitter", nil, 2, -1, at("10:15")},
		{"second failure, most jitter", func(p *Plan) { p.Jitter = func() float64 { return 0.999 } }, 2, -1, at("10:30")},
		{"fourth failure", func(p *Plan) { p.Jitter = func() float64 { return 0.5 } }, 4, -1, at("11:30")},
		{"capped at max_backoff", func(p *Plan) { p.Jitter = func() float64 { return 0.999 } }, 30, -1, at("10:00").Add(24 * time.Hour)},
		{"configured max_backoff", func(p *Plan) { p.MaxBackoff = time.Hour; p.Jitter = func() float64 { return 0.999 } }, 30, -1, at("11:00")},
		{"max_backoff under the interval", func(p *Plan) { p.MaxBackoff = time.Minute }, 30, -1, at("10:15")},
		{"retry-after beyond backoff", nil, 1, 2 * time.Hour, at("12:15")},
		{"retry-after within backoff", func(p *Plan) { p.Jitter = func() float64 { return 0.999 } }, 3, 10 * time.Second, at("11:00")},
		{"retry-after capped at 48h", nil, 1, 100 * time.Hour, at("10:15").Add(48 * time.Hour)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := quarterHourly()
			if tt.plan != nil {
				tt.plan(&p)
			}
			if got := p.AfterFailure(planNow, planDue, tt.errors, tt.retryAfter); !got.Equal(tt.want) {
				t.Errorf("AfterFailure = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestPlan_Backoff(t *testing.T) {
	tests := []struct {
		n      int
		jitter float64
		want   time.Duration
	}{
		{1, 0, 15 * time.Minute},
		{1, 0.999, 15 * time.Minute},
		{2, 0, 15 * time.Minute},
		{2, 0.5, 22*time.Minute + 30*time.Second},
		{3, 0, 30 * time.Minute},
		{3, 0.5, 45 * time.Minute},
		{5, 0.5, 3 * time.Hour},
		{8, 0.5, 18 * time.Hour},
		{1000, 0.5, 18 * time.Hour},
	}
	for _, tt := range tests {
		p := quarterHourly()
		p.Jitter = func() float64 { return tt.jitter }
		if got := p.Backoff(planNow, tt.n); got != tt.want {
			t.Errorf("Backoff(%d) with jitter %v = %v, want %v", tt.n, tt.jitter, got, tt.want)
		}
	}
}

// Without a jitter func, backoff stays within [d/2, d] and never under the
// interval.
func TestPlan_BackoffRandomJitter(t *testing.T) {
	p := Plan{Schedule: config.PhasedEvery{Interval: time.Minute}}
	for range 200 {
		if got := p.Backoff(planNow, 4); got < 4*time.Minute || got > 8*time.Minute {
			t.Fatalf("Backoff(4) = %v, want within [4m, 8m]", got)
		}
	}
}
