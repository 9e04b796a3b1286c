package publish

import (
	"go/ast"
	"go/parser"
	"go/token"
	"maps"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/publish/i18n"
)

// schoolLists is what detection finds on a school homepage without a
// feed (the shape of a VSB/博达 homepage: 学校要闻 in div.news, 通知公告
// in div.notice, each item a link and a date), best first.
func schoolLists() []model.ListCandidate {
	return []model.ListCandidate{
		{Scrape: model.Scrape{Items: "div.news li", Date: "span.time"}, Items: 20, Samples: []model.ListSample{
			{Title: "学校召开2025年党风廉政建设工作会议", Link: "https://www.school.example/info/1001/3400.htm", Date: "2025-03-10"},
			{Title: "我校在全国大学生数学竞赛中获佳绩 " + xssTitle, Link: "https://www.school.example/info/1001/3399.htm", Date: "2025-03-07"},
			{Title: "图书馆开展“世界读书日”系列活动", Link: "https://www.school.example/info/1001/3398.htm"},
		}},
		{Scrape: model.Scrape{Items: "div.notice li", Title: "a@title"}, Items: 8, Samples: []model.ListSample{
			{Title: "关于2025年清明节放假安排的通知", Link: "https://www.school.example/info/1002/5521.htm", Date: "[03-28]"},
		}},
	}
}

// newFlowEnv is a console signed in, posting the add form in lang.
func newFlowEnv(t *testing.T, lang string) (*consoleEnv, func(url.Values) (*http.Response, string)) {
	t.Helper()
	env := newConsoleEnv(t, testBaseURL, nil)
	b := env.client(t)
	csrf := b.mustSignIn()
	return env, func(form url.Values) (*http.Response, string) {
		t.Helper()
		form.Set("csrf", csrf)
		return b.do("POST", "/admin/sources/new?lang="+lang, form)
	}
}

// TestConsole_newLists: a page without feed offers its lists as choices,
// best first and chosen, each with its count and sample rows; the list
// chosen is what the preview reads and what is added, in fields the next
// step carries.
func TestConsole_newLists(t *testing.T) {
	env, post := newFlowEnv(t, "zh")
	env.admin.discovery = &model.Discovery{Feeds: []model.FeedLink{}, Reason: "HTML page advertises no feed", ReasonCode: model.MsgNoFeed, Lists: schoolLists()}
	resp, page := post(url.Values{"op": {"discover"}, "url": {"https://www.school.example/"}, "sections": {"news"}})
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("discover: %d\n%s", resp.StatusCode, page)
	}
	checkNoMarkup(t, page)
	for _, want := range []string{
		"找到了 2 个新闻列表", "列表 1 · 20 条", "推荐", "列表 2 · 8 条",
		"学校召开2025年党风廉政建设工作会议", "2025-03-10", "[03-28]", "无日期",
		`<code>div.news li</code>`, "修改这个列表的选择器",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the choices lack %q", want)
		}
	}
	form := formFields(t, page, "/admin/sources/new")
	first, second := encodeScrape(schoolLists()[0].Scrape), encodeScrape(schoolLists()[1].Scrape)
	if got := form.Get("pick"); got != first {
		t.Errorf("the checked list is %q, want the best, %q", got, first)
	}
	if form.Get("content_fetch") != "1" {
		t.Error("article fetching is not offered ticked for a list page")
	}
	// The editor picks the second list and previews: the preview reads
	// it, and the page carries its selectors on in the fields.
	form.Set("pick", second)
	form.Set("op", "preview")
	env.admin.preview = &model.Preview{Kind: model.PreviewListPage, Title: "通知公告", Entries: []model.PreviewEntry{{ID: "p1", Title: "关于2025年清明节放假安排的通知"}}}
	_, page = post(form)
	_, previews := env.admin.requests()
	if len(previews) != 1 || previews[0].Scrape == nil || *previews[0].Scrape != schoolLists()[1].Scrape {
		t.Fatalf("previewed %+v, want the second list's selectors", previews)
	}
	form = formFields(t, page, "/admin/sources/new")
	if form.Get("scrape_items") != "div.notice li" || form.Get("scrape_title") != "a@title" || form.Has("pick") {
		t.Errorf("after the preview the form carries items %q title %q pick %q", form.Get("scrape_items"), form.Get("scrape_title"), form.Get("pick"))
	}
	form.Set("op", "add")
	resp, _ = post(form)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/admin/sources/new1" {
		t.Fatalf("add: %d %q, want 303 to the new source's page", resp.StatusCode, resp.Header.Get("Location"))
	}
	adds, _ := env.admin.requests()
	want := model.AddRequest{URL: "https://www.school.example/", Sections: []string{"news"}, Scrape: &schoolLists()[1].Scrape,
		Content: &model.Content{Fetch: true, Remove: []string{}}}
	if len(adds) != 1 || !addEqual(adds[0], want) {
		t.Errorf("added %+v, want %+v", adds, want)
	}
}

