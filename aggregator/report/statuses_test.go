package report

import (
	"testing"
	"time"

	"github.com/tributary-rss/tributary/aggregator/model"
)

func TestFreshnessText(t *testing.T) {
	now := time.Date(2025, 3, 31, 2, 0, 0, 0, time.UTC)
	tests := []struct {
		f    model.Freshness
		want string
	}{
		{model.Freshness{}, "-"},
		{model.Freshness{LastEntry: now.Add(-3 * 24 * time.Hour)}, "3d"},
		{model.Freshness{LastEntry: now.AddDate(0, 0, -40)}, "stale 40d"},
		{model.Freshness{LastEntry: now.AddDate(0, 0, -40), StaleAfter: 60 * 24 * time.Hour}, "40d"},
		{model.Freshness{FirstSeen: now.AddDate(0, 0, -3)}, "never"},
		{model.Freshness{FirstSeen: now.AddDate(0, 0, -20)}, "stale never"},
	}
	for _, tt := range tests {
		if got := freshnessText(tt.f, now); got != tt.want {
			t.Errorf("freshnessText(%+v) = %q, want %q", tt.f, got, tt.want)
		}
	}
}
