package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tributary-rss/tributary/aggregator/config"
	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/aggregator/report"
	"github.com/tributary-rss/tributary/aggregator/store"
)

// TestCmdSources_aligned: with Chinese names, errors and URLs in the
// table, every row's columns start at the display column of their
// header, and next due times are in defaults.timezone with the zone.
func TestCmdSources_aligned(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "tributary.yaml")
	const (
		a = "https://a.example.edu.cn/rss.xml"
		b = "https://b.example.edu.cn/rss.xml"
		c = "https://c.example.edu.cn/rss.xml"
	)
	writeFile(t, path, "storage:\n  snapshot: "+filepath.Join(dir, "t.snapshot")+"\ndefaults:\n  timezone: Asia/Shanghai\nsections:\n  - id: news\n    sources:\n"+
		"      - url: "+a+"\n        title: 某某市第一职业技术学院\n      - url: "+b+"\n        title: Beta School\n      - url: "+c+"\n  - id: hot\n    sources:\n      - url: "+a+"\n")
	cfg, err := config.Load(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	due := time.Now().Add(90 * time.Minute).Truncate(time.Second)
	seedStore(t, cfg, func(ctx context.Context, st *store.Store, srcs map[string]model.Source) {
		states := map[string]model.SourceState{
			a: {URL: a, LastStatus: 200, NextDue: due, Title: "自己的标题"},
			b: {URL: b, LastStatus: 500, ErrorsInRow: 3, LastError: "HTTP 500：服务器内部错误", NextDue: due},
			c: {URL: c, Title: "丙校新闻网（ＡＩ教育）", LastStatus: 200, NextDue: due},
		}
		for u, s := range states {
			if err := st.SaveSourceState(ctx, srcs[u].ID, s); err != nil {
				t.Fatal(err)
			}
		}
	})
	code, stdout, stderr := runCLI(t, "sources", "--config", path)
	if code != exitOK {
		t.Fatalf("sources: exit %d %s", code, stderr)
	}
	lines := strings.Split(strings.TrimRight(stdout, "\n"), "\n")
	if len(lines) != 4 {
		t.Fatalf("sources:\n%s", stdout)
	}
	header := lines[0]
	var starts []int
	for _, h := range []string{"NAME", "ORIGIN", "SECTIONS", "LAST STATUS", "ERRORS", "NEXT DUE", "ENTRIES", "FRESHNESS", "LAST ERROR", "URL"} {
		i := strings.Index(header, h)
		if i < 0 {
			t.Fatalf("header lacks %s: %q", h, header)
		}
		starts = append(starts, report.DisplayWidth(header[:i]))
	}
	wantDue := due.In(mustZone(t, "Asia/Shanghai")).Format("2006-01-02 15:04:05") + " CST (in "
	for _, line := range lines[1:] {
		cols := displayColumns(line)
		for _, at := range starts {
			if at >= len(cols) || cols[at-1] != ' ' || cols[at] == ' ' || cols[at] == 0 {
				t.Errorf("a column does not start at display column %d:\n%s\n%s", at, header, line)
				break
			}
		}
		if !strings.Contains(line, wantDue) {
			t.Errorf("row lacks the next due time %q in Beijing time: %q", wantDue, line)
		}
	}
	t.Logf("\n%s", stdout)
}

// displayColumns is line as the terminal cells it fills: each rune at
// the first of its cells, 0 in the second cell of a wide one.
func displayColumns(line string) []rune {
	var out []rune
	for _, r := range line {
		switch report.DisplayWidth(string(r)) {
		case 0:
		case 2:
			out = append(out, r, 0)
		default:
			out = append(out, r)
		}
	}
	return out
}

func mustZone(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}