// TestConsole_newSeveralLists: a preview of a page whose lists are too
// alike to pick one offers them as choices, with the reason in Chinese.
func TestConsole_newSeveralLists(t *testing.T) {
	env, post := newFlowEnv(t, "zh")
	env.admin.discovery = &model.Discovery{Feeds: []model.FeedLink{}, Lists: schoolLists()}
	env.admin.preview = &model.Preview{Kind: model.PreviewListPage, Error: `2 lists found: div.news li (20 items, "学校召开…"), div.notice li (8 items, "关于…"); pick one with scrape.items`,
		ErrorCode: model.MsgSeveralLists, ErrorArgs: []string{"2"}, Entries: []model.PreviewEntry{}, Skipped: []model.PreviewSkip{}, Warnings: []model.ListWarning{}}
	_, page := post(url.Values{"op": {"preview"}, "url": {"https://www.school.example/"}, "sections": {"news"}})
	for _, want := range []string{"网页上有 2 个相近的新闻列表，没有自动选择", `name="pick"`, "列表 2 · 8 条"} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	if strings.Contains(page, "scrape.items") {
		t.Error("the page shows the English reason")
	}
}

// TestConsole_newAddLists: adding a page whose lists are too alike is
// refused in Chinese, with the lists offered to choose from.
func TestConsole_newAddLists(t *testing.T) {
	env, post := newFlowEnv(t, "zh")
	env.admin.discovery = &model.Discovery{Feeds: []model.FeedLink{}, Lists: schoolLists()}
	env.admin.addErr = &model.RequestError{Kind: model.ErrInvalid, Field: "url", Key: model.KeyURLSeveralLists,
		Msg: "HTML page advertises no feed; 2 lists found: …; pick one with scrape.items"}
	resp, page := post(url.Values{"op": {"add"}, "url": {"https://www.school.example/"}, "sections": {"news"}})
	if resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("%d, want 400", resp.StatusCode)
	}
	for _, want := range []string{"有几个相近的新闻列表，无法自动选择", `name="pick"`, "列表 1 · 20 条"} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
}

// TestConsole_newAddPicked: 添加 right after 查找 adds the list chosen,
// unless the editor wrote selectors of their own, which win.
func TestConsole_newAddPicked(t *testing.T) {
	tests := []struct {
		name  string
		items string
		want  model.Scrape
	}{
		{"the list chosen", "", schoolLists()[1].Scrape},
		{"selectors written", "ul.list li", model.Scrape{Items: "ul.list li"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env, post := newFlowEnv(t, "zh")
			env.admin.discovery = &model.Discovery{Feeds: []model.FeedLink{}, Lists: schoolLists()}
			_, page := post(url.Values{"op": {"discover"}, "url": {"https://www.school.example/"}})
			form := formFields(t, page, "/admin/sources/new")
			form.Set("pick", encodeScrape(schoolLists()[1].Scrape))
			form.Set("scrape_items", tt.items)
			form.Set("sections", "news")
			form.Set("op", "add")
			if resp, body := post(form); resp.StatusCode != http.StatusSeeOther {
				t.Fatalf("add: %d\n%s", resp.StatusCode, body)
			}
			adds, _ := env.admin.requests()
			if len(adds) != 1 || adds[0].Scrape == nil || *adds[0].Scrape != tt.want {
				t.Errorf("added %+v, want selectors %+v", adds, tt.want)
			}
		})
	}
	// A refused add keeps the list chosen, shown in the selector fields.
	env, post := newFlowEnv(t, "zh")
	env.admin.discovery = &model.Discovery{Feeds: []model.FeedLink{}, Lists: schoolLists()}
	env.admin.addErr = &model.RequestError{Kind: model.ErrInvalid, Field: "sections", Key: model.KeySectionsNone, Msg: "name at least one section"}
	_, page := post(url.Values{"op": {"discover"}, "url": {"https://www.school.example/"}})
	form := formFields(t, page, "/admin/sources/new")
	form.Set("op", "add")
	_, page = post(form)
	if got := formFields(t, page, "/admin/sources/new"); got.Get("scrape_items") != "div.news li" || !strings.Contains(page, `<details id="scrape" open>`) {
		t.Errorf("after a refused add the fields hold items %q (open: %v)", got.Get("scrape_items"), strings.Contains(page, `<details id="scrape" open>`))
	}
}

