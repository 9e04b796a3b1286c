package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A config's problems point at a line and quote at most the start of
// one value: a file given by mistake, or a huge value, is never printed
// back.
func TestParse_quotesNoContent(t *testing.T) {
	passwd, err := os.ReadFile(filepath.Join("testdata", "notconfig", "passwd"))
	if err != nil {
		t.Fatal(err)
	}
	long := strings.Repeat("x", 5000)
	tests := []struct {
		name, yaml, want string
	}{
		{"a system file as the config", string(passwd),
			"t.yaml:1: expected a mapping of settings at the top level, got plain text"},
		{"a multi-line value", "fetch:\n  concurrency: |\n" + indent(string(passwd), "    "),
			`t.yaml:2: concurrency: expected an integer, got "root:x:0:0:root:/root:/bin/bash…"`},
		{"a long value", "fetch:\n  concurrency: " + long + "\n",
			`t.yaml:2: concurrency: expected an integer, got "` + long[:maxQuoted] + `…"`},
		{"a long key", long[:1000] + ": 1\n", // YAML's implicit keys end at 1024 characters
			`t.yaml:1: unknown key "` + long[:maxQuoted] + `…" at the top level; allowed keys: `},
		{"a long unknown anchor", "listen: *" + long + "\n",
			"t.yaml:1: unknown anchor '" + long[:maxQuoted] + "…' referenced"},
		{"a long alias", "a: &" + long + " 1\nlisten: *" + long + "\n",
			"t.yaml:2: YAML aliases are not allowed (*" + long[:maxQuoted] + "…): write the value out"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("t.yaml", []byte(tt.yaml), nil)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Parse = %.300v\nwant %q…", err, tt.want)
			}
			for _, line := range strings.Split(err.Error(), "\n") {
				if len(line) > 1000 {
					t.Errorf("a %d-byte line: %.300s…", len(line), line)
				}
			}
			if strings.Contains(err.Error(), "daemon:x:1:1") {
				t.Errorf("quotes a second line of the value: %v", err)
			}
		})
	}
}

func indent(s, prefix string) string {
	return prefix + strings.ReplaceAll(strings.TrimSuffix(s, "\n"), "\n", "\n"+prefix) + "\n"
}
