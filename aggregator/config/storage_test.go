package config

import "testing"

func TestParse_snapshotInStateDirectory(t *testing.T) {
	const sec = "sections:\n  - id: news\n    sources:\n      - url: https://example.com/feed.xml\n"
	tests := []struct {
		name, yaml, stateDir, want string
	}{
		{"state directory", sec, "/var/lib/tributary", "/var/lib/tributary/tributary.snapshot"},
		{"first of several", sec, "/var/lib/tributary:/var/lib/other", "/var/lib/tributary/tributary.snapshot"},
		{"file wins", "storage:\n  snapshot: /srv/t.snap\n" + sec, "/var/lib/tributary", "/srv/t.snap"},
		{"relative file wins, beside the config", "storage:\n  snapshot: t.snap\n" + sec, "/var/lib/tributary", "/etc/tributary/t.snap"},
		{"unset: beside the config", sec, "", "/etc/tributary/tributary.snapshot"},
		{"relative state directory ignored", sec, "state", "/etc/tributary/tributary.snapshot"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			getenv := func(k string) string {
				if k == "STATE_DIRECTORY" {
					return tt.stateDir
				}
				return ""
			}
			c, err := Parse("/etc/tributary/tributary.yaml", []byte(tt.yaml), getenv)
			if err != nil {
				t.Fatal(err)
			}
			if c.Storage.Snapshot != tt.want {
				t.Errorf("snapshot = %q, want %q", c.Storage.Snapshot, tt.want)
			}
		})
	}
}