// TestConsole_newRediscover: 查找 on another URL asks afresh: the list
// chosen for the first URL does not travel to the second, a feed.
func TestConsole_newRediscover(t *testing.T) {
	env, post := newFlowEnv(t, "zh")
	env.admin.discovery = &model.Discovery{Feeds: []model.FeedLink{}, Lists: schoolLists()}
	_, page := post(url.Values{"op": {"discover"}, "url": {"https://www.school.example/"}, "sections": {"news"}})
	form := formFields(t, page, "/admin/sources/new")
	env.admin.mu.Lock()
	env.admin.discovery = &model.Discovery{IsFeed: true, Feeds: []model.FeedLink{{URL: "https://www.school.example/rss.xml", Type: "rss"}}, Lists: []model.ListCandidate{}}
	env.admin.mu.Unlock()
	form.Set("url", "https://www.school.example/rss.xml")
	form.Set("op", "discover")
	_, page = post(form)
	form = formFields(t, page, "/admin/sources/new")
	if form.Has("pick") || form.Get("scrape_items") != "" {
		t.Fatalf("the first URL's list travels on: pick %q, items %q", form.Get("pick"), form.Get("scrape_items"))
	}
	form.Set("op", "add")
	post(form)
	if adds, _ := env.admin.requests(); len(adds) != 1 || adds[0].Scrape != nil {
		t.Errorf("added %+v, want the feed without selectors", adds)
	}
}

// TestConsole_titleStrip: labels to remove from titles travel from the
// form to the preview, the add and an edit, one a line.
func TestConsole_titleStrip(t *testing.T) {
	env, post := newFlowEnv(t, "zh")
	form := url.Values{"url": {"https://www.school.example/tzgg.htm"}, "sections": {"news"}, "scrape_items": {"ul.list li"},
		"title_strip": {"[置顶]\r\n\r\n/^【[^】]+】/\r\n"}}
	want := []string{"[置顶]", "/^【[^】]+】/"}
	form.Set("op", "preview")
	post(form)
	form.Set("op", "add")
	post(form)
	adds, previews := env.admin.requests()
	if len(previews) != 1 || !slices.Equal(previews[0].TitleStrip, want) || len(adds) != 1 || !slices.Equal(adds[0].TitleStrip, want) {
		t.Errorf("previewed %+v, added %+v; want title_strip %q", previews, adds, want)
	}
	b := env.client(t)
	b.mustSignIn()
	_, page := b.get("/admin/sources/s1")
	edit := formFields(t, page, "/admin/sources/s1/update")
	edit.Set("title_strip", "【通知】")
	if resp, body := b.do("POST", "/admin/sources/s1/update", edit); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("edit: %d\n%s", resp.StatusCode, body)
	}
	env.admin.mu.Lock()
	upd := env.admin.upd[len(env.admin.upd)-1]
	env.admin.mu.Unlock()
	if upd.TitleStrip == nil || !slices.Equal(*upd.TitleStrip, []string{"【通知】"}) || !slices.Equal(upd.Fields(), []string{"title_strip"}) {
		t.Errorf("the edit sets %v with title_strip %v", upd.Fields(), upd.TitleStrip)
	}
}

