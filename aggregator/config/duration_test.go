package config

import (
	"testing"
	"time"

	"go.yaml.in/yaml/v3"
)

func TestDuration_UnmarshalYAML(t *testing.T) {
	tests := []struct {
		in      string
		want    Duration
		wantErr string
	}{
		{"d: 90s", Duration(90 * time.Second), ""},
		{"d: 15m", Duration(15 * time.Minute), ""},
		{"d: 1h30m", Duration(90 * time.Minute), ""},
		{"d: 14d", Duration(14 * 24 * time.Hour), ""},
		{"d: 1d12h", Duration(36 * time.Hour), ""},
		{"d: 0d", 0, ""},
		{"d: d", 0, `expected a duration like 90s, 15m, 1h30m or 14d, got "d"`},
		{"d: 1.5d", 0, `expected a duration like 90s, 15m, 1h30m or 14d, got "1.5d"`},
		{"d: 1d-2h", 0, `expected a duration like 90s, 15m, 1h30m or 14d, got "1d-2h"`},
		{"d: 9999999999d", 0, `expected a duration like 90s, 15m, 1h30m or 14d, got "9999999999d"`},
		{"d: 1dx", 0, `expected a duration like 90s, 15m, 1h30m or 14d, got "1dx"`},
		{"d: 30", 0, `expected a duration like 90s, 15m, 1h30m or 14d, got "30"`},
		{"d: [1s]", 0, "expected a duration like 90s, 15m, 1h30m or 14d, got a list"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			var v struct{ D Duration }
			err := yaml.Unmarshal([]byte(tt.in), &v)
			got := ""
			if err != nil {
				got = err.Error()
			}
			if got != tt.wantErr || v.D != tt.want {
				t.Errorf("got %v, err %q; want %v, err %q", v.D, got, tt.want, tt.wantErr)
			}
		})
	}
}

func TestDuration_String(t *testing.T) {
	if got := Duration(90 * time.Minute).String(); got != "1h30m0s" {
		t.Errorf("String() = %q, want 1h30m0s", got)
	}
}

func TestFormatDuration(t *testing.T) {
	tests := []struct {
		in   time.Duration
		want string
	}{
		{14 * 24 * time.Hour, "14d"},
		{36 * time.Hour, "36h0m0s"},
		{90 * time.Second, "1m30s"},
		{0, "0s"},
	}
	for _, tt := range tests {
		got := FormatDuration(tt.in)
		if got != tt.want {
			t.Errorf("FormatDuration(%v) = %q, want %q", tt.in, got, tt.want)
		}
		if back, err := ParseDuration(got); err != nil || back != tt.in {
			t.Errorf("ParseDuration(%q) = %v, %v; want %v", got, back, err, tt.in)
		}
	}
}
