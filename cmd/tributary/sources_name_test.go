package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tributary-rss/tributary/aggregator/config"
	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/aggregator/store"
)

// TestCmdSources_names: the table names each source by the config's
// title, else the feed's own title from the store, and keeps the URL as
// its last column.
func TestCmdSources_names(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "tributary.yaml")
	const (
		a = "https://a.example.edu.cn/rss.xml"
		b = "https://b.example.edu.cn/rss.xml"
		c = "https://c.example.edu.cn/rss.xml"
	)
	writeFile(t, path, "storage:\n  snapshot: "+filepath.Join(dir, "t.snapshot")+"\nsections:\n  - id: news\n    sources:\n"+
		"      - url: "+a+"\n        title: 甲校（配置）\n      - url: "+b+"\n      - url: "+c+"\n")
	cfg, err := config.Load(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	seedStore(t, cfg, func(ctx context.Context, st *store.Store, srcs map[string]model.Source) {
		for u, title := range map[string]string{a: "甲校自己的", b: "乙校\t新闻\n网"} {
			if err := st.SaveSourceState(ctx, srcs[u].ID, model.SourceState{URL: u, Title: title, LastStatus: 200}); err != nil {
				t.Fatal(err)
			}
		}
	})
	code, stdout, stderr := runCLI(t, "sources", "--config", path)
	if code != exitOK {
		t.Fatalf("sources: exit %d %s", code, stderr)
	}
	lines := strings.Split(strings.TrimRight(stdout, "\n"), "\n")
	if len(lines) != 4 || !strings.HasPrefix(lines[0], "STATE") || !strings.HasSuffix(lines[0], "LAST ERROR  URL") {
		t.Fatalf("sources:\n%s", stdout)
	}
	want := map[string]string{a: "甲校（配置）", b: "乙校 新闻 网", c: "-"}
	for _, line := range lines[1:] {
		f := strings.Fields(line)
		u := f[len(f)-1]
		name, ok := want[u]
		if !ok {
			t.Errorf("row does not end with a source URL: %q", line)
			continue
		}
		if !strings.Contains(line, "  "+name+"  ") {
			t.Errorf("row of %s lacks the name %q: %q", u, name, line)
		}
		delete(want, u)
	}
}
