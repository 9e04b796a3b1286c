package main

import (
	"strings"
	"testing"

	"github.com/tributary-rss/tributary/aggregator/parse"
)

func TestCmdDiscover(t *testing.T) {
	site := newTestSite(t)
	t.Setenv("TRIBUTARY_CONFIG", "") // and no ./tributary.yaml here: the defaults
	tests := []struct {
		name       string
		args       []string
		code       int
		golden     string // stdout, compared whole
		wantOut    []string
		wantErr    []string
		notFetched bool
	}{
		{name: "page advertising feeds", args: []string{site.url("/portal/")}, code: exitOK, golden: "discover_portal.txt"},
		{name: "relative feed link", args: []string{site.url("/school/")}, code: exitOK,
			wantOut: []string{"rss  http://SITE/news/feed.xml  示例中学新闻\n"}},
		{name: "redirected page", args: []string{site.url("/moved")}, code: exitOK,
			wantOut: []string{"rss  http://SITE/news/feed.xml  示例中学新闻\n"},
			wantErr: []string{"(http://SITE/moved redirected to http://SITE/school/)"}},
		{name: "a feed itself", args: []string{site.url("/news/feed.xml")}, code: exitOK,
			wantOut: []string{"rss  http://SITE/news/feed.xml  示例中学新闻\n"},
			wantErr: []string{"http://SITE/news/feed.xml is a feed itself"}},
		{name: "page advertising none, holding no list", args: []string{site.url("/nofeed/")}, code: exitError,
			wantErr: []string{"tributary discover: http://SITE/nofeed/: " + parse.NoFeedReason + "; " + parse.NoListReason + "\n"}},
		{name: "list page without feed", args: []string{site.url("/lists/vsb_split_day.html")}, code: exitOK, golden: "discover_lists.txt"},
		// (Its news list prints days without a year: no golden file, whose
		// dates would follow the clock.)
		{name: "homepage of two lists", args: []string{site.url("/lists/home_two.html")}, code: exitOK,
			wantOut: []string{"2 lists of entries found, best first\n\n1. div.news li  (10 items, 10 dated)\n",
				"学校举行2025届毕业生春季校园双选会\n        scrape:\n          items: \"div.news li\"\n\n2. div.notice li  (8 items, 8 dated)\n",
				"   2025-03-09  图书馆关于调整寒假期间开放时间的通知\n",
				"        scrape:\n          items: \"div.notice li\"\n          date: \"span.time\"\n",
				"too alike for a poll to choose: a source with this URL alone fails (2 lists found: div.news li (10 items"}},
		{name: "GBK list page", args: []string{site.url("/lists/dede_gbk.html")}, code: exitOK,
			wantOut: []string{"1 list of entries found", "        scrape:\n          items: "}},
		{name: "not a feed", args: []string{site.url("/sitemap.xml")}, code: exitError,
			wantErr: []string{"not a feed: XML with root <urlset>"}},
		{name: "not found", args: []string{site.url("/missing")}, code: exitError,
			wantErr: []string{"http://SITE/missing: HTTP 404 Not Found"}},
		{name: "flags after the URL", args: []string{site.url("/school/"), "--config", "missing.yaml"}, code: exitError,
			wantErr: []string{"missing.yaml"}, notFetched: true},
		{name: "no URL", args: nil, code: exitUsage, wantErr: []string{"want one URL, got 0 arguments", "Usage: tributary discover"}, notFetched: true},
		{name: "two URLs", args: []string{site.url("/a"), site.url("/b")}, code: exitUsage, wantErr: []string{"got 2 arguments"}, notFetched: true},
		{name: "not http", args: []string{"ftp://example.edu.cn/"}, code: exitUsage, wantErr: []string{"http or https"}, notFetched: true},
		{name: "help", args: []string{"--help"}, code: exitOK, wantErr: []string{"Examples:\n  tributary discover https://"}, notFetched: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := site.requests.Load()
			code, out, errOut := runCmd(site, cmdDiscover, tt.args...)
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
			if fetched := site.requests.Load() != before; fetched == tt.notFetched {
				t.Errorf("fetched = %v", fetched)
			}
		})
	}
}

// TestCmdHelp_discoverPreview: both commands are in the overview and
// answer `tributary help COMMAND` on stdout.
func TestCmdHelp_discoverPreview(t *testing.T) {
	code, out, _ := runCmd(nil, cmdHelp, nil...)
	if code != exitOK || !strings.Contains(out, "tributary discover [--config FILE] URL") || !strings.Contains(out, "tributary preview [--config FILE]") {
		t.Errorf("help overview (exit %d) lacks discover or preview:\n%s", code, out)
	}
	for _, cmd := range []string{"discover", "preview"} {
		code, out, errOut := runCmd(nil, cmdHelp, cmd)
		if code != exitOK || !strings.HasPrefix(out, "Usage: tributary "+cmd) || !strings.Contains(out, "Examples:") || errOut != "" {
			t.Errorf("help %s: exit %d\nstdout:\n%s\nstderr:\n%s", cmd, code, out, errOut)
		}
	}
}
