package normalize

import (
	"strings"
	"testing"
)

func TestNormalizer_SanitizeHTML(t *testing.T) {
	n := New(Options{})
	const base = "https://news.example.edu.cn/info/1021/5566.htm"
	tests := []struct {
		name    string
		in      string
		want    string   // exact output, when set
		absent  []string // substrings that must not survive
		present []string // substrings that must survive
	}{
		{
			name: "script removed with content",
			in:   `<p>hi</p><script>alert(1)</script>`,
			want: `<p>hi</p>`,
		},
		{
			name:    "onerror removed",
			in:      `<img src="/a.png" onerror="alert(1)">`,
			want:    `<img src="https://news.example.edu.cn/a.png"/>`,
			absent:  []string{"onerror", "alert"},
			present: []string{"https://news.example.edu.cn/a.png"},
		},
		{
			name:   "javascript href removed",
			in:     `<a href="JaVaScRiPt:alert(1)">x</a>`,
			absent: []string{"javascript", "JaVaScRiPt", "alert", "href"},
		},
		{
			name:   "iframe removed",
			in:     `<p>a</p><iframe src="https://evil.example/"></iframe>`,
			want:   `<p>a</p>`,
			absent: []string{"iframe", "evil"},
		},
		{
			name:   "style element and attribute removed",
			in:     `<style>body{display:none}</style><p style="position:fixed">a</p>`,
			want:   `<p>a</p>`,
			absent: []string{"style", "display", "fixed"},
		},
		{
			name:   "svg onload removed",
			in:     `<svg onload="alert(1)"><circle/></svg>ok`,
			absent: []string{"onload", "alert", "svg"},
		},
		{
			name: "relative link resolved and marked",
			in:   `<a href="../1022/7788.htm?x=1#top" target="_blank" rel="opener">next</a>`,
			want: `<a href="https://news.example.edu.cn/info/1022/7788.htm?x=1#top" rel="nofollow noopener">next</a>`,
		},
		{
			name: "absolute link kept as given",
			in:   `<a href="https://other.example/a?b=1&amp;c=2">x</a>`,
			want: `<a href="https://other.example/a?b=1&amp;c=2" rel="nofollow noopener">x</a>`,
		},
		{
			name:   "tracking pixel dropped",
			in:     `<p>a<img src="https://t.example/p.gif" width="1" height="1"></p>`,
			want:   `<p>a</p>`,
			absent: []string{"t.example"},
		},
		{
			name: "data-src promoted over placeholder",
			in:   `<img src="/images/blank.gif" data-src="/upload/2026/photo.jpg" alt="合影">`,
			want: `<img src="https://news.example.edu.cn/upload/2026/photo.jpg" alt="合影"/>`,
		},
		{
			name: "data-src promoted when src missing",
			in:   `<img data-src="photo.jpg">`,
			want: `<img src="https://news.example.edu.cn/info/1021/photo.jpg"/>`,
		},
		{
			name: "real src kept over data-src",
			in:   `<img src="/real.jpg" data-src="/other.jpg">`,
			want: `<img src="https://news.example.edu.cn/real.jpg"/>`,
		},
		{
			name: "protocol-relative image",
			in:   `<img src="//cdn.example.cn/a.jpg" width="600">`,
			want: `<img src="https://cdn.example.cn/a.jpg" width="600"/>`,
		},
		{
			name: "control characters removed, result trimmed",
			in:   "  <p>a\x0bb</p>\n ",
			want: `<p>ab</p>`,
		},
		{
			name: "empty",
			in:   "  ",
			want: "",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := n.SanitizeHTML(tt.in, base)
			if tt.want != "" || tt.in == "  " {
				if got != tt.want {
					t.Errorf("SanitizeHTML(%q)\n got %q\nwant %q", tt.in, got, tt.want)
				}
			}
			lower := strings.ToLower(got)
			for _, a := range tt.absent {
				if strings.Contains(lower, strings.ToLower(a)) {
					t.Errorf("SanitizeHTML(%q) = %q still contains %q", tt.in, got, a)
				}
			}
			for _, p := range tt.present {
				if !strings.Contains(got, p) {
					t.Errorf("SanitizeHTML(%q) = %q lacks %q", tt.in, got, p)
				}
			}
		})
	}
}

func TestNormalizer_SanitizeHTMLNoBase(t *testing.T) {
	n := New(Options{})
	got := n.SanitizeHTML(`<a href="/x">x</a>`, "")
	if want := `<a href="/x" rel="nofollow noopener">x</a>`; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}
