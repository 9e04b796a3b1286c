package parse

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/aggregator/normalize"
)

// listOf is a list page whose <ul class="list"> holds items.
func listOf(items ...string) string {
	return `<html><head><meta charset="utf-8"><title>列表</title></head><body><ul class="nav"><li><a href="/">首页</a></li></ul>` +
		`<ul class="list">` + strings.Join(items, "\n") + `</ul></body></html>`
}

// TestScrape_FieldDetection: a scrape: block giving only items reads each
// item's main link, full title, date and image where the template puts
// them.
func TestScrape_FieldDetection(t *testing.T) {
	const page = "http://www.example.edu.cn/xwzx/xxyw.htm"
	tests := []struct {
		name        string
		body        string
		want        []scraped
		wantSkipped []Skip
	}{
		{
			name: "a category link comes first",
			body: listOf(
				`<li><a href="/xxxw/">[学校]</a><a href="/info/1001/11.htm" title="学校召开2025年工作会议">学校召开2025年工作会议</a><span>2025-03-10</span></li>`,
				`<li><a href="/xyxw/">[学院]</a><a href="/info/1001/12.htm">学院举办青年教师教学竞赛</a><span>2025-03-09</span></li>`,
				`<li><a href="/xxxw/">[学校]</a><a href="/info/1001/13.htm">关于做好清明节假期安全工作的通知</a><span>2025-03-08</span></li>`,
				`<li><a href="/xxxw/">[学校]</a><a href="/info/1001/14.htm">图书馆开放时间调整</a><span>2025-03-07</span></li>`),
			want: []scraped{
				{"学校召开2025年工作会议", "http://www.example.edu.cn/info/1001/11.htm", "2025-03-10", "", ""},
				{"学院举办青年教师教学竞赛", "http://www.example.edu.cn/info/1001/12.htm", "2025-03-09", "", ""},
				{"关于做好清明节假期安全工作的通知", "http://www.example.edu.cn/info/1001/13.htm", "2025-03-08", "", ""},
				{"图书馆开放时间调整", "http://www.example.edu.cn/info/1001/14.htm", "2025-03-07", "", ""},
			},
		},
		{
			name: "a shared column link without brackets, a more link",
			body: listOf(
				`<li><a href="/tzgg.htm" title="通知公告">通知公告</a> <a href="/info/1002/21.htm">关于2025年清明节放假安排的通知</a> <a href="/info/1002/21.htm">更多&gt;&gt;</a> 2025/03/10</li>`,
				`<li><a href="/tzgg.htm" title="通知公告">通知公告</a> <a href="/info/1002/22.htm">关于开展春季学期教学检查的通知</a> 2025/03/09</li>`,
				`<li><a href="/tzgg.htm" title="通知公告">通知公告</a> <a href="/info/1002/23.htm">2025年研究生复试工作安排</a> 2025/03/08</li>`),
			want: []scraped{
				{"关于2025年清明节放假安排的通知", "http://www.example.edu.cn/info/1002/21.htm", "2025/03/10", "", ""},
				{"关于开展春季学期教学检查的通知", "http://www.example.edu.cn/info/1002/22.htm", "2025/03/09", "", ""},
				{"2025年研究生复试工作安排", "http://www.example.edu.cn/info/1002/23.htm", "2025/03/08", "", ""},
			},
		},
		{
			name: "a date inside the link",
			body: listOf(
				`<li><a href="/info/1/1.htm" title="关于公布2021年校级教学成果奖的通知">关于公布2021年校级教学成果奖的通知 [ 2021-05-19 ]</a></li>`,
				`<li><a href="/info/1/2.htm">学校召开党史学习教育动员大会(2021-05-18)</a></li>`,
				`<li><a href="/info/1/3.htm">[05-17]图书馆闭馆通知</a></li>`,
				`<li><a href="/info/1/4.htm"><span class="time">2021-05-16</span>学校第六十届田径运动会开幕</a></li>`,
				`<li><a href="/info/1/5.htm">学院召开教学工作会议<em>05-15</em></a></li>`,
				`<li><a href="/info/1/6.htm">第<b>10</b>届校园文化艺术节闭幕</a><span>2021-05-14</span></li>`),
			want: []scraped{
				{"关于公布2021年校级教学成果奖的通知", "http://www.example.edu.cn/info/1/1.htm", "2021-05-19", "", ""},
				{"学校召开党史学习教育动员大会", "http://www.example.edu.cn/info/1/2.htm", "2021-05-18", "", ""},
				{"图书馆闭馆通知", "http://www.example.edu.cn/info/1/3.htm", "05-17", "", ""},
				{"学校第六十届田径运动会开幕", "http://www.example.edu.cn/info/1/4.htm", "2021-05-16", "", ""},
				{"学院召开教学工作会议", "http://www.example.edu.cn/info/1/5.htm", "05-15", "", ""},
				{"第10届校园文化艺术节闭幕", "http://www.example.edu.cn/info/1/6.htm", "2021-05-14", "", ""},
			},
		},
		{
			name: "dates in two parts",
			body: listOf(
				`<li><a href="/a/1.htm">学校召开2025年春季学期工作会议</a><p>03/10</p><span>2025</span></li>`,
				`<li><span>10</span><p>2025-03</p><a href="/a/2.htm">学院举办第十届科技文化节</a></li>`,
				`<li><div class="date"><b>09</b>2025.03</div><a href="/a/3.htm">关于做好春季传染病防控工作的通知</a></li>`,
				`<li><a href="/a/4.htm">图书馆开展读书月活动</a><div class="time">03-08<br>2024</div></li>`),
			want: []scraped{
				{"学校召开2025年春季学期工作会议", "http://www.example.edu.cn/a/1.htm", "2025-03-10", "", ""},
				{"学院举办第十届科技文化节", "http://www.example.edu.cn/a/2.htm", "2025-03-10", "", ""},
				{"关于做好春季传染病防控工作的通知", "http://www.example.edu.cn/a/3.htm", "2025-03-09", "", ""},
				{"图书馆开展读书月活动", "http://www.example.edu.cn/a/4.htm", "2024-03-08", "", ""},
			},
		},
		{
			name: "the link wraps blocks",
			body: listOf(
				`<li><a href="/a/1.htm" target="_blank"><div class="date"><span>10</span><p>2025-03</p></div><div class="txt"><h3>学校召开2025年工作会议</h3><p>3月9日上午，学校在行政楼召开2025年工作会议，部署全年重点任务。</p></div></a></li>`,
				`<li><a href="/a/2.htm" title="学院举办第十届校园科技文化节开幕式暨优秀作品展"><span class="tit">学院举办第十届校园科技文化节开幕…</span><span class="time">2025-03-09</span></a></li>`),
			want: []scraped{
				{"学校召开2025年工作会议", "http://www.example.edu.cn/a/1.htm", "2025-03-10", "", ""},
				{"学院举办第十届校园科技文化节开幕式暨优秀作品展", "http://www.example.edu.cn/a/2.htm", "2025-03-09", "", ""},
			},
		},
		{
			name: "javascript and fragment links are skipped",
			body: listOf(
				`<li><a href="javascript:void(0)" onclick="openWin(12)">关于调整作息时间的通知</a><span>2025-03-10</span></li>`,
				`<li><a href="#">（图片新闻）</a></li>`,
				`<li><a href="/a/3.htm">学校召开安全工作会议</a><span>2025-03-08</span></li>`,
				`<li><a href="mailto:office@example.edu.cn">联系我们</a></li>`,
				`<li><a href="xxyw.htm">本页</a><a href="/a/5.htm">学院召开教代会</a></li>`),
			want: []scraped{
				{"学校召开安全工作会议", "http://www.example.edu.cn/a/3.htm", "2025-03-08", "", ""},
				{"学院召开教代会", "http://www.example.edu.cn/a/5.htm", "", "", ""},
			},
			wantSkipped: []Skip{
				{Position: 1, Title: "关于调整作息时间的通知", Reason: SkipScriptLink},
				{Position: 2, Title: "（图片新闻）", Reason: SkipScriptLink},
				{Position: 4, Title: "联系我们", Reason: SkipNoLink},
			},
		},
		{
			name: "dates without a year and in words",
			body: listOf(
				`<li><a href="/a/1.htm">学校召开工作会议</a><span class="rq">[12-05]</span></li>`,
				`<li><a href="/a/2.htm">学院举办科技文化节</a><em>2025年3月10日</em></li>`,
				`<li><a href="/a/3.htm">关于放假的通知</a><p>3月9日上午，学校召开会议。</p><span>发布时间：2025-03-09 16:35</span></li>`,
				`<li><a href="/a/4.htm">图书馆读书月</a><span>浏览 1203 次</span></li>`),
			want: []scraped{
				{"学校召开工作会议", "http://www.example.edu.cn/a/1.htm", "12-05", "", ""},
				{"学院举办科技文化节", "http://www.example.edu.cn/a/2.htm", "2025年3月10日", "", ""},
				{"关于放假的通知", "http://www.example.edu.cn/a/3.htm", "2025-03-09 16:35", "", ""},
				{"图书馆读书月", "http://www.example.edu.cn/a/4.htm", "", "", ""},
			},
		},
		{
			name: "images, not icons",
			body: listOf(
				`<li><img src="/images/new.gif"><a href="/a/1.htm">学校召开工作会议</a><img src="/images/loading.gif" data-original="/upload/2025/1.jpg"></li>`,
				`<li><img src="/images/dot.png"><a href="/a/2.htm">学院举办科技文化节</a></li>`),
			want: []scraped{
				{"学校召开工作会议", "http://www.example.edu.cn/a/1.htm", "", "", "http://www.example.edu.cn/upload/2025/1.jpg"},
				{"学院举办科技文化节", "http://www.example.edu.cn/a/2.htm", "", "", ""},
			},
		},
		{
			name: "a headline beside a read-on link",
			body: listOf(
				`<li><h3>学校召开2025年工作会议</h3><a href="/a/1.htm">详细&gt;&gt;</a></li>`,
				`<li><a href="/a/2.htm"><img src="/upload/2.jpg" alt="学院举办科技文化节"></a></li>`),
			want: []scraped{
				{"学校召开2025年工作会议", "http://www.example.edu.cn/a/1.htm", "", "", ""},
				{"学院举办科技文化节", "http://www.example.edu.cn/a/2.htm", "", "", "http://www.example.edu.cn/upload/2.jpg"},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			feed, skipped, err := scrapeFeed([]byte(tt.body), "", page, model.Scrape{Items: "ul.list > li"})
			if err != nil {
				t.Fatal(err)
			}
			assertScraped(t, summarize(feed.Items), tt.want)
			if !reflect.DeepEqual(skipped, tt.wantSkipped) {
				t.Errorf("skipped = %+v, want %+v", skipped, tt.wantSkipped)
			}
		})
	}
}

