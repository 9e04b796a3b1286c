package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/aggregator/store"
)

// TestStore_SectionEntry: an entry is read through the section that shows
// it; one hidden there, another section's, or unknown is ErrNoEntry.
func TestStore_SectionEntry(t *testing.T) {
	forEachBackend(t, func(t *testing.T, st *store.Store, _ *recorder) {
		ctx := context.Background()
		news, sport := section("news", 10, "a"), section("sport", 10, "b")
		mustIngest(t, st, source("a", "news"), []model.Section{news}, []model.Entry{
			story("a", "a-1", 1, "运动会", "https://a.example/1"), story("a", "a-2", 2, "讲座", "https://a.example/2"),
		}, t0)
		mustIngest(t, st, source("b", "sport"), []model.Section{sport}, []model.Entry{story("b", "b-1", 1, "篮球赛", "https://b.example/1")}, t0)
		mustModerate(t, "Hide", st.Hide(ctx, "news", "a-2", t0.Add(time.Minute)))

		tests := []struct {
			name, section, id string
			wantTitle         string // empty: ErrNoEntry
		}{
			{"shown", "news", "a-1", "运动会"},
			{"other section's", "news", "b-1", ""},
			{"in its own section", "sport", "b-1", "篮球赛"},
			{"hidden", "news", "a-2", ""},
			{"unknown", "news", "a-9", ""},
			{"unknown section", "nowhere", "a-1", ""},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				e, err := st.SectionEntry(ctx, tt.section, tt.id)
				if tt.wantTitle == "" {
					if !errors.Is(err, model.ErrNoEntry) {
						t.Fatalf("SectionEntry(%s, %s) = %+v, %v; want ErrNoEntry", tt.section, tt.id, e, err)
					}
					return
				}
				if err != nil || e.ID != tt.id || e.Title != tt.wantTitle {
					t.Fatalf("SectionEntry(%s, %s) = %+v, %v; want %q", tt.section, tt.id, e, err, tt.wantTitle)
				}
			})
		}
	})
}

// TestStore_SectionEntryHeld: an entry held for review is not shown by
// its section until it is approved.
func TestStore_SectionEntryHeld(t *testing.T) {
	forEachBackend(t, func(t *testing.T, st *store.Store, _ *recorder) {
		ctx := context.Background()
		sec := section("news", 10, "a")
		sec.Review = true
		mustIngest(t, st, source("a", "news"), []model.Section{sec}, []model.Entry{story("a", "a-1", 1, "运动会", "https://a.example/1")}, t0)
		if e, err := st.SectionEntry(ctx, "news", "a-1"); !errors.Is(err, model.ErrNoEntry) {
			t.Fatalf("held entry: %+v, %v; want ErrNoEntry", e, err)
		}
		if _, err := st.Approve(ctx, sec, []string{"a-1"}, t0.Add(time.Minute)); err != nil {
			t.Fatal(err)
		}
		if e, err := st.SectionEntry(ctx, "news", "a-1"); err != nil || e.Title != "运动会" {
			t.Fatalf("approved entry: %+v, %v", e, err)
		}
	})
}
