package xsstest

import "testing"

// TestUnsafeHTML proves the checker catches what it must.
func TestUnsafeHTML(t *testing.T) {
	tests := []struct {
		in     string
		unsafe bool
	}{
		{`<p>ok <a href="https://e.example/" rel="nofollow noopener">x</a><img src="https://e.example/i.png"/></p>`, false},
		{`plain &lt;script&gt; text`, false},
		{`<SCRIPT>alert(1)</SCRIPT>`, true},
		{`<a href="JaVa&#x09;script:alert(1)">x</a>`, true},
		{`<a href="vbscript:msgbox(1)">x</a>`, true},
		{`<img src="data:text/html,x">`, true},
		{`<img src="data:image/svg+xml;base64,AAAA">`, true},
		{`<p onclick="x()">x</p>`, true},
		{`<p style="x">x</p>`, true},
		{`<svg></svg>`, true},
		{`<object data="x"></object>`, true},
		{`<a href="relative/path">x</a>`, true},
	}
	for _, tt := range tests {
		if got := UnsafeHTML(tt.in) != ""; got != tt.unsafe {
			t.Errorf("UnsafeHTML(%q) unsafe = %v, want %v", tt.in, got, tt.unsafe)
		}
	}
}

func TestFindMarkup(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"[rss #1] plain text, a < b > c", ""},
		{"AT&amp;T 2 &lt; 3", ""},
		{"x <img src=x> y", "<img src=x>"},
		{"x </title> y", "</title>"},
		{"x <!-- c --> y", "<!-- c -->"},
	}
	for _, tt := range tests {
		if got := FindMarkup(tt.in); got != tt.want {
			t.Errorf("FindMarkup(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestUnsafeURL(t *testing.T) {
	tests := []struct {
		in     string
		unsafe bool
	}{
		{"", false},
		{"https://e.example/a?b=<c>", false},
		{"HTTP://e.example/", false},
		{" javascript:alert(1)", true},
		{"java\tscript:alert(1)", true},
		{"data:text/html,x", true},
		{"/relative", true},
	}
	for _, tt := range tests {
		if got := UnsafeURL(tt.in) != ""; got != tt.unsafe {
			t.Errorf("UnsafeURL(%q) unsafe = %v, want %v", tt.in, got, tt.unsafe)
		}
	}
}
