package main

import (
	"encoding/xml"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tributary-rss/tributary/aggregator/config"
	"github.com/tributary-rss/tributary/aggregator/opml"
)

const freshRSS = "testdata/opml/freshrss.opml"

// portalConfig is an operator's config before the import: one section,
// which the export's "资讯" folder matches by title.
func portalConfig(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	path := filepath.Join(dir, "tributary.yaml")
	writeFile(t, path, `# the portal's feeds
storage:
  snapshot: `+filepath.Join(dir, "t.snapshot")+`
sections:
  - id: news
    title: 资讯
    sources:
      - url: https://old.example.com/feed.xml # kept as it is
        title: Old
`)
	return path
}

// TestCmdOPML_foldersRoundTrip imports a FreshRSS export with folders into
// a config, checks it, exports it and imports the export again.
func TestCmdOPML_foldersRoundTrip(t *testing.T) {
	path := portalConfig(t)
	code, stdout, stderr := runCLI(t, "opml", "import", freshRSS, "--folders", "--write", "--config", path)
	if code != exitError {
		t.Errorf("import with two bad entries: exit %d, want 1\n%s%s", code, stdout, stderr)
	}
	wantErr := []string{
		freshRSS + `:10: warning: xmlUrl "feed://www.shifan.example.edu.cn/xwzx/rss.xml" read as http://www.shifan.example.edu.cn/xwzx/rss.xml`,
		freshRSS + `:16: warning: xmlUrl "feed:https://blog.example.com/atom.xml" read as https://blog.example.com/atom.xml`,
		freshRSS + `:13: xmlUrl "javascript:alert(1)": not an http or https URL; skipped`,
		freshRSS + `:19: xmlUrl "https:///feed.xml": no host; skipped`,
		"tributary opml import: 2 entries of " + freshRSS + " skipped",
	}
	if got := strings.Split(strings.TrimSpace(stderr), "\n"); strings.Join(got, "\n") != strings.Join(wantErr, "\n") {
		t.Errorf("stderr:\n%s\nwant:\n%s", stderr, strings.Join(wantErr, "\n"))
	}
	college := opml.FolderSlug("院校新闻")
	wantOut := []string{
		path + ": created section " + college + " (院校新闻) with 3 sources",
		path + ": created section tech-science (Tech & Science) with 3 sources",
		path + ": created section cafe-culture (Café Culture) with 1 sources",
		path + ": added 1 sources to section news (1 already listed)",
	}
	if got := strings.Split(strings.TrimSpace(stdout), "\n"); strings.Join(got, "\n") != strings.Join(wantOut, "\n") {
		t.Errorf("stdout:\n%s\nwant:\n%s", stdout, strings.Join(wantOut, "\n"))
	}

	if code, out, errOut := runCLI(t, "check", "--config", path); code != exitOK {
		t.Fatalf("check after the import: exit %d\n%s%s", code, out, errOut)
	}
	cfg, err := config.Load(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, s := range cfg.SectionConfigs {
		var srcs []string
		for _, src := range s.Sources {
			srcs = append(srcs, src.URL+" "+src.Title)
		}
		got[s.ID] = s.Title + ": " + strings.Join(srcs, " | ")
	}
	want := map[string]string{
		"news": "资讯: https://old.example.com/feed.xml Old | https://new.example.com/feed.xml 新的源",
		college: "院校新闻: https://news.example.edu.cn/rss.xml 示例大学新闻网 | http://www.shifan.example.edu.cn/xwzx/rss.xml 示范学院 & 附属中学 | " +
			"https://eng.example.edu.cn/tzgg/index.htm 工学院 · 通知公告",
		"tech-science": `Tech & Science: https://blog.example.com/atom.xml Example Engineering Blog | https://lab.example.org/feed.json Lab "Notes" | https://news.example.net/rss `,
		"cafe-culture": "Café Culture: https://revue.example.fr/rss Revue",
	}
	for id, w := range want {
		if got[id] != w {
			t.Errorf("section %s = %q\nwant %q", id, got[id], w)
		}
	}
	if len(got) != len(want) {
		t.Errorf("sections %v, want %d", got, len(want))
	}
	data, _ := os.ReadFile(path)
	if !strings.Contains(string(data), "# the portal's feeds\n") || !strings.Contains(string(data), "# kept as it is") {
		t.Errorf("comments lost:\n%s", data)
	}

	code, opml, stderr := runCLI(t, "opml", "export", "--config", path)
	if code != exitOK {
		t.Fatalf("export: exit %d %s", code, stderr)
	}
	exported := filepath.Join(t.TempDir(), "tributary.opml")
	writeFile(t, exported, opml)
	code, stdout, stderr = runCLI(t, "opml", "import", exported, "--folders", "--write", "--config", path)
	if code != exitOK || stderr != "" {
		t.Fatalf("re-import of the export: exit %d\n%s%s", code, stdout, stderr)
	}
	if strings.Contains(stdout, "created") || strings.Count(stdout, ": added 0 sources") != 4 {
		t.Errorf("re-import changed something:\n%s", stdout)
	}
	if after, _ := os.ReadFile(path); string(after) != string(data) {
		t.Errorf("re-import rewrote the config:\n%s", after)
	}
}

// The case: one feed:// URL among good ones no longer makes
// --write refuse the whole import.
func TestCmdOPML_feedSchemeWithSection(t *testing.T) {
	path := portalConfig(t)
	file := filepath.Join(t.TempDir(), "subs.opml")
	writeFile(t, file, `<?xml version="1.0"?>
<opml version="1.0"><head><title>subs</title></head><body>
<outline text="A" xmlUrl="feed://a.example.com/rss"/>
<outline text="B" xmlUrl="https://b.example.com/rss"/>
</body></opml>
`)
	code, stdout, stderr := runCLI(t, "opml", "import", file, "--section", "news", "--write", "--config", path)
	if code != exitOK || stderr != file+`:3: warning: xmlUrl "feed://a.example.com/rss" read as http://a.example.com/rss`+"\n" {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
	if stdout != path+": added 2 sources to section news (0 already listed)\n" {
		t.Errorf("stdout %q", stdout)
	}
	cfg, err := config.Load(path, nil)
	if err != nil || len(cfg.SectionConfigs[0].Sources) != 3 || cfg.SectionConfigs[0].Sources[1].URL != "http://a.example.com/rss" {
		t.Fatalf("config after import: %v %+v", err, cfg)
	}
}

// Without --write the YAML preview has the sections the import would
// create, and feeds outside folders need --section.
func TestCmdOPML_foldersPreview(t *testing.T) {
	file := filepath.Join(t.TempDir(), "subs.opml")
	writeFile(t, file, `<opml version="2.0"><head/><body>
  <outline text="Loose" xmlUrl="https://loose.example.com/rss"/>
  <outline text="新闻"><outline text="甲" xmlUrl="https://a.example.com/rss"/></outline>
</body></opml>`)
	code, stdout, stderr := runCLI(t, "opml", "import", file, "--folders", "--config", filepath.Join(t.TempDir(), "none.yaml"))
	wantOut := "# 1 feeds from " + file + "\nsections:\n  - id: " + opml.FolderSlug("新闻") + "\n    title: \"新闻\"\n    sources:\n      - url: \"https://a.example.com/rss\"\n        title: \"甲\"\n"
	if code != exitError || stdout != wantOut || stderr != file+":2: not in a folder; give --section ID for feeds outside folders; skipped\ntributary opml import: 1 entries of "+file+" skipped\n" {
		t.Errorf("exit %d\nstdout:\n%s\nwant:\n%s\nstderr:\n%s", code, stdout, wantOut, stderr)
	}
	code, stdout, _ = runCLI(t, "opml", "import", file, "--folders", "--section", "misc", "--config", filepath.Join(t.TempDir(), "none.yaml"))
	if code != exitOK || !strings.Contains(stdout, "  - id: misc\n    sources:\n      - url: \"https://loose.example.com/rss\"\n") {
		t.Errorf("with --section: exit %d\n%s", code, stdout)
	}
}

// The export's outlines are what a reader imports: well-formed OPML with
// one folder per section.
func parseOPMLDoc(t *testing.T, data string) opml.Doc {
	t.Helper()
	var doc opml.Doc
	if err := xml.Unmarshal([]byte(data), &doc); err != nil {
		t.Fatalf("export is not XML: %v\n%s", err, data)
	}
	return doc
}
