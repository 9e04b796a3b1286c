package publish

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"time"
)

// TestServer_IndexPins: the index lists a section's pinned entries first
// among its headlines, marked as the section page marks them, and goes
// back to the date order once a pin expires or is removed.
func TestServer_IndexPins(t *testing.T) {
	ctx := context.Background()
	clk := &clock{t: time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)}
	st, s, get := moderatedServer(t, false, clk)
	dated := []string{"e6", "e5", "e4", "e3", "e2"}
	if _, body := get("/"); !reflect.DeepEqual(order(formatHTML, body), dated) {
		t.Fatalf("index before any pin: %v, want %v", order(formatHTML, body), dated)
	}
	if err := st.Pin(ctx, "news", "e1", clk.now().Add(time.Hour), clk.now()); err != nil {
		t.Fatal(err)
	}
	// The daemon drops renders on the store's change events; the
	// expiry of a pin needs no event.
	s.Invalidate("news")
	tests := []struct {
		name   string
		step   func(t *testing.T)
		want   []string
		marked bool
	}{
		{"pinned", func(*testing.T) {}, []string{"e1", "e6", "e5", "e4", "e3"}, true},
		{"pin expired", func(*testing.T) { clk.set(clk.now().Add(2 * time.Hour)) }, dated, false},
		{"pinned again", func(t *testing.T) {
			if err := st.Pin(ctx, "news", "e3", time.Time{}, clk.now()); err != nil {
				t.Fatal(err)
			}
			s.Invalidate("news")
		}, []string{"e3", "e6", "e5", "e4", "e2"}, true},
		{"unpinned", func(t *testing.T) {
			if err := st.Unpin(ctx, "news", "e3", clk.now()); err != nil {
				t.Fatal(err)
			}
			s.Invalidate("news")
		}, dated, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.step(t)
			_, body := get("/")
			if got := order(formatHTML, body); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("index headlines %v, want %v", got, tt.want)
			}
			mark := `<li class="pinned"><a href="https://example.org/` + tt.want[0] + `"><span class="pin">置顶</span>title ` + tt.want[0] + `</a>`
			if got := strings.Contains(string(body), mark); got != tt.marked {
				t.Errorf("index shows the pin mark %t, want %t:\n%s", got, tt.marked, body)
			}
			if n := strings.Count(string(body), `class="pin"`); tt.marked && n != 1 {
				t.Errorf("%d pin marks, want 1", n)
			}
		})
	}
}
