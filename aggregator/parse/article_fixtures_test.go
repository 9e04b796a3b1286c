package parse

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/PuerkitoBio/goquery"

	"github.com/tributary-rss/tributary/aggregator/model"
)

var update = flag.Bool("update", false, "rewrite the golden files of testdata/articles")

// articleGolden is what a fixture of testdata/articles reads as: its
// headline, printed time and author, the start of its body's text, and
// which lines that never belong in an article (pagers, print and close
// buttons, share bars, breadcrumbs) the body still holds.
type articleGolden struct {
	Title     string   `json:"title"`
	Date      string   `json:"date"`
	Author    string   `json:"author"`
	BodyStart string   `json:"body_start"`
	Leftovers []string `json:"leftovers"`
}

// boilerplateMarks are texts of the lines removeBoilerplate and the body
// choice must keep out of every article.
var boilerplateMarks = []string{"上一条", "下一条", "上一篇", "下一篇", "【打印", "打印本页", "打印此页", "【关闭", "关闭窗口",
	"分享到", "字号", "字体：", "当前位置", "您的位置", "版权所有", "点击数", "浏览次数"}

// bodyStartRunes is how much of a body's text a golden file pins.
const bodyStartRunes = 40

// TestArticle_Fixtures reads each whole page of testdata/articles (one
// per CMS family and layout, see the comment at the top of each) and
// compares what it reads with the page's golden file; go test -update
// rewrites them. Whatever the golden files say, no body may keep a
// pager, a print or close button or a share bar.
func TestArticle_Fixtures(t *testing.T) {
	pages, err := filepath.Glob("testdata/articles/*.html")
	if err != nil || len(pages) < 15 {
		t.Fatalf("%d article fixtures (%v), want at least 15", len(pages), err)
	}
	for _, path := range pages {
		name := strings.TrimSuffix(filepath.Base(path), ".html")
		t.Run(name, func(t *testing.T) {
			got := readFixtureArticle(t, path)
			if len(got.Leftovers) > 0 {
				t.Errorf("body keeps %q", got.Leftovers)
			}
			if got.Title == "" || got.BodyStart == "" {
				t.Errorf("no headline or no body: %+v", got)
			}
			checkGolden(t, strings.TrimSuffix(path, ".html")+".golden.json", got)
		})
	}
}

func readFixtureArticle(t *testing.T, path string) articleGolden {
	t.Helper()
	body, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	// No Content-Type: the GBK pages say their charset in <meta>, as the
	// fetcher would have left it to them.
	page, err := Article(t.Context(), nil, body, "", "http://www.example.edu.cn/info/1021/5678.htm", model.Content{})
	if err != nil {
		t.Fatal(err)
	}
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(page.HTML))
	if err != nil {
		t.Fatal(err)
	}
	text := collapse(doc.Text())
	g := articleGolden{Title: page.Title, Date: page.Date, Author: page.Author, Leftovers: []string{}}
	g.BodyStart = string([]rune(text)[:min(bodyStartRunes, utf8.RuneCountInString(text))])
	for _, m := range boilerplateMarks {
		if strings.Contains(text, m) {
			g.Leftovers = append(g.Leftovers, m)
		}
	}
	return g
}

func checkGolden(t *testing.T, path string, got articleGolden) {
	t.Helper()
	data, err := json.MarshalIndent(got, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	data = append(data, '\n')
	if *update {
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to write it)", err)
	}
	if string(want) != string(data) {
		t.Errorf("%s differs:\n got  %s\n want %s", path, data, want)
	}
}

// BenchmarkArticle reads each article fixture: body, headline, time and
// author, as a poll's article pass does.
func BenchmarkArticle(b *testing.B) {
	pages, err := filepath.Glob("testdata/articles/*.html")
	if err != nil || len(pages) == 0 {
		b.Fatal(pages, err)
	}
	bodies := make([][]byte, len(pages))
	size := 0
	for i, p := range pages {
		if bodies[i], err = os.ReadFile(p); err != nil {
			b.Fatal(err)
		}
		size += len(bodies[i])
	}
	b.SetBytes(int64(size))
	b.ReportAllocs()
	for b.Loop() {
		for _, body := range bodies {
			if _, err := Article(b.Context(), nil, body, "", "http://www.example.edu.cn/info/1021/5678.htm", model.Content{}); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkArticleLongList reads an article page whose sidebar lists
// 20,000 items, each with its own "发布时间：" and "打印": the checks for
// info lines and boilerplate must stay linear in the page's elements.
func BenchmarkArticleLongList(b *testing.B) {
	var sb strings.Builder
	sb.WriteString(`<html><head><meta charset="utf-8"><title>关于举办运动会的通知-示例大学</title></head><body>` +
		`<h1>关于举办运动会的通知</h1><div class="info">发布时间：2026-12-03 16:35 来源：体育部</div>` +
		`<div class="v_news_content"><p>学校定于12月20日举办冬季运动会，请各单位做好准备。</p></div><div class="side"><ul>`)
	for i := range 20000 {
		fmt.Fprintf(&sb, `<li><a href="/info/%d.htm">关于举办第%d届运动会的通知</a><span>发布时间：2026-12-03</span> <a href="#">打印</a></li>`, i, i)
	}
	sb.WriteString(`</ul></div></body></html>`)
	page := []byte(sb.String())
	b.SetBytes(int64(len(page)))
	for b.Loop() {
		p, err := Article(b.Context(), nil, page, "", "http://www.example.edu.cn/info/1021/5678.htm", model.Content{})
		if err != nil || p.Date != "2026-12-03 16:35" || p.Author != "体育部" {
			b.Fatalf("%+v, %v", p, err)
		}
	}
}
