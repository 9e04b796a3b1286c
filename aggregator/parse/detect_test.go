package parse

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/tributary-rss/tributary/aggregator/model"
)

func candidate(items string, n, dated int, score float64, first string) model.ListCandidate {
	return model.ListCandidate{Scrape: model.Scrape{Items: items}, Items: n, Dated: dated, Score: score,
		Samples: []model.ListSample{{Title: first}}}
}

// TestComparable: a runner-up is comparable when it scores at least 0.6
// of the best and both lists have five items or more, half of them dated.
func TestComparable(t *testing.T) {
	best := candidate("div.news li", 20, 20, 5.0, "")
	tests := []struct {
		name  string
		other model.ListCandidate
		want  bool
	}{
		{"notices beside news", candidate("div.notice li", 8, 8, 3.8, ""), true},
		{"exactly 0.6", candidate("div.notice li", 8, 8, 3.0, ""), true},
		{"a weaker box", candidate("div.side li", 8, 8, 2.9, ""), false},
		{"four items", candidate("div.side li", 4, 4, 4.9, ""), false},
		{"undated", candidate("div.rank li", 10, 4, 4.0, ""), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Comparable(best, tt.other); got != tt.want {
				t.Errorf("Comparable = %v, want %v", got, tt.want)
			}
		})
	}
	if Comparable(candidate("div.news li", 20, 6, 5.0, ""), candidate("div.notice li", 8, 8, 4.5, "")) {
		t.Error("a best list mostly without dates is comparable")
	}
}