// TestScrape_SplitDateSelector: a date selector on the container of a date
// printed in two parts reads both, apart, and the normalizer reads the
// year printed.
func TestScrape_SplitDateSelector(t *testing.T) {
	body := listOf(
		`<li><a href="/a/1.htm">一</a><div class="date"><span>10</span><p>2025-03</p></div></li>`,
		`<li><a href="/a/2.htm">二</a><div class="date"><p>03/09</p><span>2025</span></div></li>`,
		`<li><a href="/a/3.htm">三</a><div class="date"><b>08</b>2024.03</div></li>`,
		`<li><a href="/a/4.htm">四</a><div class="date">03-07<br>2024</div></li>`,
		`<li><a href="/a/5.htm">五</a><div class="date"><font>2024</font>-03-06</div></li>`)
	feed, _, err := scrapeFeed([]byte(body), "", "http://www.example.edu.cn/", model.Scrape{Items: "ul.list > li", Date: "div.date"})
	if err != nil {
		t.Fatal(err)
	}
	shanghai, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 12, 1, 2, 0, 0, 0, time.UTC)
	want := []struct{ raw, day string }{
		{"10 2025-03", "2025-03-10"}, {"03/09 2025", "2025-03-09"}, {"08 2024.03", "2024-03-08"},
		{"03-07 2024", "2024-03-07"}, {"2024-03-06", "2024-03-06"},
	}
	if len(feed.Items) != len(want) {
		t.Fatalf("got %d items, want %d", len(feed.Items), len(want))
	}
	for i, it := range feed.Items {
		got, ok := normalize.ParseDateAt(it.Published, shanghai, now)
		if it.Published != want[i].raw || !ok || got.In(shanghai).Format(time.DateOnly) != want[i].day {
			t.Errorf("item %d: date %q read as %s (%v), want %q read as %s", i, it.Published, got.In(shanghai).Format(time.DateOnly), ok, want[i].raw, want[i].day)
		}
	}
}

