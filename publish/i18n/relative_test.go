package i18n

import (
	"testing"
	"time"
)

func TestRelative(t *testing.T) {
	now := time.Date(2026, 12, 2, 2, 15, 0, 0, time.UTC)
	tests := []struct {
		offset time.Duration // at - now
		en, zh string
	}{
		{0, "just now", "刚刚"},
		{-59 * time.Second, "just now", "刚刚"},
		{30 * time.Second, "in less than a minute", "不到 1 分钟后"},
		{-time.Minute, "1 minute ago", "1 分钟前"},
		{-3*time.Minute - 59*time.Second, "3 minutes ago", "3 分钟前"},
		{5 * time.Minute, "in 5 minutes", "5 分钟后"},
		{-59 * time.Minute, "59 minutes ago", "59 分钟前"},
		{-time.Hour, "1 hour ago", "1 小时前"},
		{-23*time.Hour - 59*time.Minute, "23 hours ago", "23 小时前"},
		{2 * time.Hour, "in 2 hours", "2 小时后"},
		{-24 * time.Hour, "1 day ago", "1 天前"},
		{-72 * time.Hour, "3 days ago", "3 天前"},
		{49 * time.Hour, "in 2 days", "2 天后"},
	}
	for _, tt := range tests {
		at := now.Add(tt.offset)
		if got := Relative(EN, at, now); got != tt.en {
			t.Errorf("en %v: %q, want %q", tt.offset, got, tt.en)
		}
		if got := Relative(ZH, at, now); got != tt.zh {
			t.Errorf("zh %v: %q, want %q", tt.offset, got, tt.zh)
		}
	}
}

// agoNow is the clock of TestLang_Ago.
var agoNow = time.Date(2026, 11, 17, 8, 0, 0, 0, time.UTC)

func TestLang_Ago(t *testing.T) {
	tests := []struct {
		d      time.Duration
		zh, en string
	}{
		{30 * time.Second, "刚刚", "just now"},
		{3 * time.Minute, "3 分钟前", "3 minutes ago"},
		{time.Minute, "1 分钟前", "1 minute ago"},
		{5 * time.Hour, "5 小时前", "5 hours ago"},
		{72 * time.Hour, "3 天前", "3 days ago"},
		{-2 * time.Hour, "2 小时后", "in 2 hours"},
	}
	for _, tt := range tests {
		t.Run(tt.en, func(t *testing.T) {
			if got := Lang(ZH).Ago(agoNow.Add(-tt.d), agoNow); got != tt.zh {
				t.Errorf("zh %q, want %q", got, tt.zh)
			}
			if got := Lang(EN).Ago(agoNow.Add(-tt.d), agoNow); got != tt.en {
				t.Errorf("en %q, want %q", got, tt.en)
			}
		})
	}
}

// TestLang_AgoZero: an unknown time says nothing.
func TestLang_AgoZero(t *testing.T) {
	if got := Lang(EN).Ago(time.Time{}, agoNow); got != "" {
		t.Errorf("zero time: %q", got)
	}
}
