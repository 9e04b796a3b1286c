package publish

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/tributary-rss/tributary/aggregator/model"
)

// TestSetSections_PinsInFeeds: a reload that turns a section's
// pins_in_feeds on or off changes its cached feeds at once, like any other
// setting its feeds depend on.
func TestSetSections_PinsInFeeds(t *testing.T) {
	ctx := context.Background()
	clk := &clock{t: time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)}
	st, s, get := moderatedServer(t, false, clk)
	if err := st.Pin(ctx, "news", "e2", time.Time{}, clk.now()); err != nil {
		t.Fatal(err)
	}
	dated := []string{"e6", "e5", "e4", "e3", "e2", "e1"}
	pinned := []string{"e2", "e6", "e5", "e4", "e3", "e1"}
	sec := s.cat().sections["news"]
	for _, step := range []struct {
		inFeeds bool
		want    []string
	}{{false, dated}, {true, pinned}, {false, dated}} {
		sec.PinsInFeeds = step.inFeeds
		if err := s.SetSections([]model.Section{sec}, nil); err != nil {
			t.Fatal(err)
		}
		for _, path := range []string{"/sections/news.rss", "/sections/news.atom", "/sections/news.json"} {
			if _, body := get(path); !reflect.DeepEqual(order(formatRSS, body), step.want) {
				t.Errorf("pins_in_feeds=%t: %s order %v, want %v", step.inFeeds, path, order(formatRSS, body), step.want)
			}
		}
	}
}
