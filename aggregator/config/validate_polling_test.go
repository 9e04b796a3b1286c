package config

import (
	"maps"
	"testing"
	"time"
)

// src1 is a source listing whose extra lines follow at 8-space indentation.
const src1 = "sections:\n  - id: news\n    sources:\n      - url: https://example.com/a.xml\n"

func TestParse_PollingInvalid(t *testing.T) {
	tests := []struct {
		name string
		yaml string
		want []string
	}{
		{"zero per_host", "fetch:\n  per_host: 0\n" + src1, []string{"2: per_host: must be at least 1, got 0"}},
		{"negative connect_timeout", "fetch:\n  connect_timeout: -1s\n" + src1, []string{"2: connect_timeout: must be more than zero, got -1s"}},
		{"zero header_timeout", "fetch:\n  header_timeout: 0s\n" + src1, []string{"2: header_timeout: must be more than zero, got 0s"}},
		{"bad max_backoff", "fetch:\n  max_backoff: soon\n" + src1, []string{`2: max_backoff: expected a duration like 90s, 15m, 1h30m or 14d, got "soon"`}},
		{"zero max_interval", "defaults:\n  max_interval: 0s\n" + src1, []string{"2: max_interval: must be more than zero, got 0s"}},
		{"headers not a mapping", src1 + "        headers: [a]\n", []string{"5: headers: expected a mapping, got a list"}},
		{"header value not a string", src1 + "        headers:\n          X-A: {b: c}\n", []string{`6: headers: "X-A": expected a string value, got a mapping`}},
		{"duplicate header", src1 + "        headers:\n          X-A: b\n          X-A: c\n", []string{`7: headers: duplicate key "X-A" (first at line 6)`}},
		{"bad header name", src1 + "        headers:\n          \"X A\": b\n", []string{`6: headers: "X A" is not a valid header name`}},
		{"reserved header", src1 + "        headers:\n          if-none-match: x\n", []string{"6: headers: If-None-Match is set by Tributary itself and cannot be overridden"}},
		{"conflicting headers", src1 + "        headers:\n          X-A: b\n  - id: hot\n    sources:\n      - url: https://example.com/a.xml\n        headers:\n          X-A: c\n",
			[]string{"11: headers: conflict with the headers for the same url at line 6"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Parse("t.yaml", []byte(tt.yaml), nil)
			assertProblems(t, c, err, "t.yaml", tt.want)
		})
	}
}

func TestParse_Polling(t *testing.T) {
	yaml := "defaults:\n  max_interval: 6h\nfetch:\n  connect_timeout: 3s\n  header_timeout: 4s\n  per_host: 5\n  max_backoff: 2h\n" +
		src1 + "        headers:\n          X-Api-Key: secret\n          Cookie: \"a=1; b=2\"\n" +
		"  - id: hot\n    sources:\n      - url: https://example.com/a.xml\n      - url: https://example.com/b.xml\n"
	c, err := Parse("t.yaml", []byte(yaml), nil)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name      string
		got, want any
	}{
		{"max_interval", c.Defaults.MaxInterval, Duration(6 * time.Hour)},
		{"connect_timeout", c.Fetch.ConnectTimeout, Duration(3 * time.Second)},
		{"header_timeout", c.Fetch.HeaderTimeout, Duration(4 * time.Second)},
		{"per_host", c.Fetch.PerHost, 5},
		{"max_backoff", c.Fetch.MaxBackoff, Duration(2 * time.Hour)},
		{"headers of the listed source", maps.Equal(c.Sources()[0].Headers, map[string]string{"X-Api-Key": "secret", "Cookie": "a=1; b=2"}), true},
		{"no headers elsewhere", c.Sources()[1].Headers == nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got != tt.want {
				t.Errorf("got %v, want %v", tt.got, tt.want)
			}
		})
	}
}

func TestParse_PollingDefaults(t *testing.T) {
	c, err := Parse("t.yaml", []byte(src1), nil)
	if err != nil {
		t.Fatal(err)
	}
	got := []any{c.Defaults.MaxInterval, c.Fetch.ConnectTimeout, c.Fetch.HeaderTimeout, c.Fetch.PerHost, c.Fetch.MaxBackoff}
	want := []any{Duration(24 * time.Hour), Duration(10 * time.Second), Duration(20 * time.Second), 2, Duration(24 * time.Hour)}
	for i := range got {
		if got[i] != want[i] {
			t.Errorf("default %d = %v, want %v", i, got[i], want[i])
		}
	}
}
