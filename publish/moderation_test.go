package publish

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/aggregator/store"
	"github.com/tributary-rss/tributary/aggregator/store/storetest"
)

// The store shows pins to the server.
var _ PinReader = (*store.Store)(nil)

func pinEntry(id, src string, hour int) model.Entry {
	pub := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(hour) * time.Hour)
	return model.Entry{ID: id, SourceID: src, Title: "title " + id, Link: "https://example.org/" + id, Published: pub, Updated: pub}
}

func entryIDs(es []model.Entry) []string {
	out := []string{}
	for _, e := range es {
		out = append(out, e.ID)
	}
	return out
}

func TestApplyPins(t *testing.T) {
	now := time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)
	// The date order: e5 newest … e1 oldest; the page read holds limit of
	// them and the cursor of the last.
	all := []model.Entry{pinEntry("e5", "a", 5), pinEntry("e4", "b", 4), pinEntry("e3", "a", 3), pinEntry("e2", "b", 2), pinEntry("e1", "a", 1)}
	page := func(n int) model.Page {
		p := model.Page{Entries: all[:min(n, len(all))]}
		if n < len(all) {
			last := all[n-1]
			p.Next = &model.Cursor{Score: last.Published.UnixMilli(), ID: last.ID}
		}
		return p
	}
	pin := func(e model.Entry, atMin int, until time.Time) model.ModeratedEntry {
		return model.ModeratedEntry{Entry: e, At: now.Add(time.Duration(-60+atMin) * time.Minute), Until: until}
	}
	cursor := func(e model.Entry) *model.Cursor { return &model.Cursor{Score: e.Published.UnixMilli(), ID: e.ID} }
	soon := now.Add(time.Hour)
	tests := []struct {
		name       string
		page       model.Page
		pins       []model.ModeratedEntry
		limit      int
		first      bool
		source     string
		want       []string
		wantPinned int
		wantNext   *model.Cursor
		expires    time.Time
	}{
		{"no pins", page(3), nil, 3, true, "", []string{"e5", "e4", "e3"}, 0, cursor(all[2]), time.Time{}},
		{"old entry pinned first", page(3), []model.ModeratedEntry{pin(all[4], 0, time.Time{})}, 3, true, "",
			[]string{"e1", "e5", "e4"}, 1, cursor(all[1]), time.Time{}},
		{"pinned entry on the page moves up", page(3), []model.ModeratedEntry{pin(all[1], 0, soon)}, 3, true, "",
			[]string{"e4", "e5", "e3"}, 1, cursor(all[2]), soon},
		{"most recently pinned first", page(4), []model.ModeratedEntry{pin(all[0], 9, time.Time{}), pin(all[3], 5, time.Time{})}, 4, true, "",
			[]string{"e5", "e2", "e4", "e3"}, 2, cursor(all[3]), time.Time{}},
		{"pins leave room for one dated entry", page(2), []model.ModeratedEntry{pin(all[4], 9, time.Time{}), pin(all[3], 5, time.Time{})}, 2, true, "",
			[]string{"e1", "e5"}, 1, cursor(all[0]), time.Time{}},
		{"limit 1: the pin alone", page(1), []model.ModeratedEntry{pin(all[4], 0, time.Time{})}, 1, true, "",
			[]string{"e1"}, 1, nil, time.Time{}},
		{"expired pin ignored", page(3), []model.ModeratedEntry{pin(all[4], 0, now)}, 3, true, "",
			[]string{"e5", "e4", "e3"}, 0, cursor(all[2]), time.Time{}},
		{"later page: pins left out, no pins first", model.Page{Entries: all[2:4], Next: cursor(all[3])},
			[]model.ModeratedEntry{pin(all[2], 0, time.Time{})}, 2, false, "", []string{"e2"}, 0, cursor(all[3]), time.Time{}},
		{"source filter keeps its own pins", page(3), []model.ModeratedEntry{pin(all[1], 9, time.Time{}), pin(all[4], 5, time.Time{})}, 3, true, "a",
			[]string{"e1", "e5", "e4"}, 1, cursor(all[1]), time.Time{}},
		{"first page all pins, more beyond", page(2), []model.ModeratedEntry{pin(all[0], 9, time.Time{}), pin(all[1], 5, time.Time{})}, 2, true, "",
			[]string{"e5", "e4"}, 1, cursor(all[1]), time.Time{}},
		{"whole section pinned", page(5), []model.ModeratedEntry{pin(all[0], 9, time.Time{}), pin(all[1], 8, time.Time{}),
			pin(all[2], 7, time.Time{}), pin(all[3], 6, time.Time{}), pin(all[4], 5, time.Time{})}, 5, true, "",
			[]string{"e5", "e4", "e3", "e2", "e1"}, 5, nil, time.Time{}},
		{"more pins than room: first page", page(3), []model.ModeratedEntry{pin(all[4], 9, time.Time{}), pin(all[3], 8, time.Time{}),
			pin(all[2], 7, time.Time{})}, 3, true, "", []string{"e1", "e2", "e5"}, 2, cursor(all[0]), time.Time{}},
		{"more pins than room: later page keeps the unshown pin", model.Page{Entries: all[1:4], Next: cursor(all[3])},
			[]model.ModeratedEntry{pin(all[4], 9, time.Time{}), pin(all[3], 8, time.Time{}), pin(all[2], 7, time.Time{})}, 3, false, "",
			[]string{"e4", "e3"}, 0, cursor(all[3]), time.Time{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := applyPins(tt.page, tt.pins, tt.limit, tt.first, tt.source, now)
			if ids := entryIDs(got.entries); !reflect.DeepEqual(ids, tt.want) {
				t.Errorf("entries = %v, want %v", ids, tt.want)
			}
			if got.pinned != tt.wantPinned {
				t.Errorf("pinned = %d, want %d", got.pinned, tt.wantPinned)
			}
			if !reflect.DeepEqual(got.next, tt.wantNext) {
				t.Errorf("next = %+v, want %+v", got.next, tt.wantNext)
			}
			if !got.expires.Equal(tt.expires) {
				t.Errorf("expires = %v, want %v", got.expires, tt.expires)
			}
			// Pins in force change a page's bytes, a later page's too
			// (they leave it).
			if wantTag := tt.wantPinned > 0 || !tt.first; (got.tag != "") != wantTag {
				t.Errorf("tag = %q with %d pinned", got.tag, got.pinned)
			}
		})
	}
}