// TestConsole_newFeeds: the feeds a page offers are offered to use; using
// one previews it at once and carries its URL on.
func TestConsole_newFeeds(t *testing.T) {
	env, post := newFlowEnv(t, "zh")
	env.admin.discovery = &model.Discovery{Feeds: []model.FeedLink{
		{URL: "https://www.school.example/atom.xml", Type: "atom", Title: "学校新闻 " + xssTitle},
		{URL: "https://www.school.example/rss.xml", Type: "rss"},
	}, Lists: []model.ListCandidate{}}
	_, page := post(url.Values{"op": {"discover"}, "url": {"https://www.school.example/"}})
	checkNoMarkup(t, page)
	if !strings.Contains(page, "这个网页提供了 2 个订阅源") || strings.Count(page, `name="use"`) != 2 {
		t.Fatalf("feeds not offered:\n%s", page)
	}
	form := formFields(t, page, "/admin/sources/new")
	form.Set("use", "https://www.school.example/atom.xml")
	_, page = post(form)
	_, previews := env.admin.requests()
	if len(previews) != 1 || previews[0].URL != "https://www.school.example/atom.xml" || previews[0].Scrape != nil {
		t.Fatalf("use previewed %+v, want the feed", previews)
	}
	if got := formFields(t, page, "/admin/sources/new").Get("url"); got != "https://www.school.example/atom.xml" {
		t.Errorf("URL field %q after use", got)
	}
	if !strings.Contains(page, `id="preview"`) {
		t.Error("use shows no preview")
	}
}

// TestConsole_newNothingFound: when nothing is found the selector fields
// open, with what to fill explained in Chinese; a preview that fails
// with detection's guess fills them with it.
func TestConsole_newNothingFound(t *testing.T) {
	env, post := newFlowEnv(t, "zh")
	env.admin.discovery = &model.Discovery{Feeds: []model.FeedLink{}, Lists: []model.ListCandidate{},
		Reason: "HTML page advertises no feed; add a scrape: block to read it as a list page (see README)", ReasonCode: model.MsgNoFeed}
	_, page := post(url.Values{"op": {"discover"}, "url": {"https://www.school.example/tzgg.htm"}})
	for _, want := range []string{"没有找到订阅源，也没有找到新闻列表", "这个网页没有提供订阅源。", "例如 ul.news li", `<details id="scrape" open>`} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	for _, bad := range []string{"scrape:", "README", "advertises"} {
		if strings.Contains(page, bad) {
			t.Errorf("the page shows %q to an editor", bad)
		}
	}
	guess := model.Scrape{Items: "div.list li", Date: "span"}
	env.admin.preview = &model.Preview{Kind: model.PreviewListPage, Error: "no list found", ErrorCode: "no_list_found", Detected: &guess,
		Entries: []model.PreviewEntry{}, Skipped: []model.PreviewSkip{}, Warnings: []model.ListWarning{}}
	form := formFields(t, page, "/admin/sources/new")
	form.Set("op", "preview")
	_, page = post(form)
	form = formFields(t, page, "/admin/sources/new")
	if form.Get("scrape_items") != "div.list li" || form.Get("scrape_date") != "span" || !strings.Contains(page, `<details id="scrape" open>`) {
		t.Errorf("the guess is not in open fields: items %q date %q", form.Get("scrape_items"), form.Get("scrape_date"))
	}
	// An error code the catalog does not know: a Chinese sentence, the
	// English under it in a smaller font, never the English alone.
	if !strings.Contains(page, `无法读取这个网址（原因见下方英文说明）。</p><p class="detail-en" lang="en">no list found</p>`) {
		t.Errorf("an unknown error is not shown as a Chinese sentence with the English detail:\n%s", page)
	}
}

