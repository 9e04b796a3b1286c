package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestValidateSchedule_steps(t *testing.T) {
	tests := []struct {
		spec, wantErr string
	}{
		{"*/59 * * * *", ""},
		{"*/30 */12 */15 */6 */3", ""},
		{"0-30/15 * * * *", ""},
		{"5/10 * * * *", ""},
		{"*/5,7 * * * MON-FRI", ""},
		{"CRON_TZ=Asia/Shanghai */20 8 * * *", ""},
		{"*/61 * * * *", `invalid schedule "*/61 * * * *": minute step 61 is larger than its range 0-59 (the field would match 0 only); use a step of at most 59`},
		{"*/60 * * * *", `invalid schedule "*/60 * * * *": minute step 60 is larger than its range 0-59 (the field would match 0 only); use a step of at most 59`},
		{"0 */24 * * *", `invalid schedule "0 */24 * * *": hour step 24 is larger than its range 0-23 (the field would match 0 only); use a step of at most 23`},
		{"0 0 */31 * *", `invalid schedule "0 0 */31 * *": day of month step 31 is larger than its range 1-31 (the field would match 1 only); use a step of at most 30`},
		{"0 0 1 */13 *", `invalid schedule "0 0 1 */13 *": month step 13 is larger than its range 1-12 (the field would match 1 only); use a step of at most 11`},
		{"0 0 * * ?/7", `invalid schedule "0 0 * * ?/7": day of week step 7 is larger than its range 0-6 (the field would match 0 only); use a step of at most 6`},
		{"10-20/15 * * * *", `invalid schedule "10-20/15 * * * *": minute step 15 is larger than its range 10-20 (the field would match 10 only); use a step of at most 10`},
		{"CRON_TZ=UTC 1,*/90 * * * *", `invalid schedule "CRON_TZ=UTC 1,*/90 * * * *": minute step 90 is larger than its range 0-59 (the field would match 0 only); use a step of at most 59`},
		{"*/0 * * * *", `invalid schedule "*/0 * * * *": step of range should be a positive number: */0`},
	}
	for _, tt := range tests {
		t.Run(tt.spec, func(t *testing.T) {
			err := ValidateSchedule(tt.spec)
			got := ""
			if err != nil {
				got = err.Error()
			}
			if got != tt.wantErr {
				t.Errorf("ValidateSchedule(%q) = %q, want %q", tt.spec, got, tt.wantErr)
			}
		})
	}
}

// A config with such a step fails to load, at the line of the spec.
func TestLoad_cronStepOutOfRange(t *testing.T) {
	path := filepath.Join(t.TempDir(), "t.yaml")
	data := "sections:\n  - id: news\n    sources:\n      - url: https://example.com/feed.xml\n        schedule: \"*/61 * * * *\"\n"
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Load(path, nil)
	if err == nil || !strings.Contains(err.Error(), path+":5: ") || !strings.Contains(err.Error(), "minute step 61 is larger than its range 0-59") {
		t.Fatalf("Load = %v, want an error at line 5 about the minute step", err)
	}
}
