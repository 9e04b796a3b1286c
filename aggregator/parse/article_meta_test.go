package parse

import (
	"strings"
	"testing"

	"github.com/tributary-rss/tributary/aggregator/model"
)

// metaPage is a small article page: head is what goes in <head>, top what
// goes between the navigation and the body (headings, an info line),
// body the article's paragraphs (in a div no CMS names, unless bodyClass
// says otherwise).
func metaPage(head, top, bodyClass string) []byte {
	if bodyClass == "" {
		bodyClass = "main-text"
	}
	return []byte(`<!DOCTYPE html><html><head><meta charset="utf-8">` + head + `</head><body>
<div class="header"><a href="/index.htm"><img src="/img/logo.png" alt="示例交通大学"></a></div>
<ul class="nav"><li><a href="/index.htm">首页</a></li><li><a href="/tzgg.htm">通知公告</a></li><li><a href="/xwdt.htm">新闻动态</a></li>
<li><a href="/zsxx.htm">招生信息</a></li><li><a href="/xxgk.htm">信息公开</a></li></ul>
<div class="crumb">当前位置：<a href="/index.htm">首页</a> &gt; <a href="/tzgg.htm">通知公告</a></div>
<div class="wrap">` + top + `
<div class="` + bodyClass + `"><p>根据学校工作安排，现将有关事项通知如下。一、请各单位高度重视，认真组织，确保各项工作落到实处。</p>
<p>二、各单位要加强统筹协调，按时报送有关材料，联系人：办公室 王老师，电话：023-12345678。</p>
<p>三、本通知自发布之日起施行，未尽事宜由学校办公室负责解释。特此通知。</p></div>
</div>
<div class="footer">版权所有 © 2026 示例交通大学　地址：示例市大学城路66号</div></body></html>`)
}

func readMeta(t *testing.T, page []byte) model.ArticlePage {
	t.Helper()
	p, err := Article(t.Context(), nil, page, "", "http://www.example.edu.cn/info/1021/5678.htm", model.Content{})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestArticle_Headline: the headline from the forms <title> takes on
// school and government sites, from headings near the body and from the
// metadata; a site's or column's name is never a headline.
func TestArticle_Headline(t *testing.T) {
	const notice = "关于2026年硕士研究生招生考试考点安排的公告"
	tests := []struct {
		name      string
		head, top string
		bodyClass string
		want      string
	}{
		{"title, school and site after hyphens", "<title>" + notice + "-重庆交通大学-研究生招生信息网</title>", "", "", notice},
		{"title and site after an underscore", "<title>学校召开2026年安全稳定工作会议_新闻网</title>", "", "", "学校召开2026年安全稳定工作会议"},
		{"the school before a bar", "<title>示例学院 | 关于公布2026年校级教学成果奖评审结果的通知</title>", "", "", "关于公布2026年校级教学成果奖评审结果的通知"},
		{"an em dash inside the headline", "<title>学校召开安全工作会议——暨冬季消防部署会_新闻网</title>", "", "", "学校召开安全工作会议——暨冬季消防部署会"},
		{"a year range is no separator", "<title>关于2025-2026学年第二学期开学工作的通知 - 教务处</title>", "", "", "关于2025-2026学年第二学期开学工作的通知"},
		{"a long site name before the headline", "<title>中国人民解放军示例工程大学研究生招生信息网 - 2026年硕士研究生复试通知</title>", "", "", "2026年硕士研究生复试通知"},
		{"the column's name alone is none", "<title>通知公告</title>", "", "", ""},
		{"a heading in the page's right column", "<title>通知公告</title>",
			`<div class="right"><h2>关于开展2026年冬季校园安全大检查的通知</h2></div>`, "", "关于开展2026年冬季校园安全大检查的通知"},
		{"the column and the site are none", "<title>通知公告 - 示例交通大学</title>", "", "", ""},
		{"a banner h1 with the school's name is none", "<title>通知公告</title>", "<h1>示例交通大学</h1>", "", ""},
		{"a heading near the body when title names only the column", "<title>通知公告_示例交通大学</title>",
			"<h2>关于开展2026年冬季校园安全大检查的通知</h2><div class=\"info\">发布日期：2026-12-03</div>", "", "关于开展2026年冬季校园安全大检查的通知"},
		{"the heading, not the title's unsplit site name", "<title>" + notice + " 示例交通大学</title>", "<h1>" + notice + "</h1>", "", notice},
		{"the title where the heading is cut", "<title>" + notice + "_研究生招生信息网</title>", "<h1>关于2026年硕士研究生招生考试考点安</h1>", "", notice},
		{"a heading that disagrees with the title is not the headline", "<title>" + notice + "-研究生招生信息网</title>",
			"<h1>研究生招生</h1><h2>招生动态</h2>", "", notice},
		{"og:title", `<meta property="og:title" content="` + notice + `"><meta property="og:site_name" content="示例交通大学"><title>示例交通大学</title>`, "", "", notice},
		{"ArticleTitle of government metadata", `<meta name="ArticleTitle" content="` + notice + `"><title>首页</title>`, "", "", notice},
		{"the info line inside an h1 (PHPCMS)", "<title>" + notice + " - 示例交通大学</title>",
			"<div id=\"Article\"><h1>" + notice + "<br><span>2026-12-03 14:05:21 来源：研招办</span></h1></div>", "", notice},
		{"a known CMS's title element", "<title>研究生招生信息网</title>",
			`<form name="_newscontent_fromname"><div class="content-title"><h3>` + notice + `</h3></div>`, "v_news_content", notice},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := readMeta(t, metaPage(tt.head, tt.top, tt.bodyClass)).Title; got != tt.want {
				t.Errorf("headline = %q, want %q", got, tt.want)
			}
		})
	}
}