// TestConsole_newPreview: a preview shows its entries with their dates in
// the console's zone and as printed, the skipped items and the warnings
// worded in the page's language, and the first article as it will be
// kept: its HTML sanitized here again, its headline, time and author.
func TestConsole_newPreview(t *testing.T) {
	published := time.Date(2025, 3, 10, 16, 35, 0, 0, time.FixedZone("CST", 8*3600))
	preview := &model.Preview{Kind: model.PreviewListPage, Title: "通知公告-示例大学", FetchedURL: "https://www.school.example/tzgg.htm",
		Entries: []model.PreviewEntry{
			{ID: "p1", Title: "关于2025年清明节放假安排的通知", Link: "https://www.school.example/info/1002/5521.htm", Published: &published, DateText: "03/10 2025"},
			{ID: "p2", Title: "图书馆闭馆通知 " + xssTitle, Link: "javascript:alert(1)", NoDate: true},
		},
		Skipped: []model.PreviewSkip{
			{Position: 3, Title: "更多>>", Reason: "no link", Code: model.MsgSkipNoLink},
			{Position: 4, Title: "[置顶] 招生简章", Reason: "matches scrape.skip", Code: model.MsgSkipMatched},
			{Position: 5, Title: "某条", Reason: "javascript: link", Code: "javascript_link"},
		},
		Warnings: []model.ListWarning{
			{Code: model.ListWarnTitleNoMatch, Count: 0, Total: 20, Detail: "span.title"},
			{Code: model.ListWarnSameLink, Count: 12, Total: 12, Detail: "https://www.school.example/xx.htm"},
			{Code: model.ListWarnNoDates, Total: 20},
		},
		Article: &model.PreviewArticle{URL: "https://www.school.example/info/1002/5521.htm", Title: "关于2025年清明节放假安排的通知",
			Published: &published, Author: "校长办公室",
			HTML: `<p onclick="alert(1)">根据国务院办公厅通知，<a href="javascript:alert(1)">现将</a>放假安排如下。</p><script>alert(1)</script>`},
	}
	tests := []struct {
		lang string
		want []string
	}{
		{"zh", []string{
			"预览：将得到 2 条", "2025-03-10 16:35", "网页上写的是“03/10 2025”", "无日期（将以首次抓取时间为准）",
			"跳过的 3 项", "第 3 项", "没有可用的链接", "符合“跳过”选择器", `其他原因（见英文说明）</span><small class="detail-en" lang="en">javascript: link</small>`,
			"标题选择器在 20 条中只匹配到 0 条：其余条目以链接文字作标题。（span.title）",
			"12 条中有 12 条指向同一链接，会合并，最后只得到 2 条",
			"所有条目都没有日期：将以首次抓取时间为准。",
			"第一篇正文（添加后将这样保存）", "校长办公室", "<p>根据国务院办公厅通知，", "现将", "放假安排如下。</p>",
		}},
		{"en", []string{
			"Preview: 2 entries", "the page says &#34;03/10 2025&#34;", "no usable link",
			"The title selector matched in 0 of 20 items", "No item has a date",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.lang, func(t *testing.T) {
			env, post := newFlowEnv(t, tt.lang)
			env.admin.preview = preview
			resp, page := post(url.Values{"op": {"preview"}, "url": {"https://www.school.example/tzgg.htm"}, "scrape_items": {"div.list li"}})
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("%d\n%s", resp.StatusCode, page)
			}
			for _, want := range tt.want {
				if !strings.Contains(page, want) {
					t.Errorf("the preview lacks %q", want)
				}
			}
			checkNoMarkup(t, page)
			// The entry's link shows as text; the article's is no link.
			for _, bad := range []string{"onclick", "<script", `href="javascript`} {
				if strings.Contains(page, bad) {
					t.Errorf("the preview holds %q", bad)
				}
			}
			if !strings.Contains(page, `<details id="scrape" open>`) {
				t.Error("warnings about selectors leave the selector fields folded")
			}
		})
	}
}

