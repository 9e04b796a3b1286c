package config

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"unicode"
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
		{"syntax error", "include: [broken.yaml]\n" + base, "broken.yaml:3: invalid YAML: did not find expected"}, // the mis-indented line
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

// An included file that is not a config fragment (a system file, a key,
// an env or JSON file, a list, bytes that are not text) is one problem at
// that file, saying what was expected, and never quotes its content.
func TestParse_IncludeNotAConfig(t *testing.T) {
	fixtures, err := filepath.Abs(filepath.Join("testdata", "notconfig"))
	if err != nil {
		t.Fatal(err)
	}
	binary := filepath.Join(t.TempDir(), "blob.bin")
	if err := os.WriteFile(binary, []byte("\x7fELF\x02\x01\x01\x00\x00secret-bytes-0123456789\xff\xfe"), 0o644); err != nil {
		t.Fatal(err)
	}
	const base = "sections:\n  - id: news\n    sources:\n      - url: https://example.org/feed.xml\n"
	tests := []struct {
		file string
		line int
		msg  string
	}{
		{filepath.Join(fixtures, "passwd"), 1, "not a config fragment: expected a mapping with a sections list, got plain text"},
		{filepath.Join(fixtures, "server.key"), 1, "not a config fragment: expected a mapping with a sections list, got plain text"},
		{filepath.Join(fixtures, "app.env"), 1, "not a config fragment: expected a mapping with a sections list, got plain text"},
		{filepath.Join(fixtures, "settings.json"), 1, "not a config fragment: expected a mapping with a sections list, got a mapping without sections"},
		{filepath.Join(fixtures, "list.yaml"), 1, "not a config fragment: expected a mapping with a sections list, got a list"},
		{filepath.Join(fixtures, "app.ini"), 2, "invalid YAML: "},
		{binary, 1, "invalid YAML: control characters are not allowed"},
	}
	for _, tt := range tests {
		t.Run(filepath.Base(tt.file), func(t *testing.T) {
			main := "include: [" + strconv.Quote(tt.file) + "]\n" + base
			_, err := Parse(filepath.Join(t.TempDir(), "main.yaml"), []byte(main), nil)
			var cerr *Error
			if !errors.As(err, &cerr) || len(cerr.Problems) != 1 {
				t.Fatalf("error %v, want one problem", err)
			}
			p := cerr.Problems[0]
			if p.File != tt.file || p.Line != tt.line || !strings.HasPrefix(p.Msg, tt.msg) {
				t.Errorf("problem %s:%d: %s\nwant %s:%d: %s…", p.File, p.Line, p.Msg, tt.file, tt.line, tt.msg)
			}
			content, _ := os.ReadFile(tt.file)
			if leak := quotedContent(p.Msg, string(content)); leak != "" {
				t.Errorf("the message quotes the file (%q): %s", leak, p.Msg)
			}
		})
	}
}

// quotedContent returns a line of content, or a word of it of 8 bytes or
// more, that msg contains; "" when none.
func quotedContent(msg, content string) string {
	for _, line := range strings.Split(content, "\n") {
		if line = strings.TrimSpace(line); len(line) >= 4 && strings.Contains(msg, line) {
			return line
		}
	}
	isWord := func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' || r == '-' }
	for _, w := range strings.FieldsFunc(content, func(r rune) bool { return !isWord(r) }) {
		if len(w) >= 8 && strings.Contains(msg, w) {
			return w
		}
	}
	return ""
}
