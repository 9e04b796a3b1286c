package config

import (
	"strings"
	"testing"
)

func TestParse_SchedulerShards(t *testing.T) {
	const base = "sections:\n  - id: news\n    sources:\n      - url: https://a.example.org/rss.xml\n"
	tests := []struct {
		name, yaml string
		want       int
		wantErr    string
	}{
		{name: "default", yaml: base, want: DefaultSchedulerShards},
		{name: "for a cluster", yaml: "scheduler:\n  shards: 16\n" + base, want: 16},
		{name: "zero", yaml: "scheduler:\n  shards: 0\n" + base, wantErr: "t.yaml:2: shards: must be at least 1, got 0"},
		{name: "too many", yaml: "scheduler:\n  shards: 1000\n" + base, wantErr: "t.yaml:2: shards: must be at most 256, got 1000"},
		{name: "not a number", yaml: "scheduler:\n  shards: many\n" + base, wantErr: "t.yaml:2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := Parse("t.yaml", []byte(tt.yaml), func(string) string { return "" })
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if cfg.Scheduler.Shards != tt.want {
				t.Errorf("shards = %d, want %d", cfg.Scheduler.Shards, tt.want)
			}
		})
	}
}
