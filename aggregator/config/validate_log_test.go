package config

import (
	"log/slog"
	"strings"
	"testing"
)

func TestParse_Log(t *testing.T) {
	tests := []struct {
		name, yaml string
		wantErr    string
		wantFormat string
		wantLevel  slog.Level
	}{
		{name: "defaults", yaml: "", wantLevel: slog.LevelInfo},
		{name: "json debug", yaml: "log:\n  format: json\n  level: debug\n", wantFormat: "json", wantLevel: slog.LevelDebug},
		{name: "text warn", yaml: "log:\n  format: text\n  level: WARN\n", wantFormat: "text", wantLevel: slog.LevelWarn},
		{name: "bad format", yaml: "log:\n  format: xml\n", wantErr: `t.yaml:2: format: must be "text" or "json", got "xml"`},
		{name: "bad level", yaml: "log:\n  level: loud\n", wantErr: `t.yaml:2: level: must be debug, info, warn or error, got "loud"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := tt.yaml + "sections:\n  - id: news\n    sources:\n      - url: https://example.com/feed\n"
			c, err := Parse("t.yaml", []byte(data), nil)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if c.Log.Format != tt.wantFormat || c.Log.SlogLevel() != tt.wantLevel {
				t.Errorf("log = %+v (level %v), want format %q level %v", c.Log, c.Log.SlogLevel(), tt.wantFormat, tt.wantLevel)
			}
		})
	}
}
