package parse

import (
	"fmt"
	"html"
	"strings"
	"testing"

	"github.com/tributary-rss/tributary/aggregator/model"
)

// benchItem is one story, written out both as a list-page line and as an
// RSS item, so the two benchmarks below read the same news.
type benchItem struct {
	title, link, date, summary string
}

func benchItems(n int) []benchItem {
	items := make([]benchItem, n)
	for i := range items {
		items[i] = benchItem{
			title:   fmt.Sprintf("关于做好2026年秋季学期第%d项教学检查工作的通知", i+1),
			link:    fmt.Sprintf("http://www.example.edu.cn/info/1001/%d.htm", 5000+i),
			date:    fmt.Sprintf("2026-%02d-%02d", 1+i%12, 1+i%28),
			summary: strings.Repeat("学校召开专题会议，部署本学期教学检查工作。", 3),
		}
	}
	return items
}

// benchListPage is a CMS list page: the usual head, navigation and footer
// around a ul of items with cut titles, title attributes and dates.
func benchListPage(items []benchItem) []byte {
	var b strings.Builder
	b.WriteString(`<!DOCTYPE html><html><head><meta charset="utf-8"><title>通知公告-示例学院</title>` +
		`<link rel="stylesheet" href="/css/main.css"><script src="/js/jquery.js"></script></head><body>` +
		`<div class="header"><ul class="nav"><li><a href="/">首页</a></li><li><a href="/xxgk.htm">学校概况</a></li>` +
		`<li><a href="/jgsz.htm">机构设置</a></li><li><a href="/xwzx.htm">新闻中心</a></li></ul></div>` +
		`<div class="main"><ul class="news-list">`)
	for _, it := range items {
		cut := []rune(it.title)
		fmt.Fprintf(&b, "\n<li><a href=\"%s\" title=\"%s\" target=\"_blank\">%s…</a><span class=\"date\">%s</span><p class=\"intro\">%s</p></li>",
			strings.TrimPrefix(it.link, "http://www.example.edu.cn/"), html.EscapeString(it.title), string(cut[:min(len(cut), 18)]), it.date, it.summary)
	}
	b.WriteString(`</ul><div class="pages">共100条 1/1</div></div><div class="footer">版权所有 © 示例学院</div></body></html>`)
	return []byte(b.String())
}

// benchRSS is the same items as an RSS 2.0 feed.
func benchRSS(items []benchItem) []byte {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>通知公告-示例学院</title><link>http://www.example.edu.cn/</link>`)
	for _, it := range items {
		fmt.Fprintf(&b, "\n<item><title>%s</title><link>%s</link><pubDate>%s</pubDate><description>%s</description></item>",
			html.EscapeString(it.title), it.link, it.date, it.summary)
	}
	b.WriteString(`</channel></rss>`)
	return []byte(b.String())
}

func BenchmarkScrape100(b *testing.B) {
	page := benchListPage(benchItems(100))
	rules := model.Scrape{Items: "ul.news-list > li", Date: "span.date", Summary: "p.intro"}
	b.SetBytes(int64(len(page)))
	b.ReportAllocs()
	for b.Loop() {
		feed, _, err := scrapeFeed(page, "text/html; charset=utf-8", "http://www.example.edu.cn/tzgg.htm", rules)
		if err != nil || len(feed.Items) != 100 {
			b.Fatalf("%v, %d items", err, len(feed.Items))
		}
	}
}

func BenchmarkRSS100(b *testing.B) {
	body := benchRSS(benchItems(100))
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		feed, err := Feed(body, FeedOptions{})
		if err != nil || len(feed.Items) != 100 {
			b.Fatalf("%v, %d items", err, len(feed.Items))
		}
	}
}
