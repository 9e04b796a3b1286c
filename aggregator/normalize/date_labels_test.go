package normalize

import (
	"testing"
	"time"
)

// TestParseDateAt_Labels: the labels, brackets and full-width forms sites
// put around a date are read past in feeds and list pages alike, and text
// holding no date stays unparsed.
func TestParseDateAt_Labels(t *testing.T) {
	shanghai := mustLoad(t, "Asia/Shanghai")
	// 2026-12-01 10:00 in Shanghai.
	now := time.Date(2026, 12, 1, 2, 0, 0, 0, time.UTC)
	const day, afternoon = "2026-11-28T16:00:00Z", "2026-11-29T06:30:00Z"
	tests := []struct {
		name string
		raw  string
		want string // RFC 3339 in UTC; "" means no parse
	}{
		{"发布时间", "发布时间：2026-11-29", day},
		{"发布日期 with time", "发布日期: 2026-11-29 14:30", afternoon},
		{"时间", "时间：2026-11-29", day},
		{"日期", "日期：2026-11-29", day},
		{"更新时间", "更新时间：2026-11-29 14:30:00", afternoon},
		{"label without colon", "发布时间 2026-11-29", day},
		{"发布于", "发布于 2026-11-29 14:30", afternoon},
		{"发表于 glued", "发表于2026-11-29", day},
		{"Posted on", "Posted on 2026-11-29", day},
		{"posted on lower case", "posted on 2026-11-29 14:30", afternoon},
		{"Published colon", "Published: 2026-11-29", day},
		{"Published on month first", "Published on November 29, 2026", day},
		{"Last updated", "Last updated: Nov 29, 2026 2:30 PM", afternoon},
		{"Updated on", "Updated on 29 Nov 2026 14:30", afternoon},
		{"full-width colon and spaces", "发布时间\u3000：\u30002026-11-29\u300014:30", afternoon},
		{"full-width digits", "发布时间：２０２６－１１－２９　１４：３０", afternoon},
		{"full-width parentheses", "（2026-11-29）", day},
		{"square brackets", "[2026-11-29]", day},
		{"lenticular brackets", "【2026-11-29】", day},
		{"label inside brackets", "[发布时间：2026-11-29]", day},
		{"label then brackets", "日期：（2026-11-29）", day},
		{"among other text", "作者：办公室 发布时间：2026-11-29 14:30 浏览次数：1024", afternoon},
		{"view count first", "点击：123 日期：2026/11/29", day},
		{"chinese with spaces", "2026 年 11 月 29 日", day},
		{"chinese clock", "2026年11月29日 14时30分", afternoon},
		{"chinese clock with seconds", "2026年11月29日14时30分00秒", afternoon},
		{"chinese without 日", "2026年11月29 14:30", afternoon},
		{"chinese 号", "2026年11月29号", day},
		{"month first", "November 29, 2026", day},
		{"month first ordinal", "Nov 29th, 2026 at 2:30 pm", afternoon},
		{"month first abbreviated dot", "Nov. 29, 2026", day},
		{"pm", "2026-11-29 2:30 PM", afternoon},
		{"12 am is midnight", "2026-11-29 12:00 AM", day},
		{"12 pm is noon", "2026-11-29 12:00 p.m.", "2026-11-29T04:00:00Z"},
		{"pm with zone", "Nov 29, 2026 2:30 PM +0800", afternoon},
		{"redundant pm after 13:30", "2026-11-29 13:30 PM", "2026-11-29T05:30:00Z"},
		{"label only", "发布时间：", ""},
		{"words only", "Posted on a sunny day", ""},
		{"relative date", "3天前", ""},
		{"garbage", "unknown date", ""},
		{"label word inside another word", "Postedness 2026", ""},
		{"bad date after label", "发布时间：2026-13-45", ""},
		{"long text without a date", "这是一段很长的文字，里面没有任何日期，只有一些描述性的内容和标点符号。", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := ParseDateAt(tt.raw, shanghai, now)
			if tt.want == "" {
				if ok {
					t.Errorf("ParseDateAt(%q) = %s, want no parse", tt.raw, got.Format(time.RFC3339Nano))
				}
				return
			}
			if !ok {
				t.Fatalf("ParseDateAt(%q) failed, want %s", tt.raw, tt.want)
			}
			if s := got.Format(time.RFC3339Nano); s != tt.want {
				t.Errorf("ParseDateAt(%q) = %s, want %s", tt.raw, s, tt.want)
			}
		})
	}
}

// TestParseDateAt_Bounded: a date buried far into a huge text is not
// searched for, so what one item costs does not grow with what a source
// puts in its date element.
func TestParseDateAt_Bounded(t *testing.T) {
	long := make([]byte, 0, 64<<10)
	for len(long) < 60<<10 {
		long = append(long, "浏览次数 "...)
	}
	tests := []struct {
		name string
		raw  string
		ok   bool
	}{
		{"date first in a long text", "2026-11-29 " + string(long), true},
		{"date past the searched part", string(long) + " 2026-11-29", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, ok := ParseDateAt(tt.raw, time.UTC, time.Now()); ok != tt.ok {
				t.Errorf("parsed = %v, want %v", ok, tt.ok)
			}
		})
	}
}

// TestParseDateAt_NotVersions: version-like text in a date element is no
// date without a year, so such an item is reported as unparsed rather
// than dated a made-up day.
func TestParseDateAt_NotVersions(t *testing.T) {
	now := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
	for _, raw := range []string{"v2.1", "version 2.1", "1.2.3", "rev 3.14 build", "release-2.1"} {
		if got, ok := ParseDateAt(raw, time.UTC, now); ok {
			t.Errorf("ParseDateAt(%q) = %s, want no date", raw, got)
		}
	}
	for _, raw := range []string{"点击：12 日期：10-17", "作者 张三 10月17日"} {
		if _, ok := ParseDateAt(raw, time.UTC, now); !ok {
			t.Errorf("ParseDateAt(%q): no date, want one", raw)
		}
	}
}
