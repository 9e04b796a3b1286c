package normalize

import "testing"

// TestPlainTextPrefix checks that cutting the extraction short never
// changes a summary.
func TestPlainTextPrefix(t *testing.T) {
	long := "<p>10月17日上午，我校2026年学术年会在图书馆报告厅隆重开幕。</p><p>来自全国各地的三百余名专家学者齐聚一堂。</p>"
	tests := []struct {
		name string
		in   string
	}{
		{"plain", "just text, no markup at all"},
		{"short html", "<p>a</p><p>b</p>"},
		{"cjk paragraphs", long},
		{"inline join", "北京<b>大学</b>的新闻和<i>清华</i>大学的新闻"},
		{"entities", "A &amp; B &lt;tag&gt; &#x1F600; end of the line here"},
		{"hidden script first", "<script>var a = 'long long long long';</script><p>visible text only</p>"},
		{"emoji cut", "<p>👨‍👩‍👧‍👦👨‍👩‍👧‍👦👨‍👩‍👧‍👦👨‍👩‍👧‍👦 family</p>"},
		{"flags", "<p>🇨🇳🇯🇵🇺🇸🇬🇧🇫🇷 flags</p>"},
		{"controls dropped", "<p>a\x01\x02\x03\x04\x05\x06\x07\x08b\x0bc\x0cd\x0e\x0f\x10</p>"},
		{"spaces", "<p>   a    b   </p>\n\n<div>  c  </div>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for n := 1; n <= 40; n++ {
				want := Truncate(PlainText(tt.in), n)
				if got := Truncate(plainTextPrefix(tt.in, n), n); got != want {
					t.Fatalf("n=%d: got %q, want %q", n, got, want)
				}
			}
		})
	}
}

func FuzzPlainTextPrefix(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string, n uint8) {
		limit := int(n%200) + 1
		want := Truncate(PlainText(s), limit)
		if got := Truncate(plainTextPrefix(s, limit), limit); got != want {
			t.Fatalf("limit %d: got %q, want %q", limit, got, want)
		}
	})
}
