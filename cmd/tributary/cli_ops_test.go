package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tributary-rss/tributary/aggregator/config"
	"github.com/tributary-rss/tributary/aggregator/store/storetest"
)

// runCLI runs the command line and returns its exit code and output.
func runCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = run(context.Background(), args, &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestRun_helpEveryCommand(t *testing.T) {
	commands := []struct{ name, usage string }{
		{"run", "Usage: tributary run"}, {"check", "Usage: tributary check"}, {"demo", "Usage: tributary demo"},
		{"fetch", "Usage: tributary fetch"}, {"sources", "Usage: tributary sources"},
		{"opml", "tributary opml import FILE"}, {"version", "Usage: tributary version"},
	}
	for _, c := range commands {
		t.Run(c.name, func(t *testing.T) {
			code, _, stderr := runCLI(t, c.name, "--help")
			if code != exitOK || !strings.Contains(stderr, c.usage) || !strings.Contains(stderr, "Example") {
				t.Errorf("%s --help: exit %d, output without usage and examples:\n%s", c.name, code, stderr)
			}
			code, stdout, _ := runCLI(t, "help", c.name)
			if code != exitOK || !strings.Contains(stdout, c.usage) {
				t.Errorf("help %s: exit %d, stdout:\n%s", c.name, code, stdout)
			}
		})
	}
	code, stdout, _ := runCLI(t, "help")
	for _, cmd := range []string{"fetch", "sources", "opml", "--role", "Exit codes"} {
		if code != exitOK || !strings.Contains(stdout, cmd) {
			t.Errorf("help: exit %d, no %q in:\n%s", code, cmd, stdout)
		}
	}
	if code, _, _ := runCLI(t, "help", "nope"); code != exitUsage {
		t.Errorf("help nope: exit %d, want %d", code, exitUsage)
	}
	if code, _, _ := runCLI(t, "run", "--role", "both"); code != exitUsage {
		t.Errorf("run --role both: exit %d, want %d", code, exitUsage)
	}
}

func TestCmdFetchAndSources(t *testing.T) {
	redisURL := "redis://" + storetest.StartRedis(t) + "/0"
	alpha := newFixtureSource(t, "alpha.xml", "application/rss+xml; charset=utf-8", map[string]string{"{{TITLE}}": "Alpha 第三条"})
	broken := newFixtureSource(t, "beta.atom", "application/atom+xml", nil)
	broken.setDown(true)
	alphaURL, brokenURL := alpha.srv.URL+"/feed.xml", broken.srv.URL+"/feed.atom"
	cfg := writeConfig(t, t.TempDir(), redisURL, "@every 1h", alphaURL, brokenURL)

	code, stdout, stderr := runCLI(t, "fetch", "--config", cfg.Path)
	if code != exitError {
		t.Errorf("fetch with a failing source: exit %d, want 1\n%s%s", code, stdout, stderr)
	}
	for _, want := range []string{"ok            " + alphaURL + ": ", " new, 0 updated", "FAILED        " + brokenURL + ": HTTP 500", "2 sources: 1 ok, 0 not modified, 1 failed"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("fetch output lacks %q:\n%s", want, stdout)
		}
	}
	if strings.Contains(stdout, "\r") || strings.Contains(stdout, "[#") {
		t.Errorf("progress bar written to a non-terminal:\n%q", stdout)
	}

	code, stdout, _ = runCLI(t, "fetch", "--config", cfg.Path, "--source", alphaURL)
	if code != exitOK || !strings.Contains(stdout, "not modified  "+alphaURL+" (304") || strings.Contains(stdout, brokenURL) {
		t.Errorf("fetch --source: exit %d\n%s", code, stdout)
	}
	if code, _, stderr := runCLI(t, "fetch", "--config", cfg.Path, "--section", "nope"); code != exitError || !strings.Contains(stderr, `no section "nope"`) {
		t.Errorf("fetch --section nope: exit %d, %s", code, stderr)
	}

	code, stdout, _ = runCLI(t, "sources", "--config", cfg.Path)
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	if code != exitOK || len(lines) != 3 {
		t.Fatalf("sources: exit %d\n%s", code, stdout)
	}
	for i, want := range []struct{ prefix, suffix string }{{"STATE    NAME", "  URL"}, {"failing  -  ", "  " + brokenURL}, {"ok       Alpha 学院  ", "  " + alphaURL}} {
		if !strings.HasPrefix(lines[i], want.prefix) || !strings.HasSuffix(lines[i], want.suffix) {
			t.Errorf("sources line %d = %q, want prefix %q and suffix %q", i, lines[i], want.prefix, want.suffix)
		}
	}
	if !strings.Contains(lines[1], "HTTP 500") || !strings.Contains(lines[2], " 304 ") {
		t.Errorf("sources rows lack status or error:\n%s", stdout)
	}
}

