package normalize

import (
	"testing"
	"time"
)

// TestParseDateAt_SplitForms: list templates print a date in two parts,
// the day over the year and month (<span>10</span><p>2025-03</p>) or the
// month and day over the year (<p>03/10</p><span>2025</span>); a date
// selector on their container reads both parts, and the year is the one
// printed, not the fetch's. Text that only holds numbers (view counts,
// issue numbers) is no date.
func TestParseDateAt_SplitForms(t *testing.T) {
	shanghai := mustLoad(t, "Asia/Shanghai")
	// 2026-12-01 10:00 in Shanghai: a month-day alone would be read in 2026.
	now := time.Date(2026, 12, 1, 2, 0, 0, 0, time.UTC)
	const march10 = "2025-03-09T16:00:00Z"
	tests := []struct {
		name string
		raw  string
		want string // RFC 3339 in UTC; "" means no parse
	}{
		{"month/day over year", "03/10 2025", march10},
		{"month-day over year", "03-10 2025", march10},
		{"month.day over year", "03.10 2025", march10},
		{"month-day over year on two lines", "03-10\n2025", march10},
		{"year then month/day", "2025 03/10", march10},
		{"day over year-month", "10 2025-03", march10},
		{"day over year.month on two lines", "10\n2025.03", march10},
		{"day over year/month", "10 2025/03", march10},
		{"day over chinese year-month", "10 2025年03月", march10},
		{"year-month then day", "2025-03 10", march10},
		{"year.month then day", "2025.03 10", march10},
		{"single-digit day", "1 2025-03", "2025-02-28T16:00:00Z"},
		{"chinese month-day over year", "3月10日 2025", march10},
		{"in brackets", "[03/10 2025]", march10},
		{"with a label", "发布时间：10 2025-03", march10},
		{"view count", "浏览 1203 次", ""},
		{"a number and a year", "12 2025", ""},
		{"two numbers", "10 03", ""},
		{"no month", "2025 10", ""},
		{"impossible day", "31 2025-02", ""},
		{"month 13", "10 2025-13", ""},
		{"year out of range", "10 1203-05", ""},
		{"three parts", "10 2025-03 12", ""},
		{"words around", "第10期 2025-03", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := ParseDateAt(tt.raw, shanghai, now)
			if tt.want == "" {
				if ok {
					t.Fatalf("ParseDateAt(%q) = %s, want no date", tt.raw, got.Format(time.RFC3339))
				}
				return
			}
			if !ok || got.Format(time.RFC3339) != tt.want {
				t.Fatalf("ParseDateAt(%q) = %s (%v), want %s", tt.raw, got.Format(time.RFC3339), ok, tt.want)
			}
		})
	}
}

// TestParseDateAt_MonthDay: a date printed without a year is this year's
// in the source's zone, or last year's when this year's would be in the
// future there.
func TestParseDateAt_MonthDay(t *testing.T) {
	shanghai := mustLoad(t, "Asia/Shanghai")
	tests := []struct {
		name, raw string
		now       time.Time
		want      string
	}{
		{"earlier this year", "12-05", time.Date(2026, 12, 10, 2, 0, 0, 0, time.UTC), "2026-12-04T16:00:00Z"},
		{"today", "12-10", time.Date(2026, 12, 10, 2, 0, 0, 0, time.UTC), "2026-12-09T16:00:00Z"},
		{"later this year is last year's", "12-05", time.Date(2026, 1, 2, 2, 0, 0, 0, time.UTC), "2025-12-04T16:00:00Z"},
		// 2026-01-01 17:00 UTC is already January 2nd in Shanghai.
		{"today in the source's zone", "01-02", time.Date(2026, 1, 1, 17, 0, 0, 0, time.UTC), "2026-01-01T16:00:00Z"},
		{"in brackets", "[12-05]", time.Date(2026, 12, 10, 2, 0, 0, 0, time.UTC), "2026-12-04T16:00:00Z"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := ParseDateAt(tt.raw, shanghai, tt.now)
			if !ok || got.Format(time.RFC3339) != tt.want {
				t.Fatalf("ParseDateAt(%q) = %s (%v), want %s", tt.raw, got.Format(time.RFC3339), ok, tt.want)
			}
		})
	}
}
