package parse

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"

	"github.com/tributary-rss/tributary/aggregator/charset"
	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/aggregator/normalize"
)

// scraped is the part of a scraped item the tests pin.
type scraped struct {
	Title, Link, Published, Description, Image string
}

func summarize(items []*gofeed.Item) []scraped {
	out := make([]scraped, 0, len(items))
	for _, it := range items {
		s := scraped{Title: it.Title, Link: it.Link, Published: it.Published, Description: it.Description}
		if it.Image != nil {
			s.Image = it.Image.URL
		}
		out = append(out, s)
	}
	return out
}

func TestScrape(t *testing.T) {
	tests := []struct {
		name, file, contentType, pageURL string
		body                             string // used when file is ""
		rules                            model.Scrape
		wantTitle                        string
		want                             []scraped
		wantSkipped                      []Skip
	}{
		{
			name: "ul list with cut titles", file: "list_ul.html", pageURL: "http://www.example.edu.cn/xwzx/xxyw.htm",
			rules:     model.Scrape{Items: "ul.news-list > li", Date: "span.date", Summary: "p.intro", Image: "img"},
			wantTitle: "学校要闻-示例学院",
			want: []scraped{
				{"我校召开2026年秋季学期教学工作会议暨本科教育教学审核评估推进会", "http://www.example.edu.cn/info/1001/3401.htm", "2026-10-17",
					"10月16日下午，学校在行政楼第一会议室召开秋季学期教学工作会议。", "http://www.example.edu.cn/__local/A/B1/thumb3401.jpg"},
				{"学院举办第十届校园科技文化节", "http://www.example.edu.cn/info/1001/3399.htm", "2026-10-15", "本届科技文化节为期 两周， 共设置十二项赛事。", ""},
				// A shorter title attribute does not replace an uncut text.
				{"关于做好2026年国庆节假期安全工作的通知", "http://www.example.edu.cn/info/1001/3398.htm", "2026-09-28", "", ""},
				{"示例学院与示例市人民政府签署战略合作协议", "https://mp.weixin.qq.com/s/AbCdEf123", "2026-09-10", "", "http://www.example.edu.cn/__local/C/D2/thumb3390.png"},
			},
			wantSkipped: []Skip{
				{Position: 4, Title: "专题：学习贯彻全国教育大会精神...", Reason: SkipScriptLink},
				{Position: 5, Title: "（图片新闻）", Reason: SkipScriptLink},
			},
		},
		{
			name: "table list", file: "list_table.html", pageURL: "http://jyj.example.gov.cn/col/col1229/index.html",
			rules:     model.Scrape{Items: "table.list tr", Date: "td.rq"},
			wantTitle: "通知公告 - 示例市教育局",
			want: []scraped{
				{"示例市教育局关于公布2026年度市级优秀教学成果奖评选结果的通知", "http://jyj.example.gov.cn/art/2026/10/17/art_1229_58812.html", "[10-17]", "", ""},
				{"2026年秋季中小学安全检查工作安排", "http://jyj.example.gov.cn/art/2026/10/16/art_1229_58790.html", "[10-16]", "", ""},
				{"关于2026年元旦放假的通知", "http://jyj.example.gov.cn/art/2025/12/30/art_1229_51234.html", "[12-30]", "", ""},
			},
			wantSkipped: []Skip{{Position: 1, Reason: SkipNoLink}, {Position: 5, Reason: SkipNoLink}},
		},
		{
			name: "pinned item skipped", file: "list_pinned.html", pageURL: "https://www.example.edu.cn/tzgg/list.htm",
			rules:     model.Scrape{Items: ".list_item", Title: ".Article_Title a", Date: ".Article_PublishDate", Skip: ".top"},
			wantTitle: "通知公告",
			want: []scraped{
				{"2026年研究生招生考试报名须知", "https://www.example.edu.cn/2026/1017/c1234a201/page.htm", "2026-10-17", "", ""},
				{"关于开展2026年秋季学期教学检查的通知", "https://www.example.edu.cn/2026/1012/c1234a198/page.htm", "2026-10-12", "", ""},
			},
			wantSkipped: []Skip{{Position: 1, Title: "[置顶]关于学校官方网站域名变更的公告", Reason: SkipMatched}},
		},
		{
			// Without a date selector the date is found in the item.
			name: "skip by a marker inside the item", file: "list_pinned.html", pageURL: "https://www.example.edu.cn/tzgg/list.htm",
			rules:     model.Scrape{Items: ".list_item", Skip: "span.zd"},
			wantTitle: "通知公告",
			want: []scraped{
				{"2026年研究生招生考试报名须知", "https://www.example.edu.cn/2026/1017/c1234a201/page.htm", "2026-10-17", "", ""},
				{"关于开展2026年秋季学期教学检查的通知", "https://www.example.edu.cn/2026/1012/c1234a198/page.htm", "2026-10-12", "", ""},
			},
			wantSkipped: []Skip{{Position: 1, Title: "[置顶]关于学校官方网站域名变更的公告", Reason: SkipMatched}},
		},
		{
			name: "relative links against base", file: "list_base.html", pageURL: "http://www.example.edu.cn/other/list.htm",
			rules:     model.Scrape{Items: "ul.newslist li", Date: "span"},
			wantTitle: "学院新闻",
			want: []scraped{
				{"关于举办第二届青年教师教学竞赛的通知", "http://www.example.edu.cn/info/1001/3400.htm", "2026-10-17", "", ""},
				{"新生开学典礼隆重举行", "http://www.example.edu.cn/xwzx/xxyw/3399.htm", "2026-10-16", "", ""},
				{"学院领导走访合作企业", "http://www.example.edu.cn/info/1002/1.htm", "2026-10-15", "", ""},
				{"校友返校日活动", "http://news.example.edu.cn/2026/1014/c5a88/page.htm", "2026-10-14", "", ""},
			},
			wantSkipped: []Skip{{Position: 5, Title: "联系我们", Reason: SkipNoLink}},
		},
		{
			name: "date from an attribute", file: "list_date_attr.html", pageURL: "https://blog.example.cn/",
			rules:     model.Scrape{Items: "article.post", Title: "h3", Date: "time", DateAttr: "datetime"},
			wantTitle: "动态",
			want: []scraped{
				{"第一篇", "https://blog.example.cn/p/1", "2026-10-17T09:30:00+08:00", "", ""},
				{"第二篇", "https://blog.example.cn/p/2", "2026-10-16T18:00:00+08:00", "", ""},
			},
		},
		{
			name: "date from an attribute of the item", file: "list_date_attr.html", pageURL: "https://blog.example.cn/",
			rules:     model.Scrape{Items: "article.post", Link: "h3", DateAttr: "data-published"},
			wantTitle: "动态",
			want: []scraped{
				{"第一篇", "https://blog.example.cn/p/1", "2026-10-17 09:30", "", ""},
				{"第二篇", "https://blog.example.cn/p/2", "2026-10-16 18:00", "", ""},
			},
		},
		{
			name: "items are the links themselves", pageURL: "http://example.cn/list/",
			body:      `<title>x</title><div class="l"><a href="1.htm" title="完整的标题一">完整的…</a><a href="2.htm">标题二</a></div>`,
			rules:     model.Scrape{Items: "div.l > a"},
			wantTitle: "x",
			want: []scraped{
				{"完整的标题一", "http://example.cn/list/1.htm", "", "", ""},
				{"标题二", "http://example.cn/list/2.htm", "", "", ""},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := []byte(tt.body)
			if tt.file != "" {
				body = fixture(t, tt.file)
			}
			feed, skipped, err := scrapeFeed(body, tt.contentType, tt.pageURL, tt.rules)
			if err != nil {
				t.Fatal(err)
			}
			if feed.Title != tt.wantTitle || feed.Link != tt.pageURL || feed.FeedType != FeedTypeHTML {
				t.Errorf("feed = %q %q %q", feed.Title, feed.Link, feed.FeedType)
			}
			assertScraped(t, summarize(feed.Items), tt.want)
			if !reflect.DeepEqual(skipped, tt.wantSkipped) {
				t.Errorf("skipped = %+v, want %+v", skipped, tt.wantSkipped)
			}
		})
	}
}

