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
		{"d: 30", 0, `expected a duration like 90s, 15m or 1h30m, got "30"`},
		{"d: [1s]", 0, "expected a duration like 90s, 15m or 1h30m, got a list"},
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