// clock is a settable test clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

// moderatedServer serves section news (sources a and b, pins_in_feeds as
// given) from a real store holding e1…e6, e6 the newest.
func moderatedServer(t *testing.T, pinsInFeeds bool, clk *clock) (*store.Store, *Server, func(string) (*http.Response, []byte)) {
	t.Helper()
	st := store.New(storetest.StartEmbedded(t), "", nil)
	sec := model.Section{ID: "news", Title: "News", MaxItems: 50, SourceIDs: []string{"a", "b"}, PinsInFeeds: pinsInFeeds}
	for _, src := range []string{"a", "b"} {
		var es []model.Entry
		for i := 1; i <= 6; i++ {
			if (i%2 == 1) == (src == "a") {
				es = append(es, pinEntry(fmt.Sprintf("e%d", i), src, i))
			}
		}
		if _, err := st.Ingest(context.Background(), model.Source{ID: src, SectionIDs: []string{"news"}}, []model.Section{sec}, es, clk.now()); err != nil {
			t.Fatal(err)
		}
	}
	s := NewServer(st, Options{BaseURL: testBaseURL, Sections: []model.Section{sec}, Now: clk.now})
	ts := newHTTPTest(t, s)
	return st, s, func(path string) (*http.Response, []byte) {
		t.Helper()
		resp, body := get(t, ts, path)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %d %s", path, resp.StatusCode, body)
		}
		return resp, body
	}
}

// order returns the entry ids of a body in document order.
func order(f format, body []byte) []string {
	var out []string
	s := string(body)
	for {
		i := strings.Index(s, "https://example.org/e")
		if i < 0 {
			return out
		}
		s = s[i+len("https://example.org/"):]
		id := s[:strings.IndexAny(s, `"<&`)]
		if len(out) == 0 || out[len(out)-1] != id {
			out = append(out, id)
		}
	}
}