func assertScraped(t *testing.T, got, want []scraped) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("got %d items, want %d:\n%+v", len(got), len(want), got)
	}
	for i := range min(len(got), len(want)) {
		if got[i] != want[i] {
			t.Errorf("item %d =\n  %+v\nwant\n  %+v", i, got[i], want[i])
		}
	}
}

// TestScrape_Charsets: legacy encodings come out right whether the charset
// is in a <meta>, only in the header, or nowhere.
func TestScrape_Charsets(t *testing.T) {
	tests := []struct {
		name, file, contentType, wantTitle string
		rules                              model.Scrape
		want                               []string // item titles
	}{
		{"gbk from meta", "list_gbk.html", "text/html", "学校要闻_示例职业技术学院",
			model.Scrape{Items: "tr[id^=line]"}, []string{"我院在全省职业院校技能大赛中荣获一等奖三项", "学院召开安全稳定工作部署会"}},
		{"gbk from header over a wrong meta", "list_gbk.html", "text/html; charset=GBK", "学校要闻_示例职业技术学院",
			model.Scrape{Items: "tr[id^=line]"}, []string{"我院在全省职业院校技能大赛中荣获一等奖三项", "学院召开安全稳定工作部署会"}},
		{"gb2312 header with gbk-only characters", "list_gb2312_header.html", "text/html; charset=gb2312", "通知公告",
			model.Scrape{Items: "ul.list li"}, []string{"关于王喆、李堃同志任职的公示", "关于做好秋冬季校园消防安全工作的通知"}},
		{"undeclared gbk", "list_gb2312_header.html", "text/html", "通知公告",
			model.Scrape{Items: "ul.list li"}, []string{"关于王喆、李堃同志任职的公示", "关于做好秋冬季校园消防安全工作的通知"}},
		{"gb18030 four-byte character", "list_gb18030.html", "", "新闻动态",
			model.Scrape{Items: "ul.list li"}, []string{"吉𠮷同学获得全国大学生数学竞赛一等奖"}},
		{"big5 from meta", "list_big5.html", "text/html", "最新消息 - 示例科技大學",
			model.Scrape{Items: "ul.news li"}, []string{"本校榮獲教育部教學實踐研究計畫補助", "秋季校園徵才博覽會開始報名"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			feed, _, err := scrapeFeed(fixture(t, tt.file), tt.contentType, "http://www.example.edu.cn/", tt.rules)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, it := range feed.Items {
				got = append(got, it.Title)
			}
			if feed.Title != tt.wantTitle || !reflect.DeepEqual(got, tt.want) {
				t.Errorf("title %q, items %q; want %q, %q", feed.Title, got, tt.wantTitle, tt.want)
			}
		})
	}
}

