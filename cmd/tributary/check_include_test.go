package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// `tributary check` on a config whose include names a file that is not a
// config fragment (here a copy of a passwd-like file, and a private key)
// prints one "file:line: message" line naming that file and what was
// expected, and none of the file's lines.
func TestCheck_includeNotAConfig(t *testing.T) {
	fixtures, err := filepath.Abs(filepath.Join("..", "..", "aggregator", "config", "testdata", "notconfig"))
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"passwd", "server.key"} {
		t.Run(name, func(t *testing.T) {
			included := filepath.Join(fixtures, name)
			content, err := os.ReadFile(included)
			if err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(t.TempDir(), "tributary.yaml")
			cfg := "include: [" + included + "]\nsections:\n  - id: news\n    sources:\n      - url: https://example.org/feed.xml\n"
			if err := os.WriteFile(path, []byte(cfg), 0o644); err != nil {
				t.Fatal(err)
			}
			line := checkOneLine(t, path)
			want := included + ":1: not a config fragment: expected a mapping with a sections list, got plain text"
			if line != want {
				t.Errorf("check printed %q, want %q", line, want)
			}
			for _, l := range strings.Split(strings.TrimSpace(string(content)), "\n") {
				if strings.Contains(line, strings.TrimSpace(l)) {
					t.Errorf("check printed a line of %s: %q", name, l)
				}
			}
		})
	}
}