// TestScrape_Fields: ListPage counts what each field was found in, so a
// selector matching nothing can be told apart from a page without dates.
func TestScrape_Fields(t *testing.T) {
	body := listOf(
		`<li><a href="/a/1.htm">学校召开工作会议</a><span class="date">2025-03-10</span><img src="/u/1.jpg"></li>`,
		`<li><a href="/a/2.htm">学院举办科技文化节</a><span class="date">2025-03-09</span></li>`,
		`<li><a href="javascript:;">关于放假的通知</a></li>`)
	tests := []struct {
		name  string
		rules model.Scrape
		want  FieldCounts
	}{
		{"detected", model.Scrape{Items: "ul.list > li"}, FieldCounts{Title: 3, Link: 2, Date: 2, Image: 1}},
		{"a date selector matching nothing", model.Scrape{Items: "ul.list > li", Date: "span.time"}, FieldCounts{Title: 3, Link: 2, Date: 0, Image: 1}},
		{"selectors given", model.Scrape{Items: "ul.list > li", Title: "a", Link: "a", Date: "span.date", Image: "img"}, FieldCounts{Title: 3, Link: 2, Date: 2, Image: 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			page, err := Scrape(context.Background(), nil, []byte(body), "", "http://www.example.edu.cn/", tt.rules)
			if err != nil {
				t.Fatal(err)
			}
			if page.Total != 3 || page.Fields != tt.want {
				t.Errorf("Total %d, Fields %+v; want 3, %+v", page.Total, page.Fields, tt.want)
			}
		})
	}
}