func TestDecodeHTML(t *testing.T) {
	utf8Page := []byte(`<meta charset="gbk"><title>学院新闻</title>`)
	tests := []struct {
		name, contentType, wantCharset string
		body                           []byte
	}{
		{"meta gbk", "", "gb18030", fixture(t, "list_gbk.html")},
		{"header gb2312", "text/html; charset=gb2312", "gb18030", fixture(t, "list_gb2312_header.html")},
		{"nothing declared", "", "gb18030", fixture(t, "list_gb2312_header.html")},
		{"meta big5", "", "big5", fixture(t, "list_big5.html")},
		{"meta gb18030", "", "gb18030", fixture(t, "list_gb18030.html")},
		{"converted already despite meta", "", "utf-8", utf8Page},
		{"converted already despite header", "text/html; charset=gbk", "utf-8", utf8Page},
		{"bom", "text/html; charset=gbk", "utf-8", append([]byte("\xef\xbb\xbf"), utf8Page...)},
		{"declared utf-8 contradicted", "text/html; charset=utf-8", "gb18030", fixture(t, "list_gb2312_header.html")},
		{"latin-1 declared", "", "windows-1252", []byte("<meta charset=\"iso-8859-1\"><title>caf\xe9</title>")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, cs := charset.DecodeHTML(tt.body, tt.contentType)
			if cs != tt.wantCharset {
				t.Errorf("charset = %q, want %q", cs, tt.wantCharset)
			}
			if strings.HasPrefix(string(out), "\ufeff") || strings.ContainsRune(string(out), '\uFFFD') {
				t.Errorf("output keeps a BOM or replacement characters: %.80q", out)
			}
		})
	}
}

// TestScrape_Dates: every date shape of the list_dates fixture is passed
// on as the cell's text and read by the normalizer in the source's zone,
// past labels, brackets and view counts, years filled in against the
// fetch time.
func TestScrape_Dates(t *testing.T) {
	shanghai, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 10, 20, 2, 0, 0, 0, time.UTC)
	feed, _, err := scrapeFeed(fixture(t, "list_dates.html"), "", "http://www.example.edu.cn/", model.Scrape{Items: "ul.list li", Date: "span.time"})
	if err != nil {
		t.Fatal(err)
	}
	const day, morning = "2026-10-16T16:00:00Z", "2026-10-17T01:30:00Z"
	want := []struct{ raw, parsed string }{
		{"2026-10-17", day}, {"2026/10/17", day}, {"2026年10月17日", day}, {"10月17日", day},
		{"[10-17]", day}, {"10-17", day}, {"2026-10-17 09:30", morning}, {"发布时间：2026-10-17", day},
		{"日期: 2026/10/17", day}, {"[2026-10-17]", day}, {"(2026-10-17)", day},
		{"作者：办公室 发布时间：2026-10-17 09:30 浏览次数：1024", morning},
		{"10月17日 09:30", morning}, {"", ""},
	}
	if len(feed.Items) != len(want) {
		t.Fatalf("got %d items, want %d", len(feed.Items), len(want))
	}
	for i, it := range feed.Items {
		if it.Published != want[i].raw {
			t.Errorf("%s: Published = %q, want %q", it.Title, it.Published, want[i].raw)
		}
		got, ok := normalize.ParseDateAt(it.Published, shanghai, now)
		if s := got.Format(time.RFC3339); ok != (want[i].parsed != "") || (ok && s != want[i].parsed) {
			t.Errorf("%s: %q parsed to %s (%v), want %s", it.Title, it.Published, s, ok, want[i].parsed)
		}
	}
}