func TestAmbiguityReason(t *testing.T) {
	news := candidate("div.news li", 20, 20, 5.0, "学校召开2025年党风廉政建设工作会议")
	notice := candidate("div.notice li", 8, 8, 3.8, "关于做好清明节假期安全工作的通知")
	rank := candidate("div.rank li", 7, 0, 1.2, "阅读排行")
	short := candidate("div.box3 li", 7, 7, 3.5, "短标题")
	tests := []struct {
		name  string
		lists []model.ListCandidate
		want  string
	}{
		{"two lists and a sidebar", []model.ListCandidate{news, notice, rank},
			`2 lists found: div.news li (20 items, "学校召开2025年党风廉…"), div.notice li (8 items, "关于做好清明节假期安全工…"); pick one with scrape.items`},
		{"a short title is not cut", []model.ListCandidate{news, rank, short},
			`2 lists found: div.news li (20 items, "学校召开2025年党风廉…"), div.box3 li (7 items, "短标题"); pick one with scrape.items`},
		{"one clear list", []model.ListCandidate{news, rank}, ""},
		{"one list", []model.ListCandidate{news}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := AmbiguityReason(tt.lists); got != tt.want {
				t.Errorf("AmbiguityReason =\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}

// datedList is a list page: a navigation menu, a dated list of n
// headlines in div.news, a footer of 友情链接.
func datedList(n int) string {
	var b strings.Builder
	b.WriteString(`<html><head><meta charset="utf-8"><title>新闻</title></head><body><ul class="menu">`)
	for _, m := range []string{"首页", "学校概况", "机构设置", "新闻中心", "教育教学", "科学研究", "招生就业"} {
		b.WriteString(`<li><a href="/` + m + `.htm">` + m + `</a></li>`)
	}
	b.WriteString(`</ul><div class="news"><ul>`)
	for i := range n {
		b.WriteString(`<li><a href="/info/1001/` + string(rune('0'+i)) + `.htm">学校召开第` + string(rune('0'+i)) + `次教学工作会议</a><span>2025-03-0` + string(rune('1'+i)) + `</span></li>`)
	}
	b.WriteString(`</ul></div><div class="foot"><h3>友情链接</h3><ul>`)
	for _, f := range []string{"中华人民共和国教育部", "示例省教育厅门户网站", "中国高校招生信息网", "中国教育和科研计算机网"} {
		b.WriteString(`<li><a href="http://` + f + `.example/">` + f + `</a></li>`)
	}
	b.WriteString(`</ul></div></body></html>`)
	return b.String()
}

// TestDetect_DatedListOverMenus: a short dated list wins over a longer
// menu and a footer of long link names, and is not ambiguous.
func TestDetect_DatedListOverMenus(t *testing.T) {
	det, err := Detect(context.Background(), nil, []byte(datedList(4)), "", "http://www.example.edu.cn/xwzx.htm", model.Scrape{})
	if err != nil {
		t.Fatal(err)
	}
	if got := det.Lists[0].Scrape.Items; got != "div.news li" || det.Ambiguous {
		t.Fatalf("best list %q (ambiguous %v), want div.news li; lists %+v", got, det.Ambiguous, det.Lists)
	}
	want := []model.ListSample{
		{Title: "学校召开第0次教学工作会议", Link: "http://www.example.edu.cn/info/1001/0.htm", Date: "2025-03-01"},
		{Title: "学校召开第1次教学工作会议", Link: "http://www.example.edu.cn/info/1001/1.htm", Date: "2025-03-02"},
		{Title: "学校召开第2次教学工作会议", Link: "http://www.example.edu.cn/info/1001/2.htm", Date: "2025-03-03"},
	}
	if c := det.Lists[0]; c.Items != 4 || c.Dated != 4 || len(c.Samples) != 3 || c.Samples[0] != want[0] || c.Samples[2] != want[2] {
		t.Errorf("candidate %+v, want 4 items, 4 dated, samples %+v", c, want)
	}
}

// TestDetect_GivenItems: with scrape.items given, Detect considers that
// list alone and fills the fields left empty, keeping those set.
func TestDetect_GivenItems(t *testing.T) {
	page := fixture(t, "lists/vsb_table.html")
	tests := []struct {
		name  string
		rules model.Scrape
		want  model.Scrape
	}{
		{"items only", model.Scrape{Items: "table.winstyle54630 tr"},
			model.Scrape{Items: "table.winstyle54630 tr", Link: "a.c54630", Date: "span.timestyle54630"}},
		{"fields set are kept", model.Scrape{Items: "table.winstyle54630 tr", Date: "td[align=right]", Skip: ".top"},
			model.Scrape{Items: "table.winstyle54630 tr", Link: "a.c54630", Date: "td[align=right]", Skip: ".top"}},
		{"a date attribute is a date", model.Scrape{Items: "table.winstyle54630 tr", DateAttr: "data-date"},
			model.Scrape{Items: "table.winstyle54630 tr", Link: "a.c54630", DateAttr: "data-date"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			det, err := Detect(context.Background(), nil, page, "", "https://www.example.edu.cn/xwzx/xxyw.htm", tt.rules)
			if err != nil {
				t.Fatal(err)
			}
			if len(det.Lists) != 1 || det.Ambiguous || det.Lists[0].Scrape != tt.want || det.Lists[0].Items != 15 {
				t.Fatalf("lists %+v, want one of 15 items with %+v", det.Lists, tt.want)
			}
		})
	}
}

func TestDetect_Errors(t *testing.T) {
	page := fixture(t, "lists/vsb_table.html")
	tests := []struct {
		name   string
		body   []byte
		rules  model.Scrape
		reason string
		is     error
	}{
		{"no list", fixture(t, "lists/no_list.html"), model.Scrape{}, NoListReason, ErrNoList},
		{"empty page", nil, model.Scrape{}, NoListReason, ErrNoList},
		{"items match nothing", page, model.Scrape{Items: "ul.nothing li"}, NoItemsReason, ErrNoItems},
		{"bad items", page, model.Scrape{Items: "li["}, "scrape.items: expected identifier, found EOF instead", nil},
		{"bad date without items", page, model.Scrape{Date: "span["}, "scrape.date: expected identifier, found EOF instead", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Detect(context.Background(), nil, tt.body, "", "http://www.example.edu.cn/", tt.rules)
			var pe *ParseError
			if !errors.As(err, &pe) || pe.Reason != tt.reason {
				t.Fatalf("err = %v, want reason %q", err, tt.reason)
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("err does not wrap %v", tt.is)
			}
		})
	}
}

// TestDetect_stopped: detection's own walk stops with the evaluation, as
// guarded selectors do, and a given items selector is guarded.
func TestDetect_stopped(t *testing.T) {
	t.Run("walk", func(t *testing.T) {
		doc, release, err := loadDocument(context.Background(), nil, []byte(datedList(9)+strings.Repeat("<p>x</p>", 600)), "")
		if err != nil {
			t.Fatal(err)
		}
		defer release()
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		ev, stop := NewLimiter(1).evaluate(ctx)
		defer stop()
		d := &detector{ev: ev, doc: doc.Document, resolved: make(map[string]string)}
		err = func() (err error) {
			defer ev.recover(&err)
			d.lists()
			return nil
		}()
		var pe *ParseError
		if !errors.As(err, &pe) || pe.Reason != "list detection: selector evaluation cancelled" || !errors.Is(err, ErrSelectorStopped) {
			t.Fatalf("err = %v, want list detection cancelled", err)
		}
	})
	t.Run("given items", func(t *testing.T) {
		lim := NewLimiter(1)
		lim.SelectorTimeout = 100 * time.Millisecond
		_, err := Detect(context.Background(), lim, bareList(60_000), "text/html", "http://example.cn/", model.Scrape{Items: pathological})
		if !errors.Is(err, ErrSelectorStopped) || !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("err = %v, want the items selector stopped", err)
		}
	})
}

// TestDetect_cutPage: a page over the element bound is detected on its
// top, says it was cut, and the list proposed reads as many items as
// Scrape reads of the cut page.
func TestDetect_cutPage(t *testing.T) {
	lim := NewLimiter(1)
	lim.MaxElements = 1000
	body := benchListPage(benchItems(3000))
	det, err := Detect(context.Background(), lim, body, "text/html", "http://www.example.edu.cn/tzgg.htm", model.Scrape{})
	if err != nil {
		t.Fatal(err)
	}
	page, err := Scrape(context.Background(), lim, body, "text/html", "http://www.example.edu.cn/tzgg.htm", det.Lists[0].Scrape)
	if err != nil {
		t.Fatal(err)
	}
	if det.CutAt != 1000 || det.Lists[0].Scrape.Items != "ul.news-list li" || det.Lists[0].Items != page.Total || page.Total < 200 {
		t.Errorf("CutAt %d, lists %+v, Scrape reads %d; want 1000, ul.news-list li of the %d items Scrape reads", det.CutAt, det.Lists, page.Total, page.Total)
	}
}

// FuzzDetect: any page gives candidates whose selectors compile and whose
// samples have absolute http(s) links and valid UTF-8, or an error, and
// never a panic.
func FuzzDetect(f *testing.F) {
	f.Add(fixture(f, "lists/vsb_table.html"), "")
	f.Add(fixture(f, "lists/home_two.html"), "")
	f.Add(fixture(f, "lists/split_md_year.html"), "text/html")
	f.Add(fixture(f, "lists/hanweb_datastore.html"), "")
	f.Add(fixture(f, "lists/asp_table_gbk.html"), "text/html; charset=gbk")
	f.Add([]byte(`<ul><li><a href="javascript:1">[学校]</a><a href="/a/1.htm" title="标题">标…</a><p>03/10</p><span>2025</span></li><li><a href="/a/2.htm">标题二 [ 2021-05-19 ]</a></li><li><a href="/a/3.htm"><div>10</div><div>2025-03</div><h3>标题三</h3></a></li></ul>`), "")
	f.Add([]byte(`<script type="text/xml"><datastore><recordset><record><![CDATA[<li><a href="/art/1.html">x`), "")
	f.Fuzz(func(t *testing.T, body []byte, contentType string) {
		lim := NewLimiter(1)
		lim.MaxElements = 5000
		det, err := Detect(context.Background(), lim, body, contentType, "http://www.example.edu.cn/list/", model.Scrape{})
		if err != nil {
			return
		}
		for _, l := range det.Lists {
			if _, err := compileScrape(l.Scrape); err != nil {
				t.Errorf("proposed selectors %+v do not compile: %v", l.Scrape, err)
			}
			for _, s := range l.Samples {
				if resolveLink(nil, s.Link) != s.Link || !validUTF8(s.Title, s.Date) {
					t.Errorf("sample %+v", s)
				}
			}
		}
	})
}

// TestDetect_NoListInChrome: a page of menus, a pager and a footer holds
// no list of entries.
func TestDetect_NoListInChrome(t *testing.T) {
	body := `<html><head><title>搜索</title></head><body>
<ul class="menu"><li><a href="/">首页</a></li><li><a href="/xxgk.htm">学校概况</a></li><li><a href="/xwzx.htm">新闻中心</a></li><li><a href="/jyjx.htm">教育教学</a></li></ul>
<div class="pages"><a href="?p=1">首页</a><a href="?p=1">上一页</a><a href="?p=1">1</a><a href="?p=2">2</a><a href="?p=3">3</a><a href="?p=2">下一页</a><a href="?p=9">尾页</a></div>
<ul class="pagelist"><li><a href="?p=1">1</a></li><li><a href="?p=2">2</a></li><li><a href="?p=3">3</a></li><li><a href="?p=4">下一页</a></li></ul>
<div class="footer"><a href="/lxwm.htm">联系我们</a> <a href="/wzdt.htm">网站地图</a> <a href="/flsm.htm">法律声明</a></div></body></html>`
	if _, err := Detect(context.Background(), nil, []byte(body), "", "http://www.example.edu.cn/search.htm", model.Scrape{}); !errors.Is(err, ErrNoList) {
		t.Fatalf("err = %v, want ErrNoList", err)
	}
}
