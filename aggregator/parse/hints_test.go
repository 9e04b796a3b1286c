package parse

import (
	"reflect"
	"testing"
	"time"
	"unicode/utf8"
)

func TestFeedWithHints(t *testing.T) {
	feed, h, err := FeedWithHints(fixture(t, "hints.rss"), FeedOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want := Hints{
		TTL:         90 * time.Minute,
		UpdateEvery: 6 * time.Hour,
		SkipHours:   []int{0, 1, 0},
		SkipDays:    []time.Weekday{time.Sunday, time.Saturday},
	}
	if !reflect.DeepEqual(h, want) {
		t.Errorf("hints = %+v, want %+v", h, want)
	}
	if len(feed.Items) != 1 || feed.Items[0].Image != nil {
		t.Errorf("items = %+v; want one item and no image from an HTML scan", feed.Items)
	}
}

// TestFeedWithHints_Reason pins the reasons operators read on the status
// page for bodies that are no feed; PageReason is the one the poller gives
// an HTML page at a URL that served a feed before.
func TestFeedWithHints_Reason(t *testing.T) {
	tests := []struct {
		name string
		body []byte
		want string
	}{
		{"empty", []byte("  \n"), "not a feed: empty body"},
		{"other XML", fixture(t, "plain.xml"), "not a feed: XML with root <urlset>"},
		{"JSON", []byte(`{"status": "ok"}`), "not a feed: JSON that is not a JSON Feed"},
		{"text", []byte("Service temporarily unavailable, please come back later"), `not a feed: starts with "Service temporarily unavailable, please …"`},
		{"truncated JSON Feed", fixture(t, "truncated.json"), "parse error at line 4: unexpected end of JSON input"},
		{"HTML page advertising nothing", fixture(t, "page.html"), NoFeedReason},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := FeedWithHints(tt.body, FeedOptions{})
			if err == nil {
				t.Fatal("parsed")
			}
			if got := err.Error(); got != tt.want {
				t.Errorf("reason = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestPageReason(t *testing.T) {
	tests := []struct {
		name string
		body []byte
		want string
	}{
		{"HTML page", fixture(t, "page.html"), `not a feed: HTML page: "学院新闻 & 通知"`},
		{"HTML without title", []byte("<!doctype html><html><body>hi</body></html>"), "not a feed: HTML page without a title"},
		{"login page", []byte("<html><head><title>Login</title></head></html>"), `not a feed: HTML page: "Login"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := PageReason(tt.body); got != tt.want {
				t.Errorf("reason = %q, want %q", got, tt.want)
			}
		})
	}
}

// FuzzDescribeBody: any body gets a short, valid UTF-8 description and
// never a panic.
func FuzzDescribeBody(f *testing.F) {
	f.Add([]byte("<html><title>x</title>"))
	f.Add([]byte("<?xml version='1.0'?><root/>"))
	f.Fuzz(func(t *testing.T, body []byte) {
		d := describeBody(body)
		if !utf8.ValidString(d) && utf8.Valid(body) {
			t.Errorf("description %q of valid UTF-8 is not UTF-8", d)
		}
		if len(d) > 400 {
			t.Errorf("description is %d bytes long", len(d))
		}
	})
}
