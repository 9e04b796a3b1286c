package model

import (
	"testing"
	"time"
)

func TestSection_limits(t *testing.T) {
	now := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	if got := (Section{}).Keep(); got != DefaultSectionMaxItems {
		t.Errorf("Keep of an unset section = %d", got)
	}
	if got := (Section{MaxItems: 7}).Keep(); got != 7 {
		t.Errorf("Keep = %d, want 7", got)
	}
	if _, ok := (Section{}).MinScore(now); ok {
		t.Error("a section without max_age has a minimum score")
	}
	if ms, ok := (Section{MaxAge: 48 * time.Hour}).MinScore(now); !ok || ms != now.Add(-48*time.Hour).UnixMilli() {
		t.Errorf("MinScore = %d, %v", ms, ok)
	}
	if (Section{}).TitleWindow() != 0 || (Section{DedupTitles: true}).TitleWindow() != TitleDedupWindow.Milliseconds() {
		t.Error("TitleWindow wrong")
	}
}
