package normalize

import "testing"

func TestResolveWeb(t *testing.T) {
	base := parseBase("https://news.example.edu.cn/info/1021/5566.htm")
	tests := []struct {
		name string
		base bool
		ref  string
		want string
	}{
		{"absolute kept as given", true, "https://Other.Example/新闻/1.html?a=1&b=%E4", "https://Other.Example/新闻/1.html?a=1&b=%E4"},
		{"root relative", true, "/a/b.htm", "https://news.example.edu.cn/a/b.htm"},
		{"path relative", true, "../1022/1.htm", "https://news.example.edu.cn/info/1022/1.htm"},
		{"protocol relative", true, "//cdn.example.cn/x.jpg", "https://cdn.example.cn/x.jpg"},
		{"spaces escaped", true, " /upload/my photo.jpg?q=a b ", "https://news.example.edu.cn/upload/my%20photo.jpg?q=a%20b"},
		{"quotes and space escaped", true, `http://example.org/a"b c`, "http://example.org/a%22b%20c"},
		{"relative with quotes", true, `/a"b'c`, "https://news.example.edu.cn/a%22b%27c"},
		{"bad escape kept as text", true, "http://example.org/100%/x%2", "http://example.org/100%25/x%252"},
		{"markup escaped", true, `http://example.org/?q=<script>`, "http://example.org/?q=%3Cscript%3E"},
		{"javascript refused", true, "javascript:alert(1)", ""},
		{"data refused", true, "data:image/png;base64,AAAA", ""},
		{"mailto refused", true, "mailto:a@example.cn", ""},
		{"relative without base", false, "/a/b.htm", ""},
		{"absolute without base", false, "http://a.example/x", "http://a.example/x"},
		{"empty", true, "  ", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := base
			if !tt.base {
				b = nil
			}
			if got := resolveWeb(b, tt.ref); got != tt.want {
				t.Errorf("resolveWeb(%q) = %q, want %q", tt.ref, got, tt.want)
			}
		})
	}
}

func TestEscapeURL(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"valid unchanged", "https://e.example/a/b?c=d&e=%E4%B8%AD#f", "https://e.example/a/b?c=d&e=%E4%B8%AD#f"},
		{"IRI unchanged", "https://e.example/新闻/1.html?q=中", "https://e.example/新闻/1.html?q=中"},
		{"space and quotes", `https://e.example/a b"c'd`, "https://e.example/a%20b%22c%27d"},
		{"brackets and pipes", "https://e.example/<a>{b}|c^d`e\\f", "https://e.example/%3Ca%3E%7Bb%7D%7Cc%5Ed%60e%5Cf"},
		{"controls", "https://e.example/a\tb\nc\x7f", "https://e.example/a%09b%0Ac%7F"},
		{"lone percent", "https://e.example/50%/%zz/%4", "https://e.example/50%25/%25zz/%254"},
		{"second hash", "https://e.example/a#b#c", "https://e.example/a#b%23c"},
		{"IPv6 host kept", "http://[::1]:8080/a", "http://[::1]:8080/a"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := escapeURL(tt.in)
			if got != tt.want {
				t.Errorf("escapeURL(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if again := escapeURL(got); again != got {
				t.Errorf("escapeURL is not idempotent: %q → %q", got, again)
			}
		})
	}
}
