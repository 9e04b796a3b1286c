package normalize

import (
	"testing"

	"github.com/tributary-rss/tributary/aggregator/model"
)

func TestNormalizer_EntriesTrackingParams(t *testing.T) {
	src := testSource(t, "https://www.example.edu.cn/rss.xml", "Asia/Shanghai")
	entries := New(Options{TrackingParams: []string{"lang"}}).Entries(loadFeed(t, "tracking.rss"), src, src.URL, fetchTime)
	tests := []struct {
		title, link, canonical, key string
	}{
		{"学院召开2026年秋季学期工作会议",
			"https://mp.weixin.qq.com/s?__biz=MzA5NjE2&mid=2650&idx=1&sn=7f3a#wechat_redirect",
			"https://mp.weixin.qq.com/s?__biz=MzA5NjE2&idx=1&mid=2650&sn=7f3a",
			"https://mp.weixin.qq.com/s?__biz=MzA5NjE2&idx=1&mid=2650&sn=7f3a"},
		{"Newsletter: October",
			"HTTPS://News.Example.COM:443/2026/10/newsletter.html",
			"https://news.example.com/2026/10/newsletter.html",
			"newsletter-2026-10"},
		// Linking to the home page names no story: no canonical link.
		{"首页公告", "https://www.example.edu.cn/", "", "notice-1"},
		{"视频：校园风光",
			"https://www.bilibili.com/video/BV1xx411c7mD/?p=2",
			"https://www.bilibili.com/video/BV1xx411c7mD/?p=2",
			"video-1"},
	}
	if len(entries) != len(tests) {
		t.Fatalf("got %d entries, want %d", len(entries), len(tests))
	}
	for i, tt := range tests {
		t.Run(tt.title, func(t *testing.T) {
			e := entries[i]
			if e.Title != tt.title || e.Link != tt.link || e.CanonicalLink != tt.canonical {
				t.Errorf("got %q link %q canonical %q\nwant %q link %q canonical %q",
					e.Title, e.Link, e.CanonicalLink, tt.title, tt.link, tt.canonical)
			}
			if want := model.EntryID(src.ID, tt.key); e.ID != want {
				t.Errorf("ID = %s, want EntryID(%q) = %s", e.ID, tt.key, want)
			}
		})
	}
	if entries[2].SourceLink != "https://www.example.edu.cn/?from=rss" {
		t.Errorf("source link = %q: the site link is the source's own, kept", entries[2].SourceLink)
	}
}
