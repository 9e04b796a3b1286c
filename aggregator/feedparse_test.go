package aggregator

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"
	"unicode/utf8"
)

func fixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestParseFeed_Hints(t *testing.T) {
	feed, h, err := parseFeed(fixture(t, "hints.rss"))
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

func TestParseFeed_Reason(t *testing.T) {
	tests := []struct {
		name string
		body []byte
		want string
	}{
		{"HTML page", fixture(t, "page.html"), `not a feed: HTML page: "学院新闻 & 通知"`},
		{"HTML without title", []byte("<!doctype html><html><body>hi</body></html>"), "not a feed: HTML page without a title"},
		{"empty", []byte("  \n"), "not a feed: empty body"},
		{"other XML", fixture(t, "plain.xml"), "not a feed: XML with root <urlset>"},
		{"JSON", []byte(`{"status": "ok"}`), "not a feed: JSON that is not a JSON Feed"},
		{"text", []byte("Service temporarily unavailable, please come back later"), `not a feed: starts with "Service temporarily unavailable, please …"`},
		{"truncated JSON Feed", fixture(t, "truncated.json"), "parse error at line 4: unexpected end of JSON input"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := parseFeed(tt.body)
			if err == nil {
				t.Fatal("parsed")
			}
			if got := Reason(err); got != tt.want {
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
