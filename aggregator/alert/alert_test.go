package alert

import (
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tributary-rss/tributary/aggregator/model"
)

// apply is what a poll with outcome does to a source's state, as the
// poller records it: "ok", "err" (a failure), "410" (gone), or "newok" and
// "newerr" (the first poll after the operator changed the URL of a gone
// source, which clears gone).
func apply(st model.SourceState, outcome string) model.SourceState {
	switch outcome {
	case "ok":
		st.ErrorsInRow, st.LastError, st.LastStatus = 0, "", 200
	case "err":
		st.ErrorsInRow, st.LastError, st.LastStatus = st.ErrorsInRow+1, "HTTP 500", 500
	case "410":
		st.ErrorsInRow, st.LastError, st.LastStatus, st.Gone = st.ErrorsInRow+1, "HTTP 410", 410, true
	case "newok", "newerr":
		st.Gone = false
		return apply(st, strings.TrimPrefix(outcome, "new"))
	}
	return st
}

func TestDecide(t *testing.T) {
	tests := []struct {
		name         string
		failingAfter int
		outcomes     string
		want         []string // "<poll index>:<event>"
	}{
		{"healthy", 3, "ok ok ok", nil},
		{"two failures are a blip", 3, "ok err err ok", nil},
		{"third failure in a row", 3, "ok err err err err err", []string{"3:failing"}},
		{"fails then recovers once", 3, "err err err err ok ok", []string{"2:failing", "4:recovered"}},
		{"fails twice", 3, "err err err ok err err err", []string{"2:failing", "3:recovered", "6:failing"}},
		{"failing after 1", 1, "ok err err ok", []string{"1:failing", "3:recovered"}},
		{"zero means the default", 0, "err err err", []string{"2:failing"}},
		{"gone at once", 3, "ok 410", []string{"1:gone"}},
		{"gone completing the streak is only gone", 3, "err err 410", []string{"2:gone"}},
		{"failing, then gone", 3, "err err err 410", []string{"2:failing", "3:gone"}},
		{"still gone on a requested poll", 3, "410 410 410", []string{"0:gone"}},
		{"gone, new URL works", 3, "410 newok", []string{"0:gone", "1:recovered"}},
		{"gone, new URL fails too", 3, "410 newerr err", []string{"0:gone", "2:failing"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var st model.SourceState
			var got []string
			for i, o := range strings.Fields(tt.outcomes) {
				next := apply(st, o)
				if kind, ok := Decide(st, next, tt.failingAfter); ok {
					got = append(got, strconv.Itoa(i)+":"+string(kind))
				}
				st = next
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("events %q, want %q", got, tt.want)
			}
		})
	}
}

func TestNewEvent(t *testing.T) {
	at := time.Date(2026, 12, 1, 8, 0, 0, 0, time.FixedZone("CST", 8*3600))
	src := model.Source{ID: "s1", URL: "https://user:hunter2@example.edu.cn/rss.php?key=abc123&cat=news#top", SectionIDs: []string{"news", "hot"}}
	prev := model.SourceState{ErrorsInRow: 3, LastError: `bad URL: parse "` + src.URL + `": oops`}
	next := model.SourceState{LastStatus: 200, LastAttempt: at, Title: "示例学院"}
	tests := []struct {
		name string
		kind Kind
		prev model.SourceState
		next model.SourceState
		want Event
	}{
		{"recovered", Recovered, prev, next, Event{Event: Recovered, ErrorsInRow: 0, LastStatus: 200,
			LastError: `bad URL: parse "https://example.edu.cn/rss.php": oops`}},
		{"failing", Failing, model.SourceState{}, model.SourceState{ErrorsInRow: 3, LastStatus: 500, LastError: "timeout with key=abc123&cat=news and hunter2", LastAttempt: at, Title: "示例学院"},
			Event{Event: Failing, ErrorsInRow: 3, LastStatus: 500, LastError: "timeout with redacted and redacted"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := NewEvent(tt.kind, src, tt.prev, tt.next, "host-1")
			tt.want.Source = Source{ID: "s1", Title: "示例学院", URL: "https://example.edu.cn/rss.php", Sections: []string{"news", "hot"}}
			tt.want.Time = at.UTC()
			tt.want.Instance = "host-1"
			if got.Event != tt.want.Event || got.ErrorsInRow != tt.want.ErrorsInRow || got.LastStatus != tt.want.LastStatus ||
				got.LastError != tt.want.LastError || !got.Time.Equal(tt.want.Time) || got.Time.Location() != time.UTC ||
				got.Instance != tt.want.Instance || got.Source.URL != tt.want.Source.URL || got.Source.Title != tt.want.Source.Title ||
				!slices.Equal(got.Source.Sections, tt.want.Source.Sections) {
				t.Errorf("event\n%+v\nwant\n%+v", got, tt.want)
			}
		})
	}
}

func TestRedactURL(t *testing.T) {
	tests := []struct{ in, want string }{
		{"https://example.org/feed.xml", "https://example.org/feed.xml"},
		{"https://u:p@example.org:8443/a/b?token=x&y=1#frag", "https://example.org:8443/a/b"},
		{"http://example.org/%E6%96%B0%E9%97%BB/rss", "http://example.org/%E6%96%B0%E9%97%BB/rss"},
		{"not a url", ""},
		{"://bad", ""},
	}
	for _, tt := range tests {
		if got := RedactURL(tt.in); got != tt.want {
			t.Errorf("RedactURL(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestScrubURL: an error text that quotes the source's credentials in
// another arrangement than the configured URL (a redirect that reorders
// the query, a user-only token, a path parameter) loses them too.
func TestScrubURL(t *testing.T) {
	tests := []struct{ name, text, raw, want string }{
		{"the URL as configured", `Get "https://u:pw12@e.org/f?key=abc123&x=1": EOF`, "https://u:pw12@e.org/f?key=abc123&x=1",
			`Get "https://e.org/f": EOF`},
		{"a reordered query", `Get "https://cdn.e.org/f?x=1&access_key=abc123&private_token=tok456": 403`,
			"https://e.org/f?private_token=tok456&access_key=abc123&x=1",
			`Get "https://cdn.e.org/f?x=1&access_key=redacted&private_token=redacted": 403`},
		{"a double-encoded name", `redirected to /f?%2574oken=abc123`, "https://e.org/f?%2574oken=abc123&x=1",
			`redirected to /f?%2574oken=redacted`},
		{"a user-only token", `Get "https://ghp_TOKEN123@cdn.e.org/f": 401`, "https://ghp_TOKEN123@e.org/f",
			`Get "https://cdn.e.org/f": 401`},
		{"a path parameter", `Get "https://e.org/f;jsessionid=SESS99": 500`, "https://e.org/f;jsessionid=SESS99",
			`Get "https://e.org/f": 500`},
		{"an ordinary value stays", `Get "https://e.org/f?cat=news": 500`, "https://e.org/f?cat=news", `Get "https://e.org/f": 500`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := scrubURL(tt.text, tt.raw); got != tt.want {
				t.Errorf("scrubURL(%q) =\n%q, want\n%q", tt.text, got, tt.want)
			}
		})
	}
}
