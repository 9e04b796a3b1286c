package parse

import (
	"encoding/json"
	"flag"
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
