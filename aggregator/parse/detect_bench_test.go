package parse

import (
	"context"
	"testing"

	"github.com/tributary-rss/tributary/aggregator/model"
)

// The cost of reading a list page from its URL alone against reading it
// with selectors: the same 100-item page (benchListPage), detection
// finding the list, its selectors and samples, and a Scrape with the
// selectors an operator would write. Detection should cost at most twice
// the explicit read.

func BenchmarkDetect(b *testing.B) {
	page := benchListPage(benchItems(100))
	b.SetBytes(int64(len(page)))
	b.ReportAllocs()
	for b.Loop() {
		det, err := Detect(context.Background(), nil, page, "text/html; charset=utf-8", "http://www.example.edu.cn/tzgg.htm", model.Scrape{})
		if err != nil || len(det.Lists) == 0 || det.Lists[0].Items != 100 {
			b.Fatalf("%v, %+v", err, det)
		}
	}
}

func BenchmarkScrapeExplicit(b *testing.B) {
	page := benchListPage(benchItems(100))
	rules := model.Scrape{Items: "ul.news-list > li", Title: "a", Link: "a", Date: "span.date", Summary: "p.intro"}
	b.SetBytes(int64(len(page)))
	b.ReportAllocs()
	for b.Loop() {
		page, err := Scrape(context.Background(), nil, page, "text/html; charset=utf-8", "http://www.example.edu.cn/tzgg.htm", rules)
		if err != nil || len(page.Feed.Items) != 100 {
			b.Fatalf("%v", err)
		}
	}
}

// BenchmarkScrapeDetected is the later polls of a source detection set
// up: Scrape with the selectors Detect proposed.
func BenchmarkScrapeDetected(b *testing.B) {
	page := benchListPage(benchItems(100))
	det, err := Detect(context.Background(), nil, page, "", "http://www.example.edu.cn/tzgg.htm", model.Scrape{})
	if err != nil {
		b.Fatal(err)
	}
	rules := det.Lists[0].Scrape
	b.SetBytes(int64(len(page)))
	b.ReportAllocs()
	for b.Loop() {
		page, err := Scrape(context.Background(), nil, page, "text/html; charset=utf-8", "http://www.example.edu.cn/tzgg.htm", rules)
		if err != nil || len(page.Feed.Items) != 100 {
			b.Fatalf("%v", err)
		}
	}
}