func TestStripTitleDate(t *testing.T) {
	tests := []struct{ in, want string }{
		{"标题 [ 2021-05-19 ]", "标题"},
		{"标题(2025-03-10)", "标题"},
		{"标题（2025年3月10日）", "标题"},
		{"标题 2025-03-10", "标题"},
		{"标题2025-03-10", "标题"},
		{"[12-05]标题", "标题"},
		{"2025-03-10 标题", "标题"},
		{"标题 12-05", "标题"},
		{"关于2025-2026学年校历的通知", "关于2025-2026学年校历的通知"},
		{"第3-5周课表", "第3-5周课表"},
		{"2025-03-10", "2025-03-10"},
		{"[置顶]关于调整作息时间的通知", "[置顶]关于调整作息时间的通知"},
	}
	for _, tt := range tests {
		if got := stripTitleDate(tt.in); got != tt.want {
			t.Errorf("stripTitleDate(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func ExampleScrape_partial() {
	body := []byte(`<ul class="list"><li><a href="/xxxw/">[学校]</a><a href="/info/1001/11.htm" title="学校召开2025年春季学期工作会议">学校召开2025年春季…</a><p>03/10</p><span>2025</span></li></ul>`)
	page, err := Scrape(context.Background(), nil, body, "", "http://www.example.edu.cn/", model.Scrape{Items: "ul.list li"})
	if err != nil {
		fmt.Println(err)
		return
	}
	it := page.Feed.Items[0]
	fmt.Println(it.Title, it.Link, it.Published)
	// Output: 学校召开2025年春季学期工作会议 http://www.example.edu.cn/info/1001/11.htm 2025-03-10
}

// TestScrape_TitleSelectorDateInLink: a title selector on a link whose
// text ends with the date no longer keeps the date because the text is
// longer than the title attribute.
func TestScrape_TitleSelectorDateInLink(t *testing.T) {
	body := listOf(
		`<li><a href="/info/1/1.htm" title="关于公布2021年校级教学成果奖的通知">关于公布2021年校级教学成果奖的通知 [ 2021-05-19 ]</a></li>`,
		`<li><a href="/info/1/2.htm">学校召开党史学习教育动员大会(2021-05-18)</a></li>`)
	feed, _, err := scrapeFeed([]byte(body), "", "http://www.example.edu.cn/", model.Scrape{Items: "ul.list > li", Title: "a", Date: "a"})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"关于公布2021年校级教学成果奖的通知", "学校召开党史学习教育动员大会"}
	for i, it := range feed.Items {
		if it.Title != want[i] {
			t.Errorf("title %d = %q, want %q", i, it.Title, want[i])
		}
	}
}
