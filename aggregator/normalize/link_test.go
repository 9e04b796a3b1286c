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