// TestArticle_InfoLine: the publication time and the author from the
// info lines templates print, their labels in any element, with or
// without a colon's width, among counts and buttons.
func TestArticle_InfoLine(t *testing.T) {
	const title = "<title>关于开展冬季校园安全大检查的通知-示例交通大学</title>"
	tests := []struct {
		name, head, top      string
		wantDate, wantAuthor string
	}{
		{"time, source, counts and buttons", title, `<div class="info">发布时间：2026-12-03 16:35&nbsp;&nbsp;来源：保卫处&nbsp;&nbsp;点击数：128&nbsp;【字号：大 中 小】【打印】【关闭】</div>`,
			"2026-12-03 16:35", "保卫处"},
		{"labels in their own elements (DedeCMS)", title, `<div class="info"><small>时间:</small>2026-12-03 15:42<small>来源:</small>未知 <small>作者:</small>政教处 <small>点击:</small>次</div>`,
			"2026-12-03 15:42", "政教处"},
		{"作者 before 来源 before 编辑", title, `<p class="meta"><span>编辑：王明</span><span>来源：宣传部</span><span>作者：李华</span><span>发布日期：2026年12月3日 9时5分</span></p>`,
			"2026年12月3日 9时5分", "李华"},
		{"供稿 and 责任编辑", title, `<div>日期：2026/12/03　责任编辑：赵六　供稿：学生处</div>`, "2026/12/03", "学生处"},
		{"发布者 with a trailing count", title, `<p class="arti_metas"><span class="arti_publisher">发布者：教务处</span><span class="arti_update">发布时间：2026-12-03</span><span>浏览次数：88</span></p>`,
			"2026-12-03", "教务处"},
		{"an update time only as a fallback", title, `<div class="info">更新时间：2026-12-05 08:00 发布时间：2026-12-03</div>`, "2026-12-03", ""},
		{"an update time when nothing else", title, `<div class="info">更新时间：2026-12-05 08:00 浏览次数：12</div>`, "2026-12-05 08:00", ""},
		{"a bare date beside a count", title, `<h1>关于开展冬季校园安全大检查的通知</h1><div class="info">2026年12月03日 16:35 点击：[88]</div>`, "2026年12月03日 16:35", ""},
		{"a date in the headline is not the time", `<title>关于2026年12月5日停电的通知-示例交通大学</title>`,
			`<div class="art"><h1>关于2026年12月5日停电的通知</h1><p>2026-12-03 10:00 来源：后勤处</p></div>`, "2026-12-03 10:00", "后勤处"},
		{"PubDate metadata gives the time a bare day lacks", title + `<meta name="PubDate" content="2026-12-03 16:20">`,
			`<div class="info">发布日期：2026-12-03 来源：高教处</div>`, "2026-12-03 16:20", "高教处"},
		{"article:published_time", title + `<meta property="article:published_time" content="2026-12-03T08:35:00+00:00">`, "", "2026-12-03T08:35:00+00:00", ""},
		{"ContentSource metadata", title + `<meta name="ContentSource" content="县教育局">`, `<div>发布时间：2026-12-03 10:20</div>`, "2026-12-03 10:20", "县教育局"},
		{"placeholders are no author", title, `<div>作者：admin 来源：本站原创 发布时间：2026-12-03</div>`, "2026-12-03", ""},
		{"a meeting time in the text is no info line", title, `<p>会议时间：2026年12月5日 14:30</p>`, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := readMeta(t, metaPage(tt.head, tt.top, ""))
			if got.Date != tt.wantDate || got.Author != tt.wantAuthor {
				t.Errorf("date %q, author %q; want %q, %q", got.Date, got.Author, tt.wantDate, tt.wantAuthor)
			}
		})
	}
}

