package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestLoad_Include(t *testing.T) {
	c, err := Load(filepath.Join("testdata", "include", "main.yaml"), nil)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, sec := range c.SectionConfigs {
		for _, src := range sec.Sources {
			got = append(got, sec.ID+" "+src.URL)
		}
	}
	want := []string{
		"news https://www.example.edu.cn/rss.xml",
		"news https://a.example.edu.cn/rss.xml",
		"news https://b.example.edu.cn/atom.xml",
		"news https://c.example.edu.cn/feed",
		"hot https://hot.example.org/feed.xml",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("sources:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if len(c.Files) != 3 || filepath.Base(c.Files[0]) != "a.yaml" || filepath.Base(c.Files[2]) != "extra.yaml" {
		t.Errorf("files = %v", c.Files)
	}
	file, line := c.Position(c.SectionConfigs[0].Sources[1].Line)
	if filepath.Base(file) != "a.yaml" || line != 4 {
		t.Errorf("position of the included source = %s:%d, want a.yaml:4", file, line)
	}
	// The Source carries the same position, for messages that say where
	// to edit it.
	if src := c.Sources()[1]; filepath.Base(src.ConfigFile) != "a.yaml" || src.ConfigLine != 4 {
		t.Errorf("source %s at %s:%d, want a.yaml:4", src.URL, src.ConfigFile, src.ConfigLine)
	}
}

func TestParse_IncludeErrors(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("empty/readme.txt", "not yaml")
	write("other.yaml", "listen: 127.0.0.1:9\nsections: []\n")
	write("broken.yaml", "sections:\n  - id: x\n   bad indent\n")
	const base = "sections:\n  - id: news\n    sources:\n      - url: https://example.org/feed.xml\n"
	tests := []struct {
		name, yaml, want string
	}{
		{"missing file", "include: [nope.yaml]\n" + base, "main.yaml:1: include: nope.yaml: no such file or directory"},
		{"glob matches nothing", "include: [\"members/*.yaml\"]\n" + base, "main.yaml:1: include: members/*.yaml matches no file"},
		{"empty directory", "include: [empty]\n" + base, "main.yaml:1: include: directory empty holds no .yaml or .yml file"},
		{"not a list item", "include: [{a: b}]\n" + base, "main.yaml:1: include: expected a file, directory or glob, got a mapping"},
		{"other keys", "include: [other.yaml]\n" + base, "other.yaml:1: unknown key \"listen\" in an included file; allowed keys: sections"},
		{"syntax error", "include: [broken.yaml]\n" + base, "broken.yaml:3: did not find expected"}, // the mis-indented line
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse(filepath.Join(dir, "main.yaml"), []byte(tt.yaml), nil)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %v, want one containing %q", err, tt.want)
			}
		})
	}
}

// Problems found by validation in an included file name that file and
// its own line, after the main file's problems.
func TestLoad_IncludeValidation(t *testing.T) {
	_, err := Load(filepath.Join("testdata", "include", "bad", "main.yaml"), nil)
	if err == nil {
		t.Fatal("want an error")
	}
	want := filepath.Join("testdata", "include", "bad", "members.yaml") +
		`:5: url: "ftp://b.example.edu.cn/feed" must be an absolute http or https URL with a host`
	if err.Error() != want {
		t.Errorf("error:\n%v\nwant:\n%s", err, want)
	}
}