func apiPinned(t *testing.T, body []byte) map[string]bool {
	t.Helper()
	var doc struct {
		Entries []struct {
			ID     string `json:"id"`
			Pinned bool   `json:"pinned"`
		} `json:"entries"`
	}
	if err := json.Unmarshal(body, &doc); err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	for _, e := range doc.Entries {
		if e.Pinned {
			out[e.ID] = true
		}
	}
	return out
}

// TestServer_Moderation: pins come first on the page, the iframe and the
// API (and so the widget), not in the feeds unless pins_in_feeds; hidden
// entries are in none of them; a pin's expiry shows without any other
// change, under a new ETag.
func TestServer_Moderation(t *testing.T) {
	dated := []string{"e6", "e5", "e4", "e3", "e2", "e1"}
	pinned := []string{"e2", "e6", "e5", "e4", "e3", "e1"}
	paths := map[string]format{
		"/sections/news": formatHTML, "/embed/news.html": formatEmbed, "/api/v1/sections/news/entries": formatAPI,
		"/sections/news.rss": formatRSS, "/sections/news.atom": formatAtom, "/sections/news.json": formatJSON,
	}
	for _, inFeeds := range []bool{false, true} {
		t.Run(fmt.Sprintf("pins_in_feeds=%t", inFeeds), func(t *testing.T) {
			ctx := context.Background()
			clk := &clock{t: time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)}
			st, s, get := moderatedServer(t, inFeeds, clk)
			until := clk.now().Add(time.Hour)
			if err := st.Pin(ctx, "news", "e2", until, clk.now()); err != nil {
				t.Fatal(err)
			}
			if err := st.Hide(ctx, "news", "e3", clk.now()); err != nil {
				t.Fatal(err)
			}
			withoutE3 := func(ids []string) []string {
				var out []string
				for _, id := range ids {
					if id != "e3" {
						out = append(out, id)
					}
				}
				return out
			}
			etags := map[string]string{}
			for path, f := range paths {
				want := dated
				if showsPins(model.Section{PinsInFeeds: inFeeds}, f) {
					want = pinned
				}
				resp, body := get(path)
				if got := order(f, body); !reflect.DeepEqual(got, withoutE3(want)) {
					t.Errorf("%s: order %v, want %v", path, got, withoutE3(want))
				}
				etags[path] = resp.Header.Get("ETag")
				if _, body := get(path + "?source=a"); slices.Contains(order(f, body), "e3") {
					t.Errorf("%s?source=a shows the hidden entry: %v", path, order(f, body))
				}
			}
			if _, body := get("/api/v1/sections/news/entries"); !reflect.DeepEqual(apiPinned(t, body), map[string]bool{"e2": true}) {
				t.Errorf("API pinned marks = %v, want e2 only", apiPinned(t, body))
			}
			if _, body := get("/sections/news"); !strings.Contains(string(body), `<span class="pin">置顶</span>`) {
				t.Errorf("page has no pin marker:\n%s", body)
			}

			// The pin expires: no event, no version bump; the next
			// request renders without it, under another ETag.
			clk.set(until)
			for path, f := range paths {
				resp, body := get(path)
				if got := order(f, body); !reflect.DeepEqual(got, withoutE3(dated)) {
					t.Errorf("%s after expiry: order %v, want %v", path, got, withoutE3(dated))
				}
				if showsPins(model.Section{PinsInFeeds: inFeeds}, f) && resp.Header.Get("ETag") == etags[path] {
					t.Errorf("%s: ETag %s unchanged by the expiry", path, etags[path])
				}
			}

			// Unhide: back at its published place once the server sees
			// the new version.
			if err := st.Unhide(ctx, model.Section{ID: "news", MaxItems: 50}, "e3", clk.now()); err != nil {
				t.Fatal(err)
			}
			if err := s.Recheck(ctx); err != nil {
				t.Fatal(err)
			}
			if _, body := get("/sections/news.rss"); !reflect.DeepEqual(order(formatRSS, body), dated) {
				t.Errorf("RSS after unhide: %v, want %v", order(formatRSS, body), dated)
			}
		})
	}
}