const importTarget = `# Tributary config for the round trip test
storage:
  snapshot: ./t.snapshot
sections:
  - id: news
    title: News
    sources:
      - url: https://old.example.com/feed.xml # the original source
        title: Old
      # more sources go here

  - id: other
    sources:
    - url: https://other.example.com/feed.xml
`

func TestCmdOPML_roundTrip(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "src.yaml")
	writeFile(t, src, "sections:\n  - id: a\n    sources:\n      - url: https://a.example.com/rss\n        title: \"甲: 新闻 #1\"\n  - id: b\n    sources:\n      - url: https://b.example.com/atom\n      - url: https://a.example.com/rss\n")
	code, opml, stderr := runCLI(t, "opml", "export", "--config", src)
	if code != exitOK || !strings.Contains(opml, `<opml version="2.0">`) {
		t.Fatalf("export: exit %d %s\n%s", code, stderr, opml)
	}
	opmlFile := filepath.Join(dir, "feeds.opml")
	writeFile(t, opmlFile, opml)

	code, snippet, stderr := runCLI(t, "opml", "import", opmlFile, "--section", "news")
	if code != exitOK || !strings.Contains(snippet, `- url: "https://a.example.com/rss"`) || !strings.Contains(snippet, `title: "甲: 新闻 #1"`) {
		t.Fatalf("import (print): exit %d %s\n%s", code, stderr, snippet)
	}
	if _, err := config.Parse("snippet.yaml", []byte(snippet), nil); err != nil {
		t.Errorf("printed YAML is not a valid config: %v\n%s", err, snippet)
	}

	target := filepath.Join(dir, "tributary.yaml")
	writeFile(t, target, importTarget)
	code, stdout, stderr := runCLI(t, "opml", "import", opmlFile, "--section", "news", "--write", "--config", target)
	if code != exitOK || !strings.Contains(stdout, "added 2 sources") {
		t.Fatalf("import --write: exit %d %s %s", code, stdout, stderr)
	}
	merged, err := os.ReadFile(target)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"# the original source", "# more sources go here", "# Tributary config"} {
		if !strings.Contains(string(merged), want) {
			t.Errorf("comment %q lost:\n%s", want, merged)
		}
	}
	cfg, err := config.Load(target, nil)
	if err != nil {
		t.Fatalf("merged config invalid: %v\n%s", err, merged)
	}
	var got []string
	for _, s := range cfg.SectionConfigs[0].Sources {
		got = append(got, s.URL+"|"+s.Title)
	}
	want := []string{"https://old.example.com/feed.xml|Old", "https://a.example.com/rss|甲: 新闻 #1", "https://b.example.com/atom|"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("news sources = %q, want %q\n%s", got, want, merged)
	}
	if len(cfg.SectionConfigs[1].Sources) != 1 {
		t.Errorf("section other changed:\n%s", merged)
	}

	// Importing again adds nothing; the file stays byte for byte.
	if code, stdout, _ := runCLI(t, "opml", "import", opmlFile, "--section", "news", "--write", "--config", target); code != exitOK || !strings.Contains(stdout, "added 0 sources") {
		t.Errorf("second import: exit %d %s", code, stdout)
	}
	if again, _ := os.ReadFile(target); !bytes.Equal(again, merged) {
		t.Errorf("second import changed the file")
	}
}

func TestCmdOPML_importRefusesInvalidResult(t *testing.T) {
	dir := t.TempDir()
	opmlFile := filepath.Join(dir, "bad.opml")
	writeFile(t, opmlFile, `<?xml version="1.0"?><opml version="2.0"><body><outline text="x" xmlUrl="ftp://files.example.com/feed"/></body></opml>`)
	target := filepath.Join(dir, "tributary.yaml")
	writeFile(t, target, importTarget)
	tests := []struct {
		name    string
		args    []string
		code    int
		message string
	}{
		{"invalid url", []string{"opml", "import", opmlFile, "--section", "news", "--write", "--config", target}, exitError, opmlFile + `:1: xmlUrl "ftp://files.example.com/feed": not an http or https URL; skipped`},
		{"unknown section", []string{"opml", "import", opmlFile, "--section", "nope", "--write", "--config", target}, exitError, `no section "nope"`},
		{"no section flag", []string{"opml", "import", opmlFile}, exitUsage, "need FILE and --section ID or --folders"},
		{"not opml", []string{"opml", "import", target, "--section", "news"}, exitError, "not OPML"},
		{"unknown subcommand", []string{"opml", "merge"}, exitUsage, `unknown subcommand "merge"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := runCLI(t, tt.args...)
			if code != tt.code || !strings.Contains(stderr, tt.message) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, stderr, tt.code, tt.message)
			}
		})
	}
	if got, _ := os.ReadFile(target); string(got) != importTarget {
		t.Errorf("refused import changed the file:\n%s", got)
	}
}

func writeFile(t *testing.T, path, data string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}
