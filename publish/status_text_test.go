package publish

import (
	"html"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/tributary-rss/tributary/publish/i18n"
)

// TestServer_StatusLanguage: the page follows ui.lang, else
// Accept-Language (Chinese when it names neither), and ?lang= beats both.
func TestServer_StatusLanguage(t *testing.T) {
	tests := []struct {
		name, uiLang, accept, query string
		want                        string // "zh" or "en"
	}{
		{"default is Chinese", "", "", "", i18n.ZH},
		{"Accept-Language en", "", "en-US,en;q=0.9", "", i18n.EN},
		{"Accept-Language prefers zh", "", "en;q=0.5, zh-CN", "", i18n.ZH},
		{"Accept-Language names neither", "", "fr-FR", "", i18n.ZH},
		{"ui.lang en beats Accept-Language", "en", "zh-CN", "", i18n.EN},
		{"ui.lang zh beats Accept-Language", "zh", "en", "", i18n.ZH},
		{"?lang=en beats ui.lang", "zh", "", "?lang=en", i18n.EN},
		{"?lang=zh beats Accept-Language", "", "en", "?lang=zh", i18n.ZH},
	}
	want := map[string][]string{
		i18n.ZH: {`<html lang="zh-CN">`, "<title>来源状态 · Tributary</title>", ">上次抓取</th>", ">连续错误</a></th>",
			`<span class="val state state-failing">失败</span>`, "共 6 个来源", "就绪检查: 正常", "3 条没有可用的日期"},
		i18n.EN: {`<html lang="en">`, "<title>Sources · Tributary</title>", ">Last attempt</th>", ">Errors in a row</a></th>",
			`<span class="val state state-failing">failing</span>`, "6 sources", "Readiness: ok", "3 items without a usable date"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts := newHTTPTest(t, newStatusServer(t, &fakeStatus{list: statusFixture()}, func(o *Options) { o.UILang = tt.uiLang }))
			resp, body := fetch(t, ts, http.MethodGet, "/status"+tt.query, map[string]string{"Accept-Language": tt.accept})
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("status %d: %s", resp.StatusCode, body)
			}
			for _, s := range want[tt.want] {
				if !strings.Contains(string(body), s) {
					t.Errorf("page lacks %q", s)
				}
			}
			other := i18n.EN
			if tt.want == i18n.EN {
				other = i18n.ZH
			}
			if s := want[other][1]; strings.Contains(string(body), s) {
				t.Errorf("page has %q of the other language", s)
			}
			// A language the request chose sticks to the page's links.
			if tt.query != "" && !strings.Contains(string(body), `href="/status?lang=`+tt.want+`&amp;sort=name"`) {
				t.Errorf("sort link does not keep %s", tt.query)
			}
		})
	}
}

// TestServer_StatusTimes: every time carries the configured zone, a
// relative form against the server's clock and a machine-readable
// datetime; unknown times are a dash.
func TestServer_StatusTimes(t *testing.T) {
	tests := []struct {
		lang string
		want []string
	}{
		{i18n.EN, []string{
			// as of: the clock itself
			`as of <time datetime="2026-11-28T10:03:00+08:00"><span class="date">2026-11-28</span> 10:03 CST</time> <span class="rel">just now</span>`,
			// last attempt, three minutes before the clock
			`<time datetime="2026-11-28T10:00:00+08:00"><span class="date">2026-11-28</span> 10:00 CST</time> <span class="rel">3 minutes ago</span>`,
			// next due, twelve minutes after it
			`<time datetime="2026-11-28T10:15:00+08:00"><span class="date">2026-11-28</span> 10:15 CST</time> <span class="rel">in 12 minutes</span>`,
		}},
		{i18n.ZH, []string{
			`更新于 <time datetime="2026-11-28T10:03:00+08:00"><span class="date">2026-11-28</span> 10:03 CST</time> <span class="rel">刚刚</span>`,
			`<time datetime="2026-11-28T10:00:00+08:00"><span class="date">2026-11-28</span> 10:00 CST</time> <span class="rel">3 分钟前</span>`,
			`<time datetime="2026-11-28T10:15:00+08:00"><span class="date">2026-11-28</span> 10:15 CST</time> <span class="rel">12 分钟后</span>`,
		}},
	}
	ts := newHTTPTest(t, newStatusServer(t, &fakeStatus{list: statusFixture()}))
	for _, tt := range tests {
		t.Run(tt.lang, func(t *testing.T) {
			_, body := get(t, ts, "/status?lang="+tt.lang)
			// html/template writes the offset's "+" as "&#43;"; a no-break
			// space holds each zone to its clock.
			page := html.UnescapeString(string(body))
			if !strings.Contains(page, "10:00\u00a0CST</time>") {
				t.Error("no no-break space between a clock and its zone")
			}
			page = strings.ReplaceAll(page, "\u00a0", " ")
			for _, s := range tt.want {
				if !strings.Contains(page, s) {
					t.Errorf("page lacks %s", s)
				}
			}
			// The source never polled: all three of its times unknown.
			row := rowOf(t, page, "new")
			if n := len(unknownTimeRe.FindAllString(row, -1)); n != 3 {
				t.Errorf("never-polled row has %d dashes for its times, want 3:\n%s", n, row)
			}
			// No time without its zone: every <time> has the CST label.
			if n, z := strings.Count(page, "<time "), strings.Count(page, " CST</time>"); n != z || n == 0 {
				t.Errorf("%d <time> elements, %d with the zone", n, z)
			}
		})
	}
}

var unknownTimeRe = regexp.MustCompile(`<td class="c-time"><span class="label">[^<]+</span><span class="val">—</span></td>`)

// rowOf is the <tr> of source id on page.
func rowOf(t *testing.T, page, id string) string {
	t.Helper()
	_, row, ok := strings.Cut(page, `<tr id="source-`+id+`">`)
	if !ok {
		t.Fatalf("no row for %s", id)
	}
	row, _, _ = strings.Cut(row, "</tr>")
	return row
}
