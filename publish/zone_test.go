package publish

import (
	"testing"
	"time"
)

func TestZonedTime(t *testing.T) {
	at := time.Date(2026, 12, 2, 2, 15, 30, 0, time.UTC)
	la, err := time.LoadLocation("America/Los_Angeles")
	if err != nil {
		t.Fatal(err)
	}
	dubai, err := time.LoadLocation("Asia/Dubai")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		loc  *time.Location
		want string
	}{
		{time.UTC, "2026-12-02 02:15\u00a0UTC"},
		{shanghai(t), "2026-12-02 10:15\u00a0CST"},
		{la, "2026-12-01 18:15\u00a0PST"},
		// The tz database names this zone "+04": the label is the offset.
		{dubai, "2026-12-02 06:15\u00a0+04:00"},
		{time.FixedZone("", -(3*3600 + 1800)), "2026-12-01 22:45\u00a0-03:30"},
	}
	for _, tt := range tests {
		if got := zonedTime(at, tt.loc); got != tt.want {
			t.Errorf("%s: %q, want %q", tt.loc, got, tt.want)
		}
	}
}
