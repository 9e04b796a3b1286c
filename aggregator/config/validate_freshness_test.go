package config

import (
	"strings"
	"testing"
	"time"

	"github.com/tributary-rss/tributary/aggregator/model"
)

const day = 24 * time.Hour

func TestParse_Freshness(t *testing.T) {
	// Two sections of a bureau: schools' news (the default threshold),
	// notices (a section's own), one school with its own, and a URL
	// listed in both sections.
	const base = "sections:\n" +
		"  - id: schools\n    sources:\n" +
		"      - url: https://a.example.edu.cn/xwzx/index.htm\n" +
		"      - url: https://b.example.edu.cn/rss.xml\n        stale_after: 30d\n" +
		"      - url: https://c.example.edu.cn/rss.xml\n" +
		"  - id: notices\n    stale_after: 7d\n    sources:\n" +
		"      - url: https://c.example.edu.cn/rss.xml\n" +
		"      - url: https://d.example.edu.cn/tzgg.htm\n"
	tests := []struct {
		name, yaml string
		wantErr    string
		// want is each source's threshold by URL host's first letter.
		want      map[string]time.Duration
		wantTop   Duration
		wantPerID map[string]time.Duration
	}{
		{name: "default 14d", yaml: base, wantTop: DefaultStaleAfter,
			want:      map[string]time.Duration{"a": 14 * day, "b": 30 * day, "c": 7 * day, "d": 7 * day},
			wantPerID: map[string]time.Duration{"schools": 14 * day, "notices": 7 * day}},
		{name: "top level in days and hours", yaml: "freshness:\n  stale_after: 20d12h\n" + base, wantTop: Duration(20*day + 12*time.Hour),
			want:      map[string]time.Duration{"a": 20*day + 12*time.Hour, "b": 30 * day, "c": 7 * day, "d": 7 * day},
			wantPerID: map[string]time.Duration{"schools": 20*day + 12*time.Hour, "notices": 7 * day}},
		{name: "zero", yaml: "freshness:\n  stale_after: 0d\n" + base, wantErr: "t.yaml:2: stale_after: must be more than zero, got 0s"},
		{name: "not a duration", yaml: "freshness:\n  stale_after: two weeks\n" + base,
			wantErr: `t.yaml:2: stale_after: expected a duration like 90s, 15m, 1h30m or 14d, got "two weeks"`},
		{name: "negative on a source", yaml: "sections:\n  - id: s\n    sources:\n      - url: https://a.example.edu.cn/\n        stale_after: -1h\n",
			wantErr: "t.yaml:5: stale_after: must be more than zero, got -1h0m0s"},
		{name: "listings disagree", yaml: "sections:\n  - id: s\n    sources:\n      - url: https://a.example.edu.cn/\n        stale_after: 10d\n" +
			"  - id: t\n    sources:\n      - url: https://a.example.edu.cn/\n        stale_after: 20d\n",
			wantErr: "t.yaml:9: stale_after: 20d conflicts with 10d for the same url at line 5"},
		{name: "unknown key", yaml: "freshness:\n  stale: 3d\n" + base,
			wantErr: `t.yaml:2: unknown key "stale" in freshness; allowed keys: stale_after`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Parse("t.yaml", []byte(tt.yaml), nil)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if c.Freshness.StaleAfter != tt.wantTop {
				t.Errorf("freshness.stale_after = %v, want %v", c.Freshness.StaleAfter, tt.wantTop)
			}
			for _, src := range c.Sources() {
				letter := strings.TrimPrefix(src.URL, "https://")[:1]
				if src.StaleAfter != tt.want[letter] {
					t.Errorf("source %s: StaleAfter = %v, want %v", src.URL, src.StaleAfter, tt.want[letter])
				}
			}
			for _, sec := range c.Sections() {
				if sec.StaleAfter != tt.wantPerID[sec.ID] {
					t.Errorf("section %s: StaleAfter = %v, want %v", sec.ID, sec.StaleAfter, tt.wantPerID[sec.ID])
				}
			}
		})
	}
}

// TestParse_FreshnessMatchesModel: a source listed in sections with
// different thresholds takes the shortest, as model.StaleAfterFor says.
func TestParse_FreshnessMatchesModel(t *testing.T) {
	c, err := Parse("t.yaml", []byte("sections:\n  - id: a\n    stale_after: 30d\n    sources:\n      - url: https://x.example.org/\n"+
		"  - id: b\n    stale_after: 10d\n    sources:\n      - url: https://x.example.org/\n"), nil)
	if err != nil {
		t.Fatal(err)
	}
	src := c.Sources()[0]
	if want := model.StaleAfterFor(0, c.Sections(), 0); src.StaleAfter != want || want != 10*day {
		t.Errorf("StaleAfter = %v, want %v (10d)", src.StaleAfter, want)
	}
}
