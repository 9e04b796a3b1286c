package plan_test

import (
	"testing"
	"time"

	"github.com/tributary-rss/tributary/aggregator/config"
	"github.com/tributary-rss/tributary/aggregator/scheduler/plan"
	"github.com/tributary-rss/tributary/aggregator/scheduler/plan/plantest"
)

func TestPlan_AfterSuccess(t *testing.T) {
	tests := []struct {
		name  string
		plan  func(p *plan.Plan)
		due   time.Time
		hints plan.Hints
		want  time.Time
	}{
		{"no hints: next firing", nil, plantest.Due, plan.Hints{}, plantest.At("10:15")},
		{"first poll", nil, time.Time{}, plan.Hints{}, plantest.At("10:15")},
		{"early poll serves the later due time", nil, plantest.At("10:15"), plan.Hints{}, plantest.At("10:30")},
		{"max-age shorter than the schedule", nil, plantest.Due, plan.Hints{MaxAge: 5 * time.Minute}, plantest.At("10:15")},
		{"max-age pushes to the firing after it", nil, plantest.Due, plan.Hints{MaxAge: time.Hour}, plantest.At("11:15")},
		{"expires on a firing", nil, plantest.Due, plan.Hints{Expires: plantest.At("12:00")}, plantest.At("12:00")},
		{"expires in the past", nil, plantest.Due, plan.Hints{Expires: plantest.At("09:00")}, plantest.At("10:15")},
		{"ttl", nil, plantest.Due, plan.Hints{TTL: 60 * time.Minute}, plantest.At("11:15")},
		{"sy:updatePeriod", nil, plantest.Due, plan.Hints{UpdateEvery: 30 * time.Minute}, plantest.At("10:45")},
		{"largest hint wins", nil, plantest.Due, plan.Hints{MaxAge: time.Hour, TTL: 2 * time.Hour, UpdateEvery: 30 * time.Minute}, plantest.At("12:15")},
		{"huge ttl bounded by max_interval", nil, plantest.Due, plan.Hints{TTL: 7 * 24 * time.Hour}, plantest.At("10:15").Add(24 * time.Hour)},
		{"configured max_interval", func(p *plan.Plan) { p.MaxInterval = time.Hour }, plantest.Due, plan.Hints{TTL: 7 * 24 * time.Hour}, plantest.At("11:15")},
		{"skipHours", nil, plantest.Due, plan.Hints{SkipHours: []int{10, 11}}, plantest.At("12:00")},
		{"skipHours after a ttl", nil, plantest.Due, plan.Hints{TTL: time.Hour, SkipHours: []int{11}}, plantest.At("12:00")},
		{"skipDays", nil, plantest.Due, plan.Hints{SkipDays: []time.Weekday{time.Saturday}}, plantest.At("00:00").Add(24 * time.Hour)},
		{"skipDays bounded by max_interval", func(p *plan.Plan) { p.MaxInterval = 2 * time.Hour }, plantest.Due,
			plan.Hints{SkipDays: []time.Weekday{time.Saturday}}, plantest.At("12:15")},
		{"every hour skipped is ignored", nil, plantest.Due, plan.Hints{SkipHours: allHours()}, plantest.At("10:15").Add(24 * time.Hour)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := plantest.QuarterHourly()
			if tt.plan != nil {
				tt.plan(&p)
			}
			if got := p.AfterSuccess(plantest.Now, tt.due, tt.hints); !got.Equal(tt.want) {
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
		{"catch-up seconds before a firing skips it", plantest.At("10:14").Add(50 * time.Second), time.Time{}, plantest.At("10:30")},
		{"catch-up half an interval before a firing keeps it", plantest.At("10:07").Add(30 * time.Second), time.Time{}, plantest.At("10:15")},
		{"catch-up just after a firing", plantest.At("10:00").Add(time.Second), time.Time{}, plantest.At("10:15")},
		{"late poll of a firing keeps the next one", plantest.At("10:14"), plantest.Due, plantest.At("10:30")},
		{"requested poll serving a later due time", plantest.At("10:14"), plantest.At("10:15"), plantest.At("10:30")},
	}
	// Long intervals: the gap is capped, a weekly firing is kept when it
	// is more than maxPollGap away.
	weekly := plan.Plan{Schedule: config.PhasedEvery{Interval: 7 * 24 * time.Hour, Phase: 4 * 24 * time.Hour}}
	firing := weekly.Schedule.Next(plantest.Now)
	for _, tc := range []struct {
		name string
		now  time.Time
		want time.Time
	}{
		{"weekly: catch-up 12h before the firing keeps it", firing.Add(-12 * time.Hour), firing},
		{"weekly: catch-up 16m before the firing keeps it", firing.Add(-16 * time.Minute), firing},
		{"weekly: catch-up 5m before the firing skips it", firing.Add(-5 * time.Minute), firing.Add(7 * 24 * time.Hour)},
	} {
		if got := weekly.AfterSuccess(tc.now, time.Time{}, plan.Hints{}); !got.Equal(tc.want) {
			t.Errorf("%s: AfterSuccess = %v, want %v", tc.name, got, tc.want)
		}
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := plantest.QuarterHourly().AfterSuccess(tt.now, tt.due, plan.Hints{}); !got.Equal(tt.want) {
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
		plan       func(p *plan.Plan)
		errors     int
		retryAfter time.Duration
		want       time.Time
	}{
		{"first failure keeps the slot", nil, 1, -1, plantest.At("10:15")},
		{"second failure, least jitter", nil, 2, -1, plantest.At("10:15")},
		{"second failure, most jitter", func(p *plan.Plan) { p.Jitter = func() float64 { return 0.999 } }, 2, -1, plantest.At("10:30")},
		{"fourth failure", func(p *plan.Plan) { p.Jitter = func() float64 { return 0.5 } }, 4, -1, plantest.At("11:30")},
		{"capped at max_backoff", func(p *plan.Plan) { p.Jitter = func() float64 { return 0.999 } }, 30, -1, plantest.At("10:00").Add(24 * time.Hour)},
		{"configured max_backoff", func(p *plan.Plan) { p.MaxBackoff = time.Hour; p.Jitter = func() float64 { return 0.999 } }, 30, -1, plantest.At("11:00")},
		{"max_backoff under the interval", func(p *plan.Plan) { p.MaxBackoff = time.Minute }, 30, -1, plantest.At("10:15")},
		{"retry-after beyond backoff", nil, 1, 2 * time.Hour, plantest.At("12:15")},
		{"retry-after within backoff", func(p *plan.Plan) { p.Jitter = func() float64 { return 0.999 } }, 3, 10 * time.Second, plantest.At("11:00")},
		{"retry-after capped at 48h", nil, 1, 100 * time.Hour, plantest.At("10:15").Add(48 * time.Hour)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := plantest.QuarterHourly()
			if tt.plan != nil {
				tt.plan(&p)
			}
			if got := p.AfterFailure(plantest.Now, plantest.Due, tt.errors, tt.retryAfter); !got.Equal(tt.want) {
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
		p := plantest.QuarterHourly()
		p.Jitter = func() float64 { return tt.jitter }
		if got := p.Backoff(plantest.Now, tt.n); got != tt.want {
			t.Errorf("Backoff(%d) with jitter %v = %v, want %v", tt.n, tt.jitter, got, tt.want)
		}
	}
}

// Without a jitter func, backoff stays within [d/2, d] and never under the
// interval.
func TestPlan_BackoffRandomJitter(t *testing.T) {
	p := plan.Plan{Schedule: config.PhasedEvery{Interval: time.Minute}}
	for range 200 {
		if got := p.Backoff(plantest.Now, 4); got < 4*time.Minute || got > 8*time.Minute {
			t.Fatalf("Backoff(4) = %v, want within [4m, 8m]", got)
		}
	}
}