// TestArticle_Body: known CMS bodies take their innermost match, and
// pagers, print and close buttons and share bars never reach the body,
// whatever their class.
func TestArticle_Body(t *testing.T) {
	const text = "<p>根据学校工作安排，现将2026年寒假放假安排通知如下，请各单位遵照执行，做好假期值班和安全工作。</p>"
	tests := []struct {
		name string
		page string
		keep []string
		drop []string
	}{
		{"VSB nests its body, the pager in the outer one", `<div id="vsb_content"><div class="v_news_content"><div class="v_news_content">` + text +
			`</div><div>上一条：<a href="1.htm">关于元旦放假的通知</a><br>下一条：<a href="3.htm">关于期末考试的通知</a></div><p>【<a href="javascript:window.close()">关闭</a>】</p></div></div>`,
			[]string{"寒假放假安排"}, []string{"上一条", "下一条", "关闭"}},
		{"side by side blocks of one body stay whole", `<div class="wp_articlecontent"><div class="wp_articlecontent">` + text +
			`</div><div class="wp_articlecontent"><p>附件：值班安排表。各单位值班人员请于假期前报送值班名单，确保通讯畅通。值班期间如遇突发事件，请及时报告。</p></div></div>`,
			[]string{"寒假放假安排", "值班安排表"}, nil},
		{"tool lines of no class", `<div class="TRS_Editor">` + text + `<p>【字体：<a>大</a> <a>中</a> <a>小</a>】</p><div>[打印本页]　[关闭窗口]</div><span>分享到：<a>微信</a> <a>QQ空间</a></span></div>`,
			[]string{"寒假放假安排"}, []string{"字体", "打印", "关闭", "分享", "微信"}},
		{"a pager after the body of a readability page", `<div class="article">` + text + text + text + `</div><div class="near"><p>上一篇：<a href="1.htm">关于元旦放假的通知</a></p><p>下一篇：没有了</p></div>`,
			[]string{"寒假放假安排"}, []string{"上一篇", "下一篇", "没有了"}},
		{"a word of the text is no tool", `<div id="zoom">` + text + `<p>请考生下载打印准考证，考试结束后关闭手机。</p><p>离开教室时请<strong>关闭</strong>电源。</p></div>`,
			[]string{"下载打印准考证", "关闭手机", "<strong>关闭</strong>"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			page := `<html><head><meta charset="utf-8"><title>关于2026年寒假放假安排的通知</title></head><body><div class="nav"><a href="/">首页</a></div>` + tt.page + `</body></html>`
			got := readMeta(t, []byte(page)).HTML
			for _, s := range tt.keep {
				if !strings.Contains(got, s) {
					t.Errorf("body lacks %q:\n%s", s, got)
				}
			}
			for _, s := range tt.drop {
				if strings.Contains(got, s) {
					t.Errorf("body keeps %q:\n%s", s, got)
				}
			}
		})
	}
}
