package config

import (
	"errors"
	"strings"
	"testing"
)

// FuzzParse feeds arbitrary bytes to Parse: it must never panic, every
// failure must be an *Error of "fuzz.yaml..." lines, and every success must
// keep the promises callers rely on.
func FuzzParse(f *testing.F) {
	f.Add([]byte(section))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := Parse("fuzz.yaml", data, nil)
		if err != nil {
			checkFuzzError(t, err)
			return
		}
		checkFuzzConfig(t, c)
	})
}

func checkFuzzError(t *testing.T, err error) {
	var cerr *Error
	if !errors.As(err, &cerr) || len(cerr.Problems) == 0 {
		t.Fatalf("error %T without problems: %v", err, err)
	}
	for _, line := range strings.Split(err.Error(), "\n") {
		if !strings.HasPrefix(line, "fuzz.yaml:") {
			t.Fatalf("problem line without the path: %q", line)
		}
	}
}

func checkFuzzConfig(t *testing.T, c *Config) {
	ids := map[string]bool{}
	for _, s := range c.Sources() {
		if s.Location == nil || ValidateSchedule(s.Schedule) != nil || len(s.SectionIDs) == 0 {
			t.Fatalf("invalid source from a valid config: %+v", s)
		}
		ids[s.ID] = true
	}
	secs := c.Sections()
	if len(secs) == 0 {
		t.Fatal("valid config without sections")
	}
	for _, s := range secs {
		if s.MaxItems < 1 || s.Language == "" || len(s.SourceIDs) == 0 || checkID(s.ID) != nil {
			t.Fatalf("invalid section from a valid config: %+v", s)
		}
		for _, id := range s.SourceIDs {
			if !ids[id] {
				t.Fatalf("section %s lists unknown source %s", s.ID, id)
			}
		}
	}
}