// TestConsole_newRefusals: refusals and failures are shown in Chinese,
// next to their field, and the English only under a Chinese sentence.
func TestConsole_newRefusals(t *testing.T) {
	tests := []struct {
		name string
		edit func(*consoleAdmin)
		form url.Values
		code int
		want string
	}{
		{"private address", func(a *consoleAdmin) {
			a.discoverErr = &model.RequestError{Kind: model.ErrInvalid, Field: "url", Key: model.KeyURLPrivate, Args: []string{"intranet.example", "10.0.0.7", "private"},
				Msg: "intranet.example resolves to 10.0.0.7, a private address; sources added through the admin API must be public (set admin.allow_private to allow this)"}
		}, url.Values{"op": {"discover"}, "url": {"https://intranet.example/"}}, 400, "intranet.example 指向内网或本机地址（10.0.0.7）：这里只能添加公网上的网址。"},
		{"site answers 404", func(a *consoleAdmin) {
			a.discovery = &model.Discovery{Feeds: []model.FeedLink{}, Lists: []model.ListCandidate{}, Reason: "HTTP 404 Not Found", ReasonCode: model.MsgHTTPNotFound, ReasonArgs: []string{"404"}}
		}, url.Values{"op": {"discover"}, "url": {"https://www.school.example/old.htm"}}, 200, "网页不存在（HTTP 404）：请检查网址是否正确。"},
		{"unknown section", func(a *consoleAdmin) {
			a.addErr = &model.RequestError{Kind: model.ErrInvalid, Field: "sections", Key: model.KeySectionsNone, Msg: "name at least one section"}
		}, url.Values{"op": {"add"}, "url": {"https://www.school.example/rss.xml"}}, 400, "请至少选择一个栏目。"},
		{"page without feed added bare", func(a *consoleAdmin) {
			a.addErr = &model.RequestError{Kind: model.ErrInvalid, Field: "url", Key: model.KeyURLNoFeed, Msg: "HTML page advertises no feed; add a scrape: block to read it as a list page (see README)"}
		}, url.Values{"op": {"add"}, "url": {"https://www.school.example/"}, "sections": {"news"}}, 400, "也没有找到新闻列表：请在“列表页选择器”中填写“条目”。"},
		{"bad selector", func(a *consoleAdmin) {
			a.addErr = &model.RequestError{Kind: model.ErrInvalid, Field: "scrape.date", Key: model.KeySelectorInvalid, Args: []string{"expected identifier, found EOF"}, Msg: "expected identifier, found EOF"}
		}, url.Values{"op": {"add"}, "url": {"https://www.school.example/"}, "sections": {"news"}, "scrape_items": {"li"}, "scrape_date": {"span["}}, 400,
			`<input id="f-scrape-date" name="scrape_date" value="span[" aria-invalid="true">
<p class="field-error" role="alert">选择器的写法有误：expected identifier, found EOF</p>`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env, post := newFlowEnv(t, "zh")
			tt.edit(env.admin)
			resp, page := post(tt.form)
			if resp.StatusCode != tt.code || !strings.Contains(page, tt.want) {
				t.Fatalf("%d, want %d with %q\n%s", resp.StatusCode, tt.code, tt.want, page)
			}
			for _, bad := range []string{"admin.allow_private", "README", "scrape:", "HTTP 404 Not Found"} {
				if strings.Contains(page, bad) {
					t.Errorf("the page shows %q to an editor", bad)
				}
			}
			// A site that could not be read is not a page to write
			// selectors for.
			if tt.name == "site answers 404" && (strings.Contains(page, `<details id="scrape" open>`) || !strings.Contains(page, "无法读取这个网址</h2>")) {
				t.Errorf("a 404 opens the selector fields or is not called unreadable")
			}
		})
	}
}

// TestConsole_sourceDetection: a source read by detection shows on its
// page the selectors chosen and what its last read gave to check, in the
// page's language.
func TestConsole_sourceDetection(t *testing.T) {
	env := newConsoleEnv(t, testBaseURL, nil)
	env.admin.mu.Lock()
	env.admin.statuses[0].Detected = &model.Scrape{Items: "div.news li", Date: "span.time"}
	env.admin.statuses[0].Warnings = []model.ListWarning{{Code: model.ListWarnSameLink, Count: 12, Total: 12, Detail: "https://www.school.example/xx.htm"},
		{Code: model.ListWarnDateNoMatch, Count: 3, Total: 20, Detail: "span.time"}}
	env.admin.mu.Unlock()
	b := env.client(t)
	b.mustSignIn()
	_, page := b.get("/admin/sources/s1?lang=zh")
	for _, want := range []string{"自动识别的选择器", "<code>div.news li</code>", "<code>span.time</code>",
		"12 条中有 12 条指向同一链接，会合并成更少的条目", "日期选择器在 20 条中只匹配到 3 条"} {
		if !strings.Contains(page, want) {
			t.Errorf("the source page lacks %q", want)
		}
	}
	checkNoMarkup(t, page)
}

// TestConsole_newFirstStep: the page opens with one field and one
// button; sections chosen by the link that led here travel on.
func TestConsole_newFirstStep(t *testing.T) {
	env := newConsoleEnv(t, testBaseURL, nil)
	b := env.client(t)
	b.mustSignIn()
	_, page := b.get("/admin/sources/new?section=hot")
	form := formFields(t, page, "/admin/sources/new")
	if got := slices.Sorted(maps.Keys(form)); !slices.Equal(got, []string{"csrf", "sections", "url"}) || form.Get("sections") != "hot" {
		t.Errorf("the first step submits %v (sections %q), want the URL, the CSRF token and the section chosen", got, form["sections"])
	}
	if n := strings.Count(page, `type="submit"`) - 1; n != 1 { // the sign-out button aside
		t.Errorf("%d buttons on the first step, want 查找 alone", n)
	}
}

// addEqual compares add requests by what they say.
func addEqual(a, b model.AddRequest) bool {
	return a.URL == b.URL && slices.Equal(a.Sections, b.Sections) && a.ID == b.ID && a.Title == b.Title &&
		a.Scrape.Equal(b.Scrape) && a.Content.Equal(b.Content)
}

