package parse

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/tributary-rss/tributary/aggregator/model"
)

// TestFamilyOf: a list's links name its CMS family when most of them
// have the family's shape.
func TestFamilyOf(t *testing.T) {
	tests := []struct {
		name  string
		links []string
		want  string
	}{
		{"vsb static", []string{"https://www.example.edu.cn/info/1001/3401.htm", "https://www.example.edu.cn/info/1001/3400.htm"}, "博达 VSB"},
		{"vsb dynamic", []string{"http://www.example.edu.cn/content.jsp?urltype=news.NewsContentUrl&wbtreeid=1001&wbnewsid=3401"}, "博达 VSB"},
		{"webplus", []string{"https://news.example.edu.cn/2025/0310/c1234a56789/page.htm"}, "WebPlus (苏迪)"},
		{"trs", []string{"http://www.example.gov.cn/zwgk/gzdt/202503/t20250310_4567890.html"}, "TRS WCM"},
		{"hanweb", []string{"http://www.example.gov.cn/art/2025/3/10/art_1229_58812.html"}, "大汉 Hanweb"},
		{"dedecms", []string{"http://www.example.cn/a/xwzx/2025/0310/1234.html", "http://www.example.cn/plus/view.php?aid=55"}, "DedeCMS (织梦)"},
		{"phpcms", []string{"http://www.example.cn/index.php?m=content&c=index&a=show&catid=10&id=321"}, "PHPCMS"},
		{"empire", []string{"http://www.example.cn/e/action/ShowInfo.php?classid=2&id=345", "http://www.example.cn/2025-03-10/345.html"}, "帝国CMS EmpireCMS"},
		{"wordpress", []string{"https://blog.example.cn/2025/03/hello-world/", "https://blog.example.cn/?p=12"}, "WordPress"},
		{"none", []string{"https://www.example.cn/news/detail?id=12", "https://www.example.cn/news/detail?id=13"}, ""},
		{"a minority", []string{"https://www.example.edu.cn/info/1001/1.htm", "https://x.cn/a", "https://x.cn/b"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ""
			if f := familyOf(tt.links); f != nil {
				got = f.name
			}
			if got != tt.want {
				t.Errorf("familyOf = %q, want %q", got, tt.want)
			}
		})
	}
}

// TestListFamilies: the table compiles and names each family once.
func TestListFamilies(t *testing.T) {
	seen := make(map[string]bool)
	for _, f := range ListFamilies() {
		if seen[f.Name] || f.Links == "" || len(f.Containers) == 0 || len(f.Items) == 0 {
			t.Errorf("family %+v is incomplete or named twice", f)
		}
		seen[f.Name] = true
	}
	if len(compileFamilies(ListFamilies())) != len(seen) {
		t.Error("not every family compiles")
	}
}

// TestExpandRecords: the records of a 大汉 datastore are read where a
// browser shows them, at most maxRecords of them.
func TestExpandRecords(t *testing.T) {
	tests := []struct {
		name    string
		records int
		want    int
	}{
		{"a page of records", 15, 15},
		{"too many records", maxRecords + 200, maxRecords},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b strings.Builder
			b.WriteString(`<html><body><div id="4052"><script type="text/xml"><datastore><recordset>`)
			for i := range tt.records {
				fmt.Fprintf(&b, `<record><![CDATA[<li><a href="/art/2025/3/10/art_4052_%d.html">通知%d</a><span>2025-03-10</span></li>]]></record>`, i, i)
			}
			b.WriteString(`</recordset></datastore></script></div></body></html>`)
			page, err := Scrape(context.Background(), nil, []byte(b.String()), "", "http://www.example.gov.cn/col/col4052/index.html",
				model.Scrape{Items: "#4052 div.default_pgContainer li"})
			if err != nil {
				t.Fatal(err)
			}
			if len(page.Feed.Items) != tt.want || page.Feed.Items[0].Link != "http://www.example.gov.cn/art/2025/3/10/art_4052_0.html" {
				t.Errorf("%d items (first %+v), want %d", len(page.Feed.Items), page.Feed.Items[0], tt.want)
			}
		})
	}
}
