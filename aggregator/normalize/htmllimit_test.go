package normalize

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

func TestLimitHTML(t *testing.T) {
	tests := []struct {
		name            string
		in              string
		depth, maxBytes int
		want            string
	}{
		{"within limits: unchanged", `<p>a<p>b`, 2, 100, `<p>a<p>b`},
		{"deep elements flattened, text kept", `<div><div><div><b>x</b></div></div>y</div>z`, 2, 100,
			`<div><div>x</div>y</div>z`},
		{"deep void elements kept", `<p><b><i>a<br/>b</i></b></p>`, 2, 100, `<p><b>a<br/>b</b></p>`},
		{"cut between elements", `<p>one</p><p>two</p><p>three</p>`, 10, 24, `<p>one</p><p>two</p>…`},
		{"cut inside text, elements closed", `<ul><li>one two three four</li></ul>`, 10, 30, `<ul><li>one two t…</li></ul>`},
		{"cut after an entity", `<p>a &amp; b &amp; c</p>`, 10, 19, `<p>a &amp; b…</p>`},
		{"cut never splits an entity", `<p>a &amp; b &amp; c</p>`, 10, 15, `<p>a…</p>`},
		{"cut never splits a character", `<p>新闻新闻新闻</p>`, 10, 17, `<p>新闻…</p>`},
		{"cut before a tag that does not fit", `<p>a</p><img src="https://x.example/very/long/name.png"/>`, 10, 30, `<p>a</p>…`},
		{"paragraph closed by a block", strings.Repeat(`<p>x<div>y</div></p>`, 3), 10, 50,
			`<p>x</p><div>y</div><p>x</p><div>y</div><p>…</p>`},
		{"stray end tags dropped", `</b><p>a</i></p></p>` + strings.Repeat("x", 30), 10, 30, `<p>a</p>` + strings.Repeat("x", 19) + `…`},
		{"list item closed by the next", `<ul><li>a<li>b<li>c</ul><p>` + strings.Repeat("x", 40) + `</p>`, 5, 40,
			`<ul><li>a</li><li>b</li>…</ul>`},
		{"self-closed div is an empty div", `<div/>a<div/>b<div/>c<p>` + strings.Repeat("x", 30), 5, 30, `<div></div>a<div></div>b…`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := limitHTML(tt.in, tt.depth, tt.maxBytes)
			if got != tt.want {
				t.Errorf("limitHTML(%q, %d, %d)\n got %q\nwant %q", tt.in, tt.depth, tt.maxBytes, got, tt.want)
			}
			if len(got) > max(tt.maxBytes, len(tt.in)) {
				t.Errorf("%d bytes, want at most %d", len(got), tt.maxBytes)
			}
		})
	}
}

// FuzzLimitHTML checks the promises of limitHTML on whatever the
// sanitizer lets through: the result fits, nests no deeper than asked
// and, when a limit applied, is well-formed.
func FuzzLimitHTML(f *testing.F) {
	for _, seed := range []string{
		"<p>a<p>b", "<div><div><div>x</div></div></div>", "<ul><li>a<li>b</ul>", "<p>a &amp; b</p>",
		"<table><tr><td>a<td>b<tr><td>c</table>", "新闻<br/>新闻", "</b></i>x<div/>",
	} {
		f.Add(seed, uint8(2), uint16(20))
	}
	n := New(Options{})
	f.Fuzz(func(t *testing.T, in string, depth uint8, maxBytes uint16) {
		in = n.policy.Sanitize(in)
		d, size := int(depth%8)+1, int(maxBytes)+len(ellipsis)
		out := limitHTML(in, d, size)
		if out == in {
			return
		}
		if len(out) > size {
			t.Fatalf("limitHTML(%q, %d, %d) = %q: %d bytes", in, d, size, out, len(out))
		}
		got, err := wellFormed(out)
		if err != nil || got > d {
			t.Fatalf("limitHTML(%q, %d, %d) = %q: depth %d, %v", in, d, size, out, got, err)
		}
	})
}

// wellFormed tokenizes s and returns its deepest nesting, or an error
// unless every end tag closes the innermost open element and every
// element is closed by the end.
func wellFormed(s string) (int, error) {
	z := html.NewTokenizer(strings.NewReader(s))
	var stack []string
	depth := 0
	for {
		switch z.Next() {
		case html.ErrorToken:
			if !errors.Is(z.Err(), io.EOF) {
				return depth, z.Err()
			}
			if len(stack) > 0 {
				return depth, fmt.Errorf("%d elements left open: %v", len(stack), stack[max(0, len(stack)-3):])
			}
			return depth, nil
		case html.StartTagToken:
			name, _ := z.TagName()
			if !isVoid(string(name)) {
				stack = append(stack, string(name))
				depth = max(depth, len(stack))
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			if len(stack) == 0 || stack[len(stack)-1] != string(name) {
				return depth, fmt.Errorf("</%s> does not close the innermost open element (open: %v)", name, stack[max(0, len(stack)-3):])
			}
			stack = stack[:len(stack)-1]
		}
	}
}