// messageArgs are sample arguments by code: as many as the producers
// give (see model's comments), so that every blank is filled.
func messageArgs(code string) []string {
	return []string{"a1", "a2", "a3", "a4"}[:max(0, argCount(code))]
}

func argCount(code string) int {
	switch code {
	case model.MsgHTTPStatus, model.MsgForbiddenAddress, model.KeyEntryNotIn, model.KeyEntryHidden,
		model.KeyPinsFull, model.KeyHiddenFull, model.KeyConfigRemove:
		return 2
	case model.KeyIDTaken, model.KeySourceExists, model.KeyURLPrivate, model.KeyConfigEdit, model.KeyConfigSection:
		return 3
	}
	return 1
}

var placeholder = regexp.MustCompile(`%\[(\d+)\]s|%`)

// TestConsoleText_messages: every code a preview, a discovery or a
// refusal can carry (each constant of model's message.go, and the list
// warnings of detect.go) has Chinese and English words, fills only
// %[n]s blanks it is given, and the Chinese is Chinese. A code added
// without words fails here.
func TestConsoleText_messages(t *testing.T) {
	codes := modelConstants(t, "../aggregator/model/message.go", "Msg", "Key")
	warnings := modelConstants(t, "../aggregator/model/detect.go", "ListWarn")
	if len(codes) < 60 || len(warnings) < 6 {
		t.Fatalf("found %d codes and %d warnings: the parse of the model no longer finds them", len(codes), len(warnings))
	}
	var keys []string
	for _, c := range codes {
		keys = append(keys, "msg."+c)
	}
	for _, w := range warnings {
		keys = append(keys, "warn."+w)
	}
	for _, k := range append(modelConstants(t, "../aggregator/model/preview.go", "Preview"), "none") {
		keys = append(keys, "prev.kind."+k)
	}
	keys = append(keys, "refuse.site", "refuse.origin", "refuse.form", "refuse.nocsrf", "refuse.badcsrf", "warn.same_link.uncounted")
	for _, f := range scrapeFields(model.Scrape{}) {
		keys = append(keys, "sel."+f.key, "form.scrape."+f.key)
	}
	for _, key := range keys {
		t.Run(key, func(t *testing.T) {
			for _, lang := range []string{i18n.ZH, i18n.EN} {
				format, ok := i18n.Lookup(lang, key)
				if !ok {
					t.Fatalf("no %s text", lang)
				}
				if strings.HasPrefix(key, "msg.") || strings.HasPrefix(key, "warn.") { // filled by i18n.Fill
					checkBlanks(t, lang, format)
				}
				if lang == i18n.ZH && !strings.ContainsFunc(format, func(r rune) bool { return unicode.Is(unicode.Han, r) }) {
					t.Errorf("zh text %q is not Chinese", format)
				}
			}
			code, ok := strings.CutPrefix(key, "msg.")
			if !ok {
				return
			}
			got := consoleMessage(i18n.ZH, "msg.refused", code, messageArgs(code), "english")
			if strings.Contains(got.Text, "%") || (got.Detail != "" && !vagueCode(code)) {
				t.Errorf("worded %+v", got)
			}
		})
	}
}

// checkBlanks fails when a format i18n.Fill fills has a blank it does
// not fill: anything but %[1]s, %[2]s, %[3]s.
func checkBlanks(t *testing.T, lang, format string) {
	t.Helper()
	for _, m := range placeholder.FindAllStringSubmatch(format, -1) {
		if n, _ := strconv.Atoi(m[1]); m[0] == "%" || n < 1 || n > 3 {
			t.Errorf("%s text %q has a blank other than %%[1-3]s", lang, format)
		}
	}
}

// modelConstants are the values of the string constants of file whose
// names begin with one of prefixes.
func modelConstants(t *testing.T, file string, prefixes ...string) []string {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), file, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, d := range f.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != token.CONST {
			continue
		}
		for _, spec := range g.Specs {
			vs := spec.(*ast.ValueSpec)
			for i, name := range vs.Names {
				lit, ok := vs.Values[i].(*ast.BasicLit)
				if !ok || lit.Kind != token.STRING || !slices.ContainsFunc(prefixes, func(p string) bool { return strings.HasPrefix(name.Name, p) }) {
					continue
				}
				v, err := strconv.Unquote(lit.Value)
				if err != nil {
					t.Fatal(err)
				}
				out = append(out, v)
			}
		}
	}
	return out
}