func TestScrape_Errors(t *testing.T) {
	page := fixture(t, "list_ul.html")
	tests := []struct {
		name   string
		rules  model.Scrape
		reason string
		is     error
		// body replaces page when set.
		body []byte
	}{
		{"items match nothing", model.Scrape{Items: "ul.nothing > li"}, "scrape.items matched 0 elements", ErrNoItems, nil},
		{"items missing on a page without a list", model.Scrape{}, NoListReason, ErrNoList, fixture(t, "lists/no_list.html")},
		{"bad title selector", model.Scrape{Items: "li", Title: "a["}, "scrape.title: expected identifier, found EOF instead", nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := page
			if tt.body != nil {
				body = tt.body
			}
			_, _, err := scrapeFeed(body, "", "http://example.cn/", tt.rules)
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

// TestScrape_Normalized: a scraped page goes through the normalizer like
// a feed, titles, links, dates in the source's zone and images intact.
func TestScrape_Normalized(t *testing.T) {
	shanghai, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	feed, _, err := scrapeFeed(fixture(t, "list_ul.html"), "", "http://www.example.edu.cn/xwzx/xxyw.htm",
		model.Scrape{Items: "ul.news-list > li", Date: "span.date", Summary: "p.intro", Image: "img"})
	if err != nil {
		t.Fatal(err)
	}
	src := model.Source{ID: "example", URL: "http://www.example.edu.cn/xwzx/xxyw.htm", Title: "示例学院", Location: shanghai}
	entries := normalize.New(normalize.Options{}).Entries(feed, src, src.URL, time.Date(2026, 10, 20, 2, 0, 0, 0, time.UTC))
	if len(entries) != 4 {
		t.Fatalf("got %d entries, want 4", len(entries))
	}
	e := entries[0]
	if e.Title != "我校召开2026年秋季学期教学工作会议暨本科教育教学审核评估推进会" || e.Link != "http://www.example.edu.cn/info/1001/3401.htm" ||
		e.Published.Format(time.RFC3339) != "2026-10-16T16:00:00Z" || e.NoDate ||
		e.Image != "http://www.example.edu.cn/__local/A/B1/thumb3401.jpg" || e.Summary != "10月16日下午，学校在行政楼第一会议室召开秋季学期教学工作会议。" {
		t.Errorf("entry = %+v", e)
	}
}

// FuzzScrape: any page gives items with absolute http(s) links and valid
// UTF-8 text, or an error, and never a panic.
func FuzzScrape(f *testing.F) {
	f.Add(fixture(f, "list_ul.html"), "", "ul.news-list > li")
	f.Add(fixture(f, "list_table.html"), "text/html", "table.list tr")
	f.Add(fixture(f, "list_gbk.html"), "text/html; charset=gbk", "tr")
	f.Add([]byte(`<base href="x"><li><a href=" javascript:1">a…</a><a href="//h/p" title="t">`), "", "li")
	f.Fuzz(func(t *testing.T, body []byte, contentType, items string) {
		rules := model.Scrape{Items: items, Date: "span", Summary: "p", Image: "img", Skip: ".top"}
		feed, skipped, err := scrapeFeed(body, contentType, "http://www.example.edu.cn/list/", rules)
		if err != nil {
			return
		}
		for _, it := range feed.Items {
			if resolveLink(nil, it.Link) != it.Link {
				t.Errorf("link %q is not absolute http(s)", it.Link)
			}
			if !validUTF8(it.Title, it.Published, it.Description) {
				t.Errorf("invalid UTF-8 in %+v", it)
			}
		}
		for _, s := range skipped {
			if s.Reason != SkipMatched && s.Reason != SkipNoLink && s.Reason != SkipScriptLink {
				t.Errorf("skip reason %q", s.Reason)
			}
		}
	})
}
