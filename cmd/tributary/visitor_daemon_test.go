package main

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tributary-rss/tributary/aggregator/config"
)

// TestDaemon_visitorConfig runs the daemon with site:, ui.date_format and a
// section zone from YAML: the keys reach the pages (title, footer, CSP of
// the site's stylesheet, the date in the section's zone and layout).
func TestDaemon_visitorConfig(t *testing.T) {
	// 2026-11-17 00:00 in Asia/Shanghai, 16 November in UTC.
	src := newFixtureSource(t, "alpha.xml", "application/rss+xml; charset=utf-8", map[string]string{
		"{{TITLE}}": "午夜新闻", "2026-11-20 09:30:00": "Mon, 16 Nov 2026 16:00:00 +0000",
	})
	dir := t.TempDir()
	yaml := fmt.Sprintf(`listen: 127.0.0.1:0
storage:
  snapshot: %s
defaults:
  schedule: "@every 1h"
  timezone: UTC
ui:
  date_format: "2006/01/02"
site:
  title: 示例大学新闻网
  css: https://cdn.example.edu.cn/site.css
  footer:
    text: "<b>© 示例大学</b>"
    links:
      - text: 京ICP备12345678号
        url: https://beian.miit.gov.cn/
sections:
  - id: news
    title: 要闻
    timezone: Asia/Shanghai
    sources:
      - url: %s/feed.xml
`, filepath.Join(dir, "snap"), src.srv.URL)
	cfg, err := config.Parse(filepath.Join(dir, "t.yaml"), []byte(yaml), nil)
	if err != nil {
		t.Fatal(err)
	}
	d := startDaemon(t, cfg)
	if r := d.waitPolls(t, 1)[0]; r.Err != nil {
		t.Fatalf("poll: %v", r.Err)
	}
	tests := []struct {
		path string
		want []string
	}{
		{"/", []string{"<title>示例大学新闻网</title>", ">午夜新闻</a> <time", ">2026/11/17</time>", "&lt;b&gt;© 示例大学&lt;/b&gt;",
			`<a href="https://beian.miit.gov.cn/" rel="noopener">京ICP备12345678号</a>`}},
		{"/sections/news", []string{"<title>要闻 · 示例大学新闻网</title>", ">2026/11/17</time>", `<link rel="stylesheet" href="https://cdn.example.edu.cn/site.css">`}},
		{"/embed/news.html", []string{">2026/11/17</time>"}},
		{"/api/v1/sections/news/entries", []string{`"display_date":"2026/11/17"`, `"timezone":"Asia/Shanghai"`}},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			resp, body := d.get(t, tt.path, nil)
			for _, w := range tt.want {
				if !strings.Contains(string(body), w) {
					t.Errorf("lacks %s\n%s", w, body)
				}
			}
			if strings.Contains(string(body), "2026/11/16") {
				t.Error("a date in UTC, not the section's zone")
			}
			if tt.path == "/sections/news" && !strings.Contains(resp.Header.Get("Content-Security-Policy"), "style-src 'self' https://cdn.example.edu.cn/site.css;") {
				t.Errorf("CSP %q", resp.Header.Get("Content-Security-Policy"))
			}
		})
	}
}
