package normalize

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestTruncate(t *testing.T) {
	tests := []struct {
		name string
		in   string
		n    int
		want string
	}{
		{"short ascii kept", "hello", 10, "hello"},
		{"exact length kept", "hello", 5, "hello"},
		{"ascii cut", "hello world", 6, "hello…"},
		{"trailing space trimmed before ellipsis", "hello world", 7, "hello…"},
		{"cjk cut by runes", "北京大学新闻网报道今天", 5, "北京大学…"},
		{"cjk kept", "北京大学", 4, "北京大学"},
		{"emoji not split", "ab😀😀😀", 4, "ab😀…"},
		{"zwj family dropped whole", "ab👨\u200d👩\u200d👧cd", 5, "ab…"},
		{"skin tone kept with base", "ab👍🏽cdef", 5, "ab👍🏽…"},
		{"skin tone not orphaned", "ab👍🏽cdef", 4, "ab…"},
		{"flag pair not split", "ab🇨🇳🇯🇵", 4, "ab…"},
		{"flag pair kept whole", "ab🇨🇳🇯🇵", 5, "ab🇨🇳…"},
		{"combining mark kept with base", "cafe\u0301s and more", 5, "caf…"},
		{"zero", "hello", 0, ""},
		{"one", "hello", 1, "…"},
		{"empty", "", 5, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Truncate(tt.in, tt.n)
			if got != tt.want {
				t.Errorf("Truncate(%q, %d) = %q, want %q", tt.in, tt.n, got, tt.want)
			}
			if !utf8.ValidString(got) {
				t.Errorf("Truncate(%q, %d) is not valid UTF-8", tt.in, tt.n)
			}
			if c := utf8.RuneCountInString(got); c > tt.n {
				t.Errorf("Truncate(%q, %d) has %d runes", tt.in, tt.n, c)
			}
		})
	}
}

func TestTruncate_everyCut(t *testing.T) {
	s := "学院新闻😀👨\u200d👩\u200d👧🇨🇳e\u0301x"
	for n := 1; n <= utf8.RuneCountInString(s)+1; n++ {
		got := Truncate(s, n)
		if !utf8.ValidString(got) || utf8.RuneCountInString(got) > n {
			t.Fatalf("Truncate(%q, %d) = %q", s, n, got)
		}
		if body := strings.TrimSuffix(got, ellipsis); !strings.HasPrefix(s, body) {
			t.Fatalf("Truncate(%q, %d) = %q is not a prefix", s, n, got)
		}
	}
}

func TestPlainText(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		{"plain", "  hello \n  world  ", "hello world"},
		{"tags and entities", "<p>Tom &amp; Jerry&nbsp;&lt;3</p>", "Tom & Jerry <3"},
		{"blocks separated", "<p>one</p><p>two</p><br>three", "one two three"},
		{"inline not separated", "北京<b>大学</b><a href=\"/x\">新闻</a>", "北京大学新闻"},
		{"script and style dropped", "a<script>alert(1)</script><style>p{}</style>b", "a b"},
		{"noscript dropped", "a<noscript><img src=x></noscript>b", "a b"},
		{"numeric entities", "&#20013;&#x6587;", "中文"},
		{"invalid xml chars removed", "a\x00b\x0bc\ufffed", "abcd"},
		{"invalid utf8 dropped", "a\xffb", "ab"},
		{"full-width space collapsed", "标题\u3000\u3000正文", "标题 正文"},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := PlainText(tt.in); got != tt.want {
				t.Errorf("PlainText(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// Labels (categories) must read the same as text and as HTML, whatever
// the feed escaped how many times.
func TestPlainLabel(t *testing.T) {
	tests := []struct {
		name, in string
		n        int
		want     string
	}{
		{"plain", "  News\n today ", 100, "News today"},
		{"markup stripped", "<b>Sports</b>", 100, "Sports"},
		{"script dropped with its text", "<script>alert(1)</script>", 100, ""},
		{"escaped script", "&lt;script&gt;alert(1)&lt;/script&gt;", 100, ""},
		{"escaped twice", "&amp;lt;img src=x onerror=alert(1)&amp;gt;x", 100, "x"},
		{"entities decoded", "R&amp;D", 100, "R&D"},
		{"text that only looks odd", "a < b & c", 100, "a < b & c"},
		{"cut", "类类类类类", 3, "类类…"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := plainLabel(tt.in, tt.n)
			if got != tt.want {
				t.Errorf("plainLabel(%q, %d) = %q, want %q", tt.in, tt.n, got, tt.want)
			}
			if PlainText(got) != got {
				t.Errorf("plainLabel(%q) = %q reads %q as HTML", tt.in, got, PlainText(got))
			}
		})
	}
}
