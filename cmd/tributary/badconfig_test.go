package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// Every broken config of the corpus in testdata/badconfig makes `tributary
// check` print exactly one line, "file:line: message", naming the line of
// the problem, and exit 1. A corpus file without a row here fails the test,
// so the corpus and its expectations stay together.
func TestCheck_badConfigCorpus(t *testing.T) {
	tests := map[string]struct {
		line int
		msg  string // a part of the message
	}{
		"wrong-type-int.yaml":       {2, `concurrency: expected an integer, got "many"`},
		"wrong-type-list.yaml":      {1, `sections: expected a list, got "news"`},
		"wrong-type-duration.yaml":  {2, `timeout: expected a duration like 90s`},
		"unknown-key.yaml":          {2, `unknown key "sectoins" at the top level; allowed keys: `},
		"unknown-nested-key.yaml":   {5, `unknown key "shedule" in source; allowed keys: `},
		"bad-url-scheme.yaml":       {5, `url: "ftp://example.com/feed.xml" must be an absolute http or https URL`},
		"bad-url-relative.yaml":     {4, `url: "/feed.xml" must be an absolute http or https URL`},
		"bad-url-syntax.yaml":       {4, `url: "http://[::1/feed.xml" must be an absolute http or https URL`},
		"bad-regex.yaml":            {3, `include[0]: invalid regular expression /(unclosed/: `},
		"bad-cron.yaml":             {5, `invalid schedule "61 * * * *": end of range (61) above maximum (59)`},
		"bad-every.yaml":            {2, `invalid schedule "@every soon"`},
		"bad-timezone.yaml":         {2, `timezone: "Mars/Olympus_Mons" is not a known IANA time zone`},
		"bad-section-id.yaml":       {2, `id: "资讯 News" must be lower-case letters, digits and hyphens`},
		"duplicate-section-id.yaml": {5, `id: duplicate section id "news" (first at line 2)`},
		"duplicate-source-id.yaml":  {7, `id: source id "campus" is already used by https://example.com/a.xml (line 5)`},
		"duplicate-key.yaml":        {2, `duplicate key "listen" (first at line 1)`},
		"tab-indent.yaml":           {3, `found a tab character that violates indentation`}, // the tab's own line
		"empty.yaml":                {1, `no sections configured`},
		"comment-only.yaml":         {1, `no sections configured`},
		"no-sections.yaml":          {2, `no sections configured`},
		"yaml-bomb.yaml":            {2, `YAML aliases are not allowed (*a)`},
	}
	files, err := filepath.Glob(filepath.Join("testdata", "badconfig", "*.yaml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no corpus: %v", err)
	}
	for _, path := range files {
		name := filepath.Base(path)
		t.Run(name, func(t *testing.T) {
			tt, ok := tests[name]
			if !ok {
				t.Fatalf("corpus file %s has no expectation in this test", name)
			}
			line := checkOneLine(t, path)
			prefix := path + ":" + strconv.Itoa(tt.line) + ": "
			if !strings.HasPrefix(line, prefix) || !strings.Contains(line, tt.msg) {
				t.Errorf("check printed %q, want %q followed by a message containing %q", line, prefix, tt.msg)
			}
		})
	}
}

// A config path that cannot be read as a file (tests run as root, so a
// mode-000 file would still be readable: a directory stands in) or does
// not exist is one "file: message" line and exit 1.
func TestCheck_unreadableConfig(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "tributary.yaml")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(t.TempDir(), "nope.yaml")
	tests := []struct{ path, want string }{
		{dir, dir + ": is a directory"},
		{missing, missing + ": "},
	}
	for _, tt := range tests {
		if line := checkOneLine(t, tt.path); !strings.HasPrefix(line, tt.want) {
			t.Errorf("check %s printed %q, want it to start with %q", tt.path, line, tt.want)
		}
	}
}

// checkOneLine runs `tributary check --config path`, expects exit 1,
// nothing on stdout and exactly one line on stderr, and returns it.
func checkOneLine(t *testing.T, path string) string {
	t.Helper()
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), []string{"check", "--config", path}, &stdout, &stderr); code != exitError {
		t.Errorf("exit code %d, want %d", code, exitError)
	}
	if stdout.Len() != 0 {
		t.Errorf("stdout %q, want nothing", stdout.String())
	}
	lines := strings.Split(strings.TrimRight(stderr.String(), "\n"), "\n")
	if len(lines) != 1 {
		t.Errorf("stderr has %d lines, want 1:\n%s", len(lines), stderr.String())
	}
	return lines[0]
}
