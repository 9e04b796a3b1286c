package normalize

import (
	"testing"

	"github.com/tributary-rss/tributary/aggregator/model"
)

func TestNormalizeTitle(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Rust 1.95 released!", "rust195released"},
		{"ＲＵＳＴ　１．９５", "rust195"},
		{"【通知】关于2026年寒假放假的通知", "通知关于2026年寒假放假的通知"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := NormalizeTitle(tt.in); got != tt.want {
			t.Errorf("NormalizeTitle(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if TitleKey("Rust 1.95 released!") != TitleKey("rust 1.95 Released") {
		t.Error("titles differing in case and punctuation get different keys")
	}
	if TitleKey("新闻") != "" {
		t.Error("a column name got a title key")
	}
}

func TestDedupKeys(t *testing.T) {
	entries := []model.Entry{
		{Title: "关于寒假放假安排的通知", CanonicalLink: "https://a.example/1"},
		{Title: "学校召开教学工作会议", CanonicalLink: "https://a.example/home"},
		{Title: "学校召开教学工作会议", CanonicalLink: "https://a.example/home"},
		{Title: "短", CanonicalLink: ""},
	}
	link, title := DedupKeys(entries)
	if link[0] == "" || link[0] != LinkKey("https://a.example/1") {
		t.Errorf("link key of a unique link = %q", link[0])
	}
	if link[1] != "" || link[2] != "" || title[1] != "" || title[2] != "" {
		t.Errorf("keys two entries share must be left out: %q %q %q %q", link[1], link[2], title[1], title[2])
	}
	if link[3] != "" || title[3] != "" {
		t.Errorf("no link and a short title give no keys: %q %q", link[3], title[3])
	}
	if title[0] == "" {
		t.Error("a story title got no key")
	}
	if got := LinkKeys(entries); got[0] != link[0] || got[1] != "" {
		t.Errorf("LinkKeys disagrees with DedupKeys: %q", got)
	}
}
