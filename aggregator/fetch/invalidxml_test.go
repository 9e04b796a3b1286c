package fetch

import (
	"bytes"
	"testing"
	"unicode/utf8"
)

func TestStripInvalidXML(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		{"empty", "", ""},
		{"clean", "<t>资讯\t新闻\r\n𠮷 \x7f \u0085 \ufffd</t>", "<t>资讯\t新闻\r\n𠮷 \x7f \u0085 \ufffd</t>"},
		{"control characters", "a\x00b\x01c\x08d\x0be\x0cf\x1fg", "abcdefg"},
		{"noncharacters", "a\ufffeb\uffffc", "abc"},
		{"invalid utf-8", "a\xffb\xe5\xadc\xc0\xafd", "abcd"},
		{"surrogate", "a\xed\xa0\x80b", "ab"},
		{"truncated at end", "资讯\xe8\xb5", "资讯"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := StripInvalidXML([]byte(tt.in)); string(got) != tt.want {
				t.Errorf("StripInvalidXML(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestStripInvalidXML_noCopy(t *testing.T) {
	in := []byte("<rss>资讯</rss>")
	if out := StripInvalidXML(in); &out[0] != &in[0] {
		t.Error("clean input was copied")
	}
	dirty := []byte("a\x00b")
	StripInvalidXML(dirty)
	if string(dirty) != "a\x00b" {
		t.Errorf("input modified to %q", dirty)
	}
}

func FuzzStripInvalidXML(f *testing.F) {
	f.Add([]byte("a\x00b\ufffe\xff资讯"))
	f.Fuzz(func(t *testing.T, in []byte) {
		out := StripInvalidXML(in)
		if !utf8.Valid(out) || firstInvalidXML(out) >= 0 {
			t.Fatalf("StripInvalidXML(%q) = %q still invalid", in, out)
		}
		if again := StripInvalidXML(out); !bytes.Equal(again, out) {
			t.Fatalf("not idempotent: %q then %q", out, again)
		}
	})
}
