package registry

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/aggregator/store"
	"github.com/tributary-rss/tributary/aggregator/store/storetest"
)

// TestRegistry_refusalKeys: every refusal an editor meets when adding a
// source carries the key a console words it by, and the values its words
// need, beside the English message.
func TestRegistry_refusalKeys(t *testing.T) {
	st := store.New(storetest.NewClient(t, storetest.StartRedis(t)), "", nil)
	pages := newPageFetcher()
	pages.pages["https://d.example.edu.cn/"] = `<!DOCTYPE html><html><head><title>丁校</title></head><body><p>欢迎访问丁校。</p></body></html>`
	pages.pages["https://e.example.edu.cn/"] = twoLists
	opts := withPreview(pages)
	r, _ := newRegistry(t, st, opts)
	opts.Resolver = fakeResolver("10.0.0.7")
	private, _ := newRegistry(t, st, opts)
	news := []string{"news"}
	tests := []struct {
		name string
		r    *Registry
		req  AddRequest
		key  string
		args []string
	}{
		{"no url", r, AddRequest{Sections: news}, model.KeyURLRequired, nil},
		{"ftp url", r, AddRequest{URL: "ftp://x.example/f", Sections: news}, model.KeyURLInvalid, []string{`"ftp://x.example/f" must be an absolute http or https URL with a host`}},
		{"bad id", r, AddRequest{ID: "Bad_ID", URL: "https://x.example/f", Sections: news}, model.KeyIDInvalid, nil},
		{"no section", r, AddRequest{URL: "https://x.example/f"}, model.KeySectionsNone, nil},
		{"unknown section", r, AddRequest{URL: "https://x.example/f", Sections: []string{"sports"}}, model.KeySectionUnknown, []string{"sports"}},
		{"bad schedule", r, AddRequest{URL: "https://x.example/f", Sections: news, Schedule: "every minute"}, model.KeyScheduleInvalid, nil},
		{"bad zone", r, AddRequest{URL: "https://x.example/f", Sections: news, Timezone: "Mars/Olympus"}, model.KeyTimezoneInvalid, nil},
		{"bad stale_after", r, AddRequest{URL: "https://x.example/f", Sections: news, StaleAfter: "soon"}, model.KeyStaleAfter, []string{"soon"}},
		{"bad selector", r, AddRequest{URL: "https://x.example/f", Sections: news, Scrape: &model.Scrape{Items: "li", Date: "span["}}, model.KeySelectorInvalid, nil},
		{"duplicate URL", r, AddRequest{URL: "https://a.example.edu.cn/rss.xml", Sections: []string{"hot"}}, model.KeySourceExists, []string{"https://a.example.edu.cn/rss.xml", "member-a"}},
		{"id taken", r, AddRequest{ID: "member-a", URL: "https://x.example/f", Sections: []string{"hot"}}, model.KeyIDTaken, []string{"member-a"}},
		{"loopback address", r, AddRequest{URL: "http://127.0.0.1:6379/", Sections: news}, model.KeyURLPrivate, []string{"127.0.0.1", "127.0.0.1", "loopback"}},
		{"private name", private, AddRequest{URL: "https://intranet.example/feed", Sections: news}, model.KeyURLPrivate, []string{"intranet.example", "10.0.0.7", "private"}},
		{"refused at connect", r, AddRequest{URL: "https://c.example.internal/", Sections: news}, model.KeyURLForbidden, nil},
		{"page without feed or list", r, AddRequest{URL: "https://d.example.edu.cn/", Sections: news}, model.KeyURLNoFeed, nil},
		{"page of lists too alike", r, AddRequest{URL: "https://e.example.edu.cn/", Sections: news}, model.KeyURLSeveralLists, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.r.Add(context.Background(), tt.req)
			var re *model.RequestError
			if !errors.As(err, &re) {
				t.Fatalf("Add = %v, want a refusal", err)
			}
			if re.Key != tt.key {
				t.Errorf("key %q, want %q (%v)", re.Key, tt.key, err)
			}
			if tt.args != nil && !slices.Equal(re.Args[:min(len(re.Args), len(tt.args))], tt.args) {
				t.Errorf("args %q, want them to begin with %q", re.Args, tt.args)
			}
		})
	}
	// Refusals of other requests carry theirs too.
	ctx := context.Background()
	title := "x"
	_, err := r.Update(ctx, "member-a", model.UpdateRequest{Title: &title})
	checkKey(t, "edit a config source", err, model.KeyConfigEdit)
	_, err = r.Status(ctx, "nope")
	checkKey(t, "unknown source", err, model.KeySourceNotFound)
	err = r.Moderate(ctx, model.ModerationRequest{SectionID: "news", EntryID: "e1", Action: "star"})
	checkKey(t, "unknown action", err, model.KeyActionUnknown)
}

// twoLists is a school homepage (VSB-style) with 学校要闻 and 通知公告 side
// by side, as many dated items each: neither is the page's main list.
const twoLists = `<!DOCTYPE html><html><head><title>戊校</title></head><body>
<div class="nav"><ul><li><a href="/">首页</a></li><li><a href="/xxgk.htm">学校概况</a></li></ul></div>
<div class="news"><h2>学校要闻</h2><ul>
<li><a href="/info/1001/3401.htm">学校召开第一次工作会议</a><span>2025-03-19</span></li>
<li><a href="/info/1001/3402.htm">学校召开第二次工作会议</a><span>2025-03-18</span></li>
<li><a href="/info/1001/3403.htm">学校召开第三次工作会议</a><span>2025-03-17</span></li>
<li><a href="/info/1001/3404.htm">学校召开第四次工作会议</a><span>2025-03-16</span></li>
<li><a href="/info/1001/3405.htm">学校召开第五次工作会议</a><span>2025-03-15</span></li>
<li><a href="/info/1001/3406.htm">学校召开第六次工作会议</a><span>2025-03-14</span></li></ul></div>
<div class="notice"><h2>通知公告</h2><ul>
<li><a href="/info/1002/5501.htm">关于第一批项目申报的通知</a><span>2025-03-19</span></li>
<li><a href="/info/1002/5502.htm">关于第二批项目申报的通知</a><span>2025-03-18</span></li>
<li><a href="/info/1002/5503.htm">关于第三批项目申报的通知</a><span>2025-03-17</span></li>
<li><a href="/info/1002/5504.htm">关于第四批项目申报的通知</a><span>2025-03-16</span></li>
<li><a href="/info/1002/5505.htm">关于第五批项目申报的通知</a><span>2025-03-15</span></li>
<li><a href="/info/1002/5506.htm">关于第六批项目申报的通知</a><span>2025-03-14</span></li></ul></div>
<div class="footer"><p>版权所有 戊校</p></div></body></html>`

func checkKey(t *testing.T, what string, err error, key string) {
	t.Helper()
	var re *model.RequestError
	if !errors.As(err, &re) || re.Key != key {
		t.Errorf("%s: %v (key %q), want key %q", what, err, keyOf(err), key)
	}
}

func keyOf(err error) string {
	var re *model.RequestError
	if errors.As(err, &re) {
		return re.Key
	}
	return ""
}
