package model

import (
	"slices"
	"testing"
	"time"
)

var shanghai = time.FixedZone("CST", 8*3600)

func TestFreshness_Stale(t *testing.T) {
	now := time.Date(2025, 3, 31, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		f    Freshness
		want bool
	}{
		{"published this morning", Freshness{LastEntry: now.Add(-2 * time.Hour)}, false},
		{"exactly 14 days", Freshness{LastEntry: now.Add(-DefaultStaleAfter)}, false},
		{"14 days and a minute", Freshness{LastEntry: now.Add(-DefaultStaleAfter - time.Minute)}, true},
		{"40 days", Freshness{LastEntry: now.AddDate(0, 0, -40)}, true},
		{"own threshold of 60 days", Freshness{LastEntry: now.AddDate(0, 0, -40), StaleAfter: 60 * 24 * time.Hour}, false},
		{"never had an entry, known 3 days", Freshness{FirstSeen: now.AddDate(0, 0, -3)}, false},
		{"never had an entry, known 20 days", Freshness{FirstSeen: now.AddDate(0, 0, -20)}, true},
		{"nothing known", Freshness{}, false},
		{"dated ahead", Freshness{LastEntry: now.Add(time.Hour)}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.f.Stale(now); got != tt.want {
				t.Errorf("Stale = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestFreshness_DaysSinceLastEntry(t *testing.T) {
	now := time.Date(2025, 3, 31, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		name   string
		last   time.Time
		want   int
		wantOK bool
	}{
		{"none", time.Time{}, 0, false},
		{"an hour", now.Add(-time.Hour), 0, true},
		{"23h59m", now.Add(-24*time.Hour + time.Minute), 0, true},
		{"a day", now.Add(-24 * time.Hour), 1, true},
		{"14 days and an hour", now.Add(-14*24*time.Hour - time.Hour), 14, true},
		{"ahead", now.Add(5 * time.Hour), 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := Freshness{LastEntry: tt.last}.DaysSinceLastEntry(now)
			if got != tt.want || ok != tt.wantOK {
				t.Errorf("DaysSinceLastEntry = %d, %v; want %d, %v", got, ok, tt.want, tt.wantOK)
			}
		})
	}
}

func TestActivity_Daily(t *testing.T) {
	// 2025-03-31 01:00 in Beijing is still the 30th in UTC: the days
	// are the zone's.
	now := time.Date(2025, 3, 30, 17, 0, 0, 0, time.UTC)
	a := Activity{"2025-03-31": 2, "2025-03-30": 1, "2025-03-02": 4, "2025-03-01": 9, "2025-04-01": 7}
	got := a.Daily(now, shanghai, 30)
	want := make([]int, 30)
	want[0], want[28], want[29] = 4, 1, 2
	if !slices.Equal(got, want) {
		t.Errorf("Daily = %v, want %v", got, want)
	}
	if got := a.Daily(now, time.UTC, 1); !slices.Equal(got, []int{1}) {
		t.Errorf("Daily in UTC = %v, want [1]", got)
	}
	if got := a.Daily(now, shanghai, 0); got != nil {
		t.Errorf("Daily of 0 days = %v, want nil", got)
	}
}

func TestStaleAfterFor(t *testing.T) {
	day := 24 * time.Hour
	secs := []Section{{ID: "a", StaleAfter: 30 * day}, {ID: "b", StaleAfter: 7 * day}, {ID: "c"}}
	tests := []struct {
		name string
		own  time.Duration
		secs []Section
		def  time.Duration
		want time.Duration
	}{
		{"own wins", 60 * day, secs, 14 * day, 60 * day},
		{"shortest section", 0, secs, 14 * day, 7 * day},
		{"config default", 0, []Section{{ID: "c"}}, 21 * day, 21 * day},
		{"built-in default", 0, nil, 0, DefaultStaleAfter},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := StaleAfterFor(tt.own, tt.secs, tt.def); got != tt.want {
				t.Errorf("StaleAfterFor = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestActivityZone(t *testing.T) {
	tokyo := time.FixedZone("JST", 9*3600)
	src := Source{Location: tokyo}
	if got := ActivityZone([]Section{{ID: "x"}, {ID: "y", Location: shanghai}}, src); got != shanghai {
		t.Errorf("zone = %v, want the first section's with one", got)
	}
	if got := ActivityZone(nil, src); got != tokyo {
		t.Errorf("zone = %v, want the source's", got)
	}
	if got := ActivityZone(nil, Source{}); got != time.UTC {
		t.Errorf("zone = %v, want UTC", got)
	}
}
