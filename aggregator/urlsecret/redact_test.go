package urlsecret

import (
	"net/url"
	"strings"
	"testing"
)

func TestRedact(t *testing.T) {
	p := NewParams([]string{"sid2", "x-goog-*"})
	tests := []struct {
		name, in, want string
	}{
		{"nothing to remove keeps the spelling", "https://example.com/feed?b=2&a=%7e", "https://example.com/feed?b=2&a=%7e"},
		{"no query", "https://example.com/feed", "https://example.com/feed"},
		{"@ in the path stays", "https://medium.com/@writer/feed", "https://medium.com/@writer/feed"},
		{"empty", "", ""},
		{"userinfo", "https://user:pass@example.com/feed", "https://example.com/feed"},
		{"user only", "https://ghp_TOKEN@example.com/feed", "https://example.com/feed"},
		{"among others", "https://example.com/feed?api_key=SECRET&x=1", "https://example.com/feed?x=1"},
		{"last parameter", "https://example.com/feed?x=1&token=SECRET", "https://example.com/feed?x=1"},
		{"only parameter", "https://example.com/feed?token=SECRET", "https://example.com/feed"},
		{"key without value", "https://example.com/feed?key&x=1", "https://example.com/feed?x=1"},
		{"semicolon separator", "https://example.com/feed?x=1;key=SECRET;y=2", "https://example.com/feed?x=1;y=2"},
		{"separators kept as written", "https://example.com/feed?a=1;b=2&token=S&c=3", "https://example.com/feed?a=1;b=2&c=3"},
		{"the names the red team listed", "https://e.com/f?app_secret=1&appsecret=2&private_token=3&X-Amz-Signature=4" +
			"&access_key=5&pwd=6&appkey=7&ticket=8&token[]=9&%2574oken=10&keep=1", "https://e.com/f?keep=1"},
		{"double-encoded: no decoding of the output shows it", "https://e.com/f?%2574oken=abc", "https://e.com/f"},
		{"encoded brackets", "https://e.com/f?token%5B%5D=abc&x=1", "https://e.com/f?x=1"},
		{"presigned", "https://s3.example.com/f.xml?X-Amz-Algorithm=A&X-Amz-Credential=C&X-Amz-Date=D&X-Amz-Signature=S&v=1", "https://s3.example.com/f.xml?v=1"},
		{"configured exact", "https://example.com/feed?SID2=S&x=1", "https://example.com/feed?x=1"},
		{"configured prefix", "https://example.com/f?X-Goog-Date=D&x=1", "https://example.com/f?x=1"},
		{"an encoded separator in a name", "https://e.com/f?x%26token=S&y=1", "https://e.com/f?y=1"},
		{"a secret parameter inside a value", "https://e.com/f?next=%2Fcb%3Ftoken%3DS&y=1", "https://e.com/f?y=1"},
		{"a URL inside a value, encoded twice", "https://e.com/f?u=https%253A%252F%252Fo.example%252F%253Fkey%253DS&y=1", "https://e.com/f?y=1"},
		{"an ordinary value stays", "https://e.com/f?q=a%20b&t=%E4%B8%AD", "https://e.com/f?q=a%20b&t=%E4%B8%AD"},
		{"query-like fragment", "https://example.com/feed#access_token=SECRET&state=1", "https://example.com/feed#state=1"},
		{"plain fragment", "https://example.com/page#top", "https://example.com/page#top"},
		{"path parameter", "https://e.com/feed;jsessionid=S;v=1/rss?x=1", "https://e.com/feed;v=1/rss?x=1"},
		{"only path parameter", "https://e.com/app/feed;jsessionid=S", "https://e.com/app/feed"},
		{"ordinary path parameter", "https://e.com/feed;v=1", "https://e.com/feed;v=1"},
		{"unparseable is dropped", "https://user:pa ss@exa mple.com/%zz?token=S", ""},
		{"no scheme", "//user:pass@example.com/feed?key=S", "//example.com/feed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Redact(tt.in, p); got != tt.want {
				t.Errorf("Redact(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestParams_QueryValues(t *testing.T) {
	got := NewParams(nil).QueryValues("x=1&api_key=K1;%2574oken=K2&token[]&q=a")
	if strings.Join(got, ",") != "K1,K2," {
		t.Errorf("QueryValues = %q, want [K1 K2 \"\"]", got)
	}
}

// FuzzRedact checks what every public output relies on: the result of
// Redact holds no user:password@ and no parameter the rule calls secret,
// and redacting it again changes nothing.
func FuzzRedact(f *testing.F) {
	for _, s := range []string{
		"https://user:pass@e.com/f?token=1&x=2#a=1&key=2",
		"https://e.com/f;jsessionid=1/x?%2574oken=1",
		"https://e.com/f?next=%2F%3Fkey%3D1",
		"//u@e.com?a=1;sig=2",
	} {
		f.Add(s)
	}
	p := NewParams([]string{"custom*"})
	f.Fuzz(func(t *testing.T, raw string) {
		out := Redact(raw, p)
		if out == "" {
			return
		}
		if again := Redact(out, p); again != out {
			t.Fatalf("Redact(%q) = %q, and again %q", raw, out, again)
		}
		u, err := url.Parse(out)
		if err != nil {
			if out != raw {
				t.Fatalf("Redact(%q) = %q, which does not parse: %v", raw, out, err)
			}
			return
		}
		if u.User != nil {
			t.Fatalf("Redact(%q) = %q keeps its userinfo", raw, out)
		}
		params := u.RawQuery
		if strings.Contains(u.Fragment, "=") {
			params += "&" + u.EscapedFragment()
		}
		for _, seg := range strings.Split(u.EscapedPath(), "/") {
			if _, segParams, ok := strings.Cut(seg, ";"); ok {
				params += "&" + segParams
			}
		}
		for _, seg := range strings.FieldsFunc(params, isParamSep) {
			if p.secretSegment(seg) {
				t.Fatalf("Redact(%q) = %q keeps %q", raw, out, seg)
			}
		}
	})
}

// BenchmarkRedact is the cost a render pays per entry for its source URL.
func BenchmarkRedact(b *testing.B) {
	p := NewParams([]string{"my_tok"})
	for _, raw := range []string{
		"https://www.example.edu.cn/rss.xml",
		"https://user:pw@feeds.example.com/app/rss?api_key=K&cat=news&page=2&X-Amz-Signature=S",
	} {
		b.Run(raw[8:20], func(b *testing.B) {
			for b.Loop() {
				Redact(raw, p)
			}
		})
	}
}
