package publish

import (
	"strings"
	"testing"

	"github.com/tributary-rss/tributary/aggregator/model"
)

// TestServer_StatusDetected: the list detection chose for a page without
// feed and the warnings of its last read show on /status, in the page's
// language, and in /api/v1/sources.
func TestServer_StatusDetected(t *testing.T) {
	list := []model.SourceStatus{
		{ID: "gzdt", Title: "工作动态", ConfiguredURL: "https://b.example/gzdt.htm", LastAttempt: statusT0, LastStatus: 200,
			Detected: &model.Scrape{Items: "div.news-list li", Link: "div.txt a", Date: "div.date"},
			Warnings: []model.ListWarning{
				{Code: model.ListWarnSameLink, Count: 12, Total: 12, Detail: "https://b.example/xx.htm"},
				{Code: model.ListWarnOddYears, Count: 1, Total: 12, Detail: "1970"},
			}},
	}
	ts := newHTTPTest(t, newStatusServer(t, &fakeStatus{list: list}))
	for lang, wants := range map[string][]string{
		"en": {`<span class="note">list detected: div.news-list li</span>`,
			`<span class="note list-warning">check: 12 of 12 items share a link and merge (https://b.example/xx.htm)</span>`,
			`<span class="note list-warning">check: 1 of 12 items have a year that looks wrong (1970)</span>`},
		"zh": {`<span class="note">自动识别的列表：div.news-list li</span>`,
			`<span class="note list-warning">请检查：12 条中有 12 条指向同一链接，会合并（https://b.example/xx.htm）</span>`,
			`<span class="note list-warning">请检查：12 条中有 1 条的年份看起来不对（1970）</span>`},
	} {
		_, body := get(t, ts, "/status?lang="+lang)
		for _, want := range wants {
			if !strings.Contains(string(body), want) {
				t.Errorf("/status?lang=%s lacks %q", lang, want)
			}
		}
	}
	_, body := get(t, ts, "/api/v1/sources")
	for _, want := range []string{
		`"detected":{"items":"div.news-list li","link":"div.txt a","date":"div.date"}`,
		`"warnings":[{"code":"same_link","count":12,"total":12,"detail":"https://b.example/xx.htm"},{"code":"odd_years","count":1,"total":12,"detail":"1970"}]`,
	} {
		if !strings.Contains(string(body), want) {
			t.Errorf("/api/v1/sources lacks %s: %s", want, body)
		}
	}
}
