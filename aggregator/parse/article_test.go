package parse

import (
	"errors"
	"strings"
	"testing"

	"github.com/tributary-rss/tributary/aggregator/model"
)

func TestArticle(t *testing.T) {
	tests := []struct {
		name, file, contentType, pageURL string
		rules                            model.Content
		wantTitle                        string
		keep                             []string // in the article
		drop                             []string // navigation, sidebar, share bar, footer…
	}{
		{
			name: "readability on a div layout", file: "article_generic.html", pageURL: "http://jyj.example.gov.cn/news/2026/1017/120.html",
			wantTitle: "示例县第一中学举行2026年秋季运动会",
			keep: []string{"秋季运动会在学校田径场隆重开幕", "三人打破校运会纪录", "让每一名学生都能享受体育运动的乐趣",
				`src="http://jyj.example.gov.cn/uploads/2026/10/sports-meeting.jpg"`},
			drop: []string{"教育新闻", "热门文章", "全县教师节表彰大会召开", "分享到", "相关文章", "版权所有", "当前位置"},
		},
		{
			name: "selector with remove", file: "article_webplus.html", pageURL: "http://www.example.edu.cn/2026/1017/c1234a201/page.htm",
			rules:     model.Content{Selector: "div.article", Remove: []string{"div.share", ".print", ".arti_metas", "h1"}},
			wantTitle: "我校召开2026年秋季学期教学工作会议暨本科教育教学审核评估推进会",
			keep: []string{"召开2026年秋季学期教学工作会议", "逐项梳理短板弱项", `src="http://www.example.edu.cn/_upload/article/images/ab/cd/meeting.jpg"`,
				`href="http://www.example.edu.cn/2026/1010/c1234a100/page.htm"`},
			drop: []string{"分享到", "打印本页", "发布者", "学校概况", "学术动态", "京ICP备", "<h1"},
		},
		{
			name: "known CMS body without a selector", file: "article_webplus.html", pageURL: "http://www.example.edu.cn/2026/1017/c1234a201/page.htm",
			wantTitle: "我校召开2026年秋季学期教学工作会议暨本科教育教学审核评估推进会",
			keep:      []string{"召开2026年秋季学期教学工作会议", "推动人才培养质量稳步提升"},
			drop:      []string{"分享到", "打印本页", "发布者", "学校概况", "学术动态", "京ICP备", "当前位置"},
		},
		{
			name: "table layout with base", file: "article_jcms.html", pageURL: "http://jyj.example.gov.cn/art/2026/10/17/art_1229_58812.html?from=list",
			wantTitle: "示例市教育局关于公布2026年度市级优秀教学成果奖评选结果的通知",
			keep:      []string{"各区教育局，各直属学校", "现将评选结果予以公布", `href="http://jyj.example.gov.cn/art/2026/10/17/art_1229_58812_1.xls"`},
			drop:      []string{"热点专题", "双减工作专栏", "分享到", "网站地图", "字号", "政策法规"},
		},
		{
			name: "gbk article", file: "article_gbk.html", contentType: "text/html", pageURL: "http://www.example.edu.cn/info/1001/5678.htm",
			wantTitle: "我院在全省职业院校技能大赛中荣获一等奖三项",
			keep:      []string{"全省职业院校技能大赛在示例市举行", "创历史最好成绩", `src="http://www.example.edu.cn/__local/E/F3/photo5678.jpg"`},
			drop:      []string{"学院概况", "分享到", "备案号"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			html, title, err := article(fixture(t, tt.file), tt.contentType, tt.pageURL, tt.rules)
			if err != nil {
				t.Fatal(err)
			}
			if title != tt.wantTitle {
				t.Errorf("title = %q, want %q", title, tt.wantTitle)
			}
			for _, s := range tt.keep {
				if !strings.Contains(html, s) {
					t.Errorf("article lacks %q:\n%s", s, html)
				}
			}
			for _, s := range tt.drop {
				if strings.Contains(html, s) {
					t.Errorf("article keeps %q:\n%s", s, html)
				}
			}
		})
	}
}

func TestArticle_Errors(t *testing.T) {
	page := fixture(t, "article_webplus.html")
	tests := []struct {
		name  string
		rules model.Content
		want  string
		is    error
	}{
		{"selector matches nothing", model.Content{Selector: "#nothing"}, `content.selector "#nothing" matched 0 elements: no article found`, ErrNoArticle},
		{"bad selector", model.Content{Selector: "div["}, "content.selector: expected identifier, found EOF instead", nil},
		{"bad remove", model.Content{Remove: []string{".ok", "."}}, "content.remove[1]: expected identifier, found EOF instead", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := article(page, "", "http://www.example.edu.cn/", tt.rules)
			if err == nil || err.Error() != tt.want {
				t.Fatalf("err = %v, want %q", err, tt.want)
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("err does not wrap %v", tt.is)
			}
		})
	}
}

// FuzzArticle: any page gives an article or an error, never a panic, and
// the title is valid UTF-8.
func FuzzArticle(f *testing.F) {
	f.Add(fixture(f, "article_generic.html"), "", "")
	f.Add(fixture(f, "article_jcms.html"), "text/html", "#zoom")
	f.Add(fixture(f, "article_gbk.html"), "text/html; charset=gb2312", "")
	f.Add([]byte(`<base href="//h"><div class="x"><p>t<img src="../a.jpg"></div>`), "", "div.x")
	f.Fuzz(func(t *testing.T, body []byte, contentType, selector string) {
		_, title, err := article(body, contentType, "http://www.example.edu.cn/a/b.htm", model.Content{Selector: selector, Remove: []string{".share"}})
		if err == nil && !validUTF8(title) {
			t.Errorf("title %q is not UTF-8", title)
		}
	})
}
