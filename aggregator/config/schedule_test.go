package config

import "testing"

func TestValidateSchedule(t *testing.T) {
	tests := []struct {
		spec, wantErr string
	}{
		{"@every 15m", ""},
		{"@every 1s", ""},
		{"@every 1h30m", ""},
		{"*/10 * * * *", ""},
		{"0 8 * * 1-5", ""},
		{"@hourly", ""},
		{"CRON_TZ=Asia/Shanghai 0 8 * * *", ""},
		{"TZ=UTC @every 5m", ""},
		{"", `invalid schedule "": empty spec string`},
		{"TZ=0", `invalid schedule "TZ=0": a time zone prefix needs a schedule after it, e.g. "CRON_TZ=Asia/Shanghai 0 8 * * *"`},
		{"CRON_TZ=UTC", `invalid schedule "CRON_TZ=UTC": a time zone prefix needs a schedule after it, e.g. "CRON_TZ=Asia/Shanghai 0 8 * * *"`},
		{"TZ=", `invalid schedule "TZ=": a time zone prefix needs a schedule after it, e.g. "CRON_TZ=Asia/Shanghai 0 8 * * *"`},
		{"CRON_TZ=Mars/Olympus 0 8 * * *", `invalid schedule "CRON_TZ=Mars/Olympus 0 8 * * *": provided bad location Mars/Olympus: unknown time zone Mars/Olympus`},
		{"@every 0s", `invalid schedule "@every 0s": @every needs an interval of at least 1s`},
		{"@every -5m", `invalid schedule "@every -5m": @every needs an interval of at least 1s`},
		{"@every 500ms", `invalid schedule "@every 500ms": @every needs an interval of at least 1s`},
		{"TZ=UTC @every 10ms", `invalid schedule "TZ=UTC @every 10ms": @every needs an interval of at least 1s`},
		{"@every banana", `invalid schedule "@every banana": time: invalid duration "banana"`},
		{"@fortnightly", `invalid schedule "@fortnightly": unrecognized descriptor: @fortnightly`},
		{"* * *", `invalid schedule "* * *": expected exactly 5 fields, found 3: [* * *]`},
		{"60 * * * *", `invalid schedule "60 * * * *": end of range (60) above maximum (59): 60`},
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
