package config

import (
	"strings"
	"testing"
)

func TestConfig_SourceFor(t *testing.T) {
	cfg, err := Parse("t.yaml", []byte("defaults:\n  timezone: Europe/Paris\nsections:\n  - id: news\n    sources:\n      - url: https://a.example/feed.xml\n        timezone: Asia/Tokyo\n"), func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	id := cfg.Sources()[0].ID
	tests := []struct {
		arg, wantURL, wantZone, wantErr string
	}{
		{arg: id, wantURL: "https://a.example/feed.xml", wantZone: "Asia/Tokyo"},
		{arg: "https://a.example/feed.xml", wantURL: "https://a.example/feed.xml", wantZone: "Asia/Tokyo"},
		{arg: "https://b.example/list.htm", wantURL: "https://b.example/list.htm", wantZone: "Europe/Paris"},
		{arg: "news-b", wantErr: `no source with id or URL "news-b" in t.yaml, and `},
	}
	for _, tt := range tests {
		src, err := cfg.SourceFor(tt.arg)
		switch {
		case tt.wantErr != "":
			if err == nil || !strings.HasPrefix(err.Error(), tt.wantErr) {
				t.Errorf("SourceFor(%q) = %v, want %q…", tt.arg, err, tt.wantErr)
			}
		case err != nil:
			t.Errorf("SourceFor(%q): %v", tt.arg, err)
		case src.URL != tt.wantURL || src.Location.String() != tt.wantZone:
			t.Errorf("SourceFor(%q) = %s in %v, want %s in %s", tt.arg, src.URL, src.Location, tt.wantURL, tt.wantZone)
		}
	}
}

// A config that skipped defaulting (a tool run without a file) reads
// dates in DefaultTimezone.
func TestConfig_Location(t *testing.T) {
	loc, err := (&Config{}).Location()
	if err != nil || loc.String() != DefaultTimezone {
		t.Errorf("Location = %v, %v; want %s", loc, err, DefaultTimezone)
	}
	if _, err := (&Config{Defaults: Defaults{Timezone: "Mars/Olympus"}}).Location(); err == nil || !strings.HasPrefix(err.Error(), "defaults.timezone: ") {
		t.Errorf("an unknown zone: %v", err)
	}
}
