package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/tributary-rss/tributary/aggregator/parse"
	"github.com/tributary-rss/tributary/aggregator/store/storetest"
)

// writePreviewConfig writes a config with the test site's list page (a
// scrape: and content: block) and feed (an exclude) as sources, its store
// at redisURL ("" for the embedded store), and returns its path.
func writePreviewConfig(t *testing.T, site *testSite, redisURL string) string {
	t.Helper()
	dir := t.TempDir()
	yaml := fmt.Sprintf(`redis:
  url: %q
storage:
  snapshot: %s
defaults:
  timezone: Asia/Shanghai
sections:
  - id: news
    title: 资讯
    sources:
      - id: tzgg
        url: %s
        title: 通知公告
        scrape:
          items: div.list_item
          date: span.Article_PublishDate
          skip: span.zd
        content:
          fetch: true
      - id: school-news
        url: %s
        exclude: ["图书馆"]
`, redisURL, filepath.Join(dir, "tributary.snapshot"), site.url("/tzgg/list.htm"), site.url("/news/feed.xml"))
	path := filepath.Join(dir, "tributary.yaml")
	if err := os.WriteFile(path, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestCmdPreview(t *testing.T) {
	site := newTestSite(t)
	t.Setenv("TRIBUTARY_CONFIG", "")
	cfg := writePreviewConfig(t, site, "")
	tests := []struct {
		name    string
		args    []string
		code    int
		golden  string // stdout, compared whole
		wantOut []string
		wantErr []string
	}{
		{name: "configured list page by id", args: []string{"--config", cfg, "tzgg"}, code: exitOK, golden: "preview_tzgg.txt"},
		{name: "configured feed by URL", args: []string{"--config", cfg, site.url("/news/feed.xml")}, code: exitOK, golden: "preview_feed.txt"},
		{name: "URL outside the config", args: []string{site.url("/school/")}, code: exitOK,
			wantOut: []string{
				"read     feed the page advertises: http://SITE/news/feed.xml (HTTP 200, application/rss+xml,",
				"entries  2, skipped 0",
				"date     2026-10-17 09:30:00 +0800 CST",
				"link     http://SITE/news/2026/1012.html\n", // tracking parameter gone, as stored
				"date     none: dated when first stored",
			}},
		{name: "another zone", args: []string{site.url("/news/feed.xml"), "--timezone", "Europe/Berlin"}, code: exitOK,
			wantOut: []string{"date     2026-10-17 09:30:00 +0200 CEST"}},
		{name: "selectors on the command line", code: exitOK,
			args: []string{site.url("/tzgg/list.htm"), "--items", "div.list_item", "--date", ".Article_PublishDate",
				"--content-selector", ".wp_articlecontent"},
			wantOut: []string{
				"read     list page http://SITE/tzgg/list.htm",
				"entries  3, skipped 0",
				"1  [置顶]关于学校官方网站域名变更的公告\n",
				"date     2025-03-01 00:00:00 +0800 CST",
				"article  http://SITE/2026/1017/c1234a201/page.htm\n", // the newest, as a poll fetches first
				"  title    我校召开2026年秋季学期教学工作会议暨本科教育教学审核评估推进会\n  date     2026-10-17 00:00:00 +0800 CST\n  author   党委宣传部\n",
				"content  1106 bytes",
			}},
		{name: "flags override the config's block", code: exitOK,
			args:    []string{"--config", cfg, "tzgg", "--skip", ".nothing", "--content-fetch=false"},
			wantOut: []string{"entries  3, skipped 0"}},
		{name: "GBK list page", code: exitOK,
			args: []string{site.url("/gbk/list.htm"), "--items", "tr", "--date", ".timestyle1234"},
			wantOut: []string{
				"title    学校要闻_示例职业技术学院",
				"1  我院在全省职业院校技能大赛中荣获一等奖三项\n",
				"link     http://SITE/gbk/info/1001/5678.htm",
				"date     2026-10-17 00:00:00 +0800 CST",
			}},
		{name: "items match nothing", code: exitError,
			args:    []string{site.url("/tzgg/list.htm"), "--items", "ul.nothing"},
			wantOut: []string{"read     list page http://SITE/tzgg/list.htm (HTTP 200"},
			wantErr: []string{"tributary preview: http://SITE/tzgg/list.htm: " + parse.NoItemsReason}},
		{name: "article selector matches nothing", code: exitError,
			args:    []string{"--config", cfg, "tzgg", "--content-selector", "#nothing"},
			wantErr: []string{`content.selector "#nothing" matched 0 elements`}},
		{name: "page without feeds or list", args: []string{site.url("/nofeed/")}, code: exitError,
			wantErr: []string{"http://SITE/nofeed/: " + parse.NoFeedReason + "; " + parse.NoListReason}},
		{name: "page without feeds: its list detected", args: []string{site.url("/lists/vsb_split_day.html")}, code: exitOK,
			wantOut: []string{"read     list page http://SITE/lists/vsb_split_day.html (HTTP 200, text/html, 8785 bytes, utf-8)\n" +
				"title    工作动态-示例职业技术学院\n" +
				"detected the list these selectors read (paste under the source to pin them):\n" +
				"        scrape:\n          items: \"div.news-list li\"\n          link: \"div.txt a\"\n          date: \"div.date\"\n" +
				"entries  12, skipped 0\n\n" +
				" 1  关于做好2025年清明节假期安全稳定工作的通知\n" +
				"    link     http://SITE/info/1002/5123.htm\n" +
				"    date     2025-03-10 00:00:00 +0800 CST  (printed \"10 2025-03\")\n"}},
		{name: "a date selector alone", args: []string{site.url("/lists/vsb_split_day.html"), "--date", "span.nothing"}, code: exitOK,
			wantOut: []string{"        scrape:\n          items: \"div.news-list li\"\n          link: \"div.txt a\"\n          date: \"span.nothing\"\n",
				"entries  12, skipped 0\n\nwarnings\n  - the date selector span.nothing matched in 0 of 12 items: the others have no date\n",
				"date     none: dated when first stored\n"}},
		{name: "a page of comparable lists", args: []string{site.url("/lists/home_two.html")}, code: exitError,
			wantErr: []string{"2 lists found: div.news li (10 items"}},
		{name: "not found", args: []string{site.url("/missing")}, code: exitError,
			wantErr: []string{"http://SITE/missing: HTTP 404 Not Found"}},
		{name: "unknown source", args: []string{"--config", cfg, "nope"}, code: exitError,
			wantErr: []string{`no source with id or URL "nope" in ` + cfg}},
		{name: "invalid selector", args: []string{site.url("/tzgg/list.htm"), "--items", "div["}, code: exitUsage,
			wantErr: []string{"tributary preview: --items: "}},
		{name: "invalid content selector", args: []string{"--config", cfg, "tzgg", "--content-selector", "p:nope"}, code: exitUsage,
			wantErr: []string{"tributary preview: --content-selector: "}},
		{name: "bad date attribute", args: []string{site.url("/tzgg/list.htm"), "--items", "li", "--date-attr", "data date"}, code: exitUsage,
			wantErr: []string{`--date-attr: "data date" is not an attribute name`}},
		{name: "bad zone", args: []string{site.url("/news/feed.xml"), "--timezone", "Mars/Olympus"}, code: exitUsage,
			wantErr: []string{`--timezone: "Mars/Olympus" is not a known IANA time zone`}},
		{name: "no source", args: []string{"--config", cfg}, code: exitUsage, wantErr: []string{"want one SOURCE"}},
		{name: "help", args: []string{"--help"}, code: exitOK, wantErr: []string{"Usage: tributary preview", "-content-selector"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runCmd(site, cmdPreview, tt.args...)
			if code != tt.code {
				t.Errorf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tt.code, out, errOut)
			}
			if tt.golden != "" {
				checkGolden(t, tt.golden, out)
			}
			for _, w := range tt.wantOut {
				if !strings.Contains(out, w) {
					t.Errorf("stdout lacks %q:\n%s", w, out)
				}
			}
			for _, w := range tt.wantErr {
				if !strings.Contains(errOut, w) {
					t.Errorf("stderr lacks %q:\n%s", w, errOut)
				}
			}
		})
	}
}

// TestCmdPreview_storesNothing previews a configured source whose config
// points at a real redis-server, and at the embedded store, and finds the
// keyspace and the snapshot file as they were.
func TestCmdPreview_storesNothing(t *testing.T) {
	site := newTestSite(t)
	addr := storetest.StartRedis(t)
	client := storetest.NewClient(t, addr)
	ctx := context.Background()
	if err := client.Set(ctx, "unrelated", "kept", 0).Err(); err != nil {
		t.Fatal(err)
	}
	keys := func() []string {
		k, err := client.Keys(ctx, "*").Result()
		if err != nil {
			t.Fatal(err)
		}
		slices.Sort(k)
		return k
	}
	before := keys()
	for _, redisURL := range []string{"redis://" + addr + "/0", ""} {
		cfg := writePreviewConfig(t, site, redisURL)
		for _, src := range []string{"tzgg", "school-news"} {
			if code, out, errOut := runCmd(site, cmdPreview, "--config", cfg, src); code != exitOK {
				t.Fatalf("preview %s: exit %d\n%s%s", src, code, out, errOut)
			}
		}
		if _, err := os.Stat(filepath.Join(filepath.Dir(cfg), "tributary.snapshot")); !os.IsNotExist(err) {
			t.Errorf("redis.url %q: preview wrote a snapshot (stat: %v)", redisURL, err)
		}
	}
	if after := keys(); !slices.Equal(after, before) {
		t.Errorf("keyspace after preview = %v, want %v", after, before)
	}
}
