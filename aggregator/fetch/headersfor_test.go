package fetch

import "testing"

// A source's headers (a key, a cookie) go to its own origin only, never to
// a feed or an article hosted elsewhere.
func TestHeadersFor(t *testing.T) {
	src := struct {
		URL     string
		Headers map[string]string
	}{URL: "https://www.example.edu.cn/xwzx/list.htm", Headers: map[string]string{"X-Api-Key": "k"}}
	tests := []struct {
		target string
		want   bool
	}{
		{"https://www.example.edu.cn/rss.xml", true},
		{"https://WWW.EXAMPLE.EDU.CN/info/1.htm", true},
		{"https://cdn.example.com/feed.xml", false},
		{"https://www.example.edu.cn:8443/feed.xml", false},
		{"https://www.example.edu.cn:443/feed.xml", true},
		// A key must not travel in clear text, even to the same host.
		{"http://www.example.edu.cn/feed.xml", false},
		{"https://mp.weixin.qq.com/s/abc", false},
		{"https://cdn.example.edu.cn/info/1.htm", false},
		{"::bad", false},
	}
	for _, tt := range tests {
		if got := HeadersFor(src.Headers, src.URL, tt.target) != nil; got != tt.want {
			t.Errorf("HeadersFor(%q) sent = %v, want %v", tt.target, got, tt.want)
		}
	}
	if HeadersFor(nil, src.URL, src.URL) != nil {
		t.Error("headers for a source that has none")
	}
}
