package normalize

import (
	"testing"
	"time"
)

// TestParseDateAt_CMS covers the dates of CMS list pages and of feeds
// written by the same CMSs: labels, brackets, dates without a year read
// against the fetch time, and Unix timestamps.
func TestParseDateAt_CMS(t *testing.T) {
	shanghai := mustLoad(t, "Asia/Shanghai")
	// 2026-10-20 10:00 in Shanghai.
	now := time.Date(2026, 10, 20, 2, 0, 0, 0, time.UTC)
	newYear := time.Date(2027, 1, 2, 1, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		raw  string
		now  time.Time
		want string // RFC 3339 in UTC; "" means no parse
	}{
		{"iso date", "2026-10-17", now, "2026-10-16T16:00:00Z"},
		{"slashes", "2026/10/17", now, "2026-10-16T16:00:00Z"},
		{"chinese", "2026年10月17日", now, "2026-10-16T16:00:00Z"},
		{"iso with time", "2026-10-17 09:30", now, "2026-10-17T01:30:00Z"},
		{"label full-width colon", "发布时间：2026-10-17", now, "2026-10-16T16:00:00Z"},
		{"label with time", "发布时间：2026-10-17 09:30", now, "2026-10-17T01:30:00Z"},
		{"label ascii colon", "日期: 2026/10/17", now, "2026-10-16T16:00:00Z"},
		{"english label", "Date: 2026-10-17", now, "2026-10-16T16:00:00Z"},
		{"brackets", "[2026-10-17]", now, "2026-10-16T16:00:00Z"},
		{"parentheses", "(2026-10-17)", now, "2026-10-16T16:00:00Z"},
		{"full-width parentheses", "（2026-10-17）", now, "2026-10-16T16:00:00Z"},
		{"label then brackets", "日期：【2026-10-17】", now, "2026-10-16T16:00:00Z"},
		{"brackets then label", "[发布时间: 2026-10-17]", now, "2026-10-16T16:00:00Z"},
		{"month day chinese", "10月17日", now, "2026-10-16T16:00:00Z"},
		{"month day chinese with time", "10月17日 09:30", now, "2026-10-17T01:30:00Z"},
		{"month day hyphen", "10-17", now, "2026-10-16T16:00:00Z"},
		{"month day brackets", "[10-17]", now, "2026-10-16T16:00:00Z"},
		{"month day slash", "10/17", now, "2026-10-16T16:00:00Z"},
		{"month day with time", "10-17 09:30", now, "2026-10-17T01:30:00Z"},
		{"month day today", "10-20", now, "2026-10-19T16:00:00Z"},
		{"month day tomorrow is last year", "10-21", now, "2025-10-20T16:00:00Z"},
		{"december read in january", "12-31", newYear, "2026-12-30T16:00:00Z"},
		{"january read in january", "01-02", newYear, "2027-01-01T16:00:00Z"},
		{"feb 29 looks back to a leap year", "02-29", now, "2024-02-28T16:00:00Z"},
		{"month day without clock", "10-17", time.Time{}, ""},
		{"month day bad", "13-17", now, ""},
		{"unix seconds", "1760665800", now, "2025-10-17T01:50:00Z"},
		{"unix milliseconds", "1760665800123", now, "2025-10-17T01:50:00.123Z"},
		{"eight digits stay compact dates", "20261017", now, ""},
		{"date after a sentence", "这是一个很长很长的句子而不是标签的文字：2026-10-17", now, "2026-10-16T16:00:00Z"},
		{"weekday kept", "Sat, 17 Oct 2026 10:30:00 +0800", now, "2026-10-17T02:30:00Z"},
		{"rfc822 comment kept", "Sat, 17 Oct 2026 10:30:00 +0800 (CST)", now, "2026-10-17T02:30:00Z"},
		{"label only", "发布时间：", now, ""},
		{"empty brackets", "[]", now, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := ParseDateAt(tt.raw, shanghai, tt.now)
			if tt.want == "" {
				if ok {
					t.Errorf("ParseDateAt(%q) = %s, want no parse", tt.raw, got.Format(time.RFC3339Nano))
				}
				return
			}
			if !ok {
				t.Fatalf("ParseDateAt(%q) failed, want %s", tt.raw, tt.want)
			}
			if s := got.Format(time.RFC3339Nano); s != tt.want {
				t.Errorf("ParseDateAt(%q) = %s, want %s", tt.raw, s, tt.want)
			}
		})
	}
}

// TestParseDate_NoYearNeedsClock: ParseDate has no clock, so it cannot
// place a date without a year and says so rather than guessing.
func TestParseDate_NoYearNeedsClock(t *testing.T) {
	for _, raw := range []string{"10-17", "10月17日", "[10-17]"} {
		if got, ok := ParseDate(raw, time.UTC); ok {
			t.Errorf("ParseDate(%q) = %s, want no parse", raw, got)
		}
	}
	if _, ok := ParseDate("发布时间：2026-10-17", time.UTC); !ok {
		t.Error("ParseDate does not strip labels")
	}
}

// FuzzParseDateAt: no input panics, and a parsed date is a real instant
// with a four-digit year.
func FuzzParseDateAt(f *testing.F) {
	for _, s := range []string{"发布时间：2026-10-17", "[10-17]", "10月17日 09:30", "1760665800", "（2026-10-17）", "日期:",
		"Posted on November 29, 2026 2:30 PM", "发布时间：２０２６－１１－２９", "2026 年 11 月 29 日 14时30分00秒",
		"点击：123 日期：2026/11/29", "12:00 a.m.", "Nov 31st, 2026"} {
		f.Add(s)
	}
	now := time.Date(2026, 10, 20, 2, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, raw string) {
		got, ok := ParseDateAt(raw, time.UTC, now)
		if ok && (got.Year() < 1000 || got.Year() > 9999) {
			t.Errorf("ParseDateAt(%q) = %s", raw, got)
		}
	})
}
