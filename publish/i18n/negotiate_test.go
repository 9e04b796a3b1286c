package i18n

import (
	"strings"
	"testing"
)

func TestNegotiate(t *testing.T) {
	tests := []struct {
		header []string
		want   string
	}{
		{nil, ZH},
		{[]string{"en-US,en;q=0.9"}, EN},
		{[]string{"zh-CN,zh;q=0.9,en;q=0.8"}, ZH},
		{[]string{"en;q=0.5, zh-TW;q=0.8"}, ZH},
		{[]string{"fr, en;q=0.3"}, EN},
		{[]string{"fr"}, ZH},
		{[]string{"EN-gb"}, EN},
		{[]string{"Zh"}, ZH},
		{[]string{"english, e, enx"}, ZH},
		{[]string{"en;q=0"}, ZH},
		{[]string{"de", "en"}, EN},
		{[]string{"en-AU,zh-HK;q=0.5"}, EN},
		{[]string{"zh-Hant-TW, en;q=0.9"}, ZH},
		{[]string{"*"}, ZH},
		{[]string{strings.Repeat("en-x-abcdefgh-", 20)}, ZH},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.header, "|"), func(t *testing.T) {
			if got := Negotiate(tt.header); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}
