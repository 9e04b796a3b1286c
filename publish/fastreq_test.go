package publish

import (
	"strings"
	"testing"
)

func TestParseFastRequest(t *testing.T) {
	const host = "Host: feeds.example.org\r\n"
	tests := []struct {
		name, raw string
		want      fastParse
		check     func(t *testing.T, r fastRequest)
	}{
		{name: "plain GET", raw: "GET /sections/news.rss HTTP/1.1\r\n" + host + "\r\n", want: fastOK,
			check: func(t *testing.T, r fastRequest) {
				if r.head || r.path != "/sections/news.rss" || r.rawQuery != "" {
					t.Errorf("req = %+v", r)
				}
			}},
		{name: "HEAD with query and validators", want: fastOK,
			raw: "HEAD /sections/news.atom?limit=5&source=ab HTTP/1.1\r\n" + host + "accept-encoding: br\r\nAccept-Encoding: gzip;q=0.5\r\n" +
				"If-None-Match: \"x\"\r\nIF-MODIFIED-SINCE: Sat, 17 Oct 2026 08:00:00 GMT\r\nConnection: keep-alive\r\nUser-Agent: 阅读器\r\n\r\n",
			check: func(t *testing.T, r fastRequest) {
				if !r.head || r.rawQuery != "limit=5&source=ab" || strings.Join(r.acceptEncoding, "|") != "br|gzip;q=0.5" ||
					r.ifNoneMatch[0] != `"x"` || r.ifModifiedSince != "Sat, 17 Oct 2026 08:00:00 GMT" {
					t.Errorf("req = %+v", r)
				}
			}},
		{name: "incomplete", raw: "GET /sections/news.rss HTTP/1.1\r\n" + host, want: fastIncomplete},
		{name: "bare LF", raw: "GET / HTTP/1.1\nHost: x\n\n", want: fastIncomplete},
		{name: "POST", raw: "POST /sections/news.rss HTTP/1.1\r\n" + host + "\r\n", want: fastDecline},
		{name: "lower-case method", raw: "get /sections/news.rss HTTP/1.1\r\n" + host + "\r\n", want: fastDecline},
		{name: "HTTP/1.0", raw: "GET /sections/news.rss HTTP/1.0\r\n" + host + "\r\n", want: fastDecline},
		{name: "HTTP/2 preface", raw: "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", want: fastDecline},
		{name: "no Host", raw: "GET /sections/news.rss HTTP/1.1\r\n\r\n", want: fastDecline},
		{name: "two Hosts", raw: "GET /sections/news.rss HTTP/1.1\r\n" + host + host + "\r\n", want: fastDecline},
		{name: "body announced", raw: "GET /sections/news.rss HTTP/1.1\r\n" + host + "Content-Length: 5\r\n\r\nhello", want: fastDecline},
		{name: "zero length still declined", raw: "GET /x HTTP/1.1\r\n" + host + "Content-Length: 0\r\n\r\n", want: fastDecline},
		{name: "chunked", raw: "GET /x HTTP/1.1\r\n" + host + "Transfer-Encoding: chunked\r\n\r\n", want: fastDecline},
		{name: "expect", raw: "GET /x HTTP/1.1\r\n" + host + "Expect: 100-continue\r\n\r\n", want: fastDecline},
		{name: "upgrade", raw: "GET /x HTTP/1.1\r\n" + host + "Upgrade: websocket\r\nConnection: Upgrade\r\n\r\n", want: fastDecline},
		{name: "connection close", raw: "GET /x HTTP/1.1\r\n" + host + "Connection: close\r\n\r\n", want: fastDecline},
		{name: "folded header", raw: "GET /x HTTP/1.1\r\n" + host + "X-A: b\r\n c\r\n\r\n", want: fastDecline},
		{name: "space before colon", raw: "GET /x HTTP/1.1\r\n" + host + "X-A : b\r\n\r\n", want: fastDecline},
		{name: "control character in value", raw: "GET /x HTTP/1.1\r\n" + host + "X-A: b\x00c\r\n\r\n", want: fastDecline},
		{name: "no colon", raw: "GET /x HTTP/1.1\r\n" + host + "garbage\r\n\r\n", want: fastDecline},
		{name: "absolute form", raw: "GET http://evil.example/sections/news.rss HTTP/1.1\r\n" + host + "\r\n", want: fastDecline},
		{name: "asterisk", raw: "OPTIONS * HTTP/1.1\r\n" + host + "\r\n", want: fastDecline},
		{name: "escaped path", raw: "GET /sections/news%2erss HTTP/1.1\r\n" + host + "\r\n", want: fastDecline},
		{name: "dot segment", raw: "GET /sections/../sections/news.rss HTTP/1.1\r\n" + host + "\r\n", want: fastDecline},
		{name: "double slash", raw: "GET //sections/news.rss HTTP/1.1\r\n" + host + "\r\n", want: fastDecline},
		{name: "fragment", raw: "GET /sections/news.rss#x HTTP/1.1\r\n" + host + "\r\n", want: fastDecline},
		{name: "non-ASCII target", raw: "GET /sections/新闻.rss HTTP/1.1\r\n" + host + "\r\n", want: fastDecline},
		{name: "extra space", raw: "GET  /sections/news.rss HTTP/1.1\r\n" + host + "\r\n", want: fastDecline},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var req fastRequest
			n, got := parseFastRequest([]byte(tt.raw), &req)
			if got != tt.want {
				t.Fatalf("parse = %v, want %v", got, tt.want)
			}
			if got == fastOK {
				if n != strings.Index(tt.raw, "\r\n\r\n")+4 {
					t.Errorf("head length %d", n)
				}
				if tt.check != nil {
					tt.check(t, req)
				}
			}
		})
	}
}

// FuzzParseFastRequest: whatever arrives, parsing neither panics nor
// claims more than it was given, and what it accepts is a GET or HEAD of
// a clean origin-form path.
func FuzzParseFastRequest(f *testing.F) {
	f.Add([]byte("GET /sections/news.rss?limit=5 HTTP/1.1\r\nHost: x\r\nAccept-Encoding: gzip\r\n\r\n"))
	f.Add([]byte("HEAD /api/v1/sections/news/entries HTTP/1.1\r\nHost: x\r\nIf-None-Match: \"a\", W/\"b\"\r\n\r\nGET / HTTP/1.1\r\n"))
	f.Add([]byte("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc"))
	f.Fuzz(func(t *testing.T, b []byte) {
		var req fastRequest
		n, res := parseFastRequest(b, &req)
		if n > len(b) {
			t.Fatalf("head length %d > %d", n, len(b))
		}
		if res != fastOK {
			return
		}
		if !strings.HasPrefix(req.path, "/") || strings.Contains(req.path, "//") || strings.Contains(req.path, "/.") ||
			strings.ContainsAny(req.path, "%# \r\n") {
			t.Fatalf("accepted path %q", req.path)
		}
	})
}
