package report

import "testing"

func TestDisplayWidth(t *testing.T) {
	tests := []struct {
		s    string
		want int
	}{
		{"", 0},
		{"ok", 2},
		{"甲校", 4},
		{"（配置）", 8},
		{"ＡＩ", 4},
		{"ｶﾀｶﾅ", 4}, // half-width katakana
		{"e\u0301", 1},
		{"a\u200bb", 2},
		{"한국", 4},
		{"→", 1},
	}
	for _, tt := range tests {
		if got := DisplayWidth(tt.s); got != tt.want {
			t.Errorf("DisplayWidth(%q) = %d, want %d", tt.s, got, tt.want)
		}
	}
}
