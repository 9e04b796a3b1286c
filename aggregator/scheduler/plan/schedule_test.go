package plan_test

import (
	"testing"
	"time"

	"github.com/tributary-rss/tributary/aggregator/config"
	"github.com/tributary-rss/tributary/aggregator/scheduler/plan"
)

func TestPeriod(t *testing.T) {
	at := time.Date(2026, 10, 17, 10, 0, 30, 0, time.UTC)
	tests := []struct {
		spec string
		want time.Duration
	}{
		{"@every 15m", 15 * time.Minute},
		{"*/10 * * * *", 10 * time.Minute},
		{"CRON_TZ=Asia/Shanghai 0 9 * * *", 24 * time.Hour},
		{"CRON_TZ=Asia/Shanghai @every 15m", 15 * time.Minute},
		{"0 0 30 2 *", 0}, // never fires
	}
	for _, tt := range tests {
		t.Run(tt.spec, func(t *testing.T) {
			s, err := config.ParseSchedule(tt.spec, "src-a")
			if err != nil {
				t.Fatal(err)
			}
			if got := plan.Period(s, at); got != tt.want {
				t.Errorf("Period = %v, want %v", got, tt.want)
			}
		})
	}
}
