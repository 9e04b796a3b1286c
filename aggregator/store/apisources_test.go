package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/aggregator/store"
)

func TestStore_APISources(t *testing.T) {
	forEachBackend(t, func(t *testing.T, st *store.Store, _ *recorder) {
		ctx := context.Background()
		a := store.APISource{ID: "a", URL: "https://a.example/feed", Title: "甲", Sections: []string{"news"}, AddedAt: t0.Add(time.Minute)}
		b := store.APISource{ID: "b", URL: "https://b.example/feed", Sections: []string{"news", "hot"}, Schedule: "@every 5m",
			Timezone: "Asia/Shanghai", AddedAt: t0}
		for _, src := range []store.APISource{a, b} {
			added, err := st.AddAPISource(ctx, src)
			if err != nil || !added {
				t.Fatalf("AddAPISource(%s) = %v, %v", src.ID, added, err)
			}
		}
		// A second add under a taken id changes nothing.
		if added, err := st.AddAPISource(ctx, store.APISource{ID: "a", URL: "https://evil.example/"}); err != nil || added {
			t.Fatalf("AddAPISource(duplicate) = %v, %v; want false, nil", added, err)
		}
		// A record some other writer mangled does not hide the good ones.
		if err := st.Client().HSet(ctx, st.Keys().AdminSources(), "junk", "{not json").Err(); err != nil {
			t.Fatal(err)
		}
		got, err := st.APISources(ctx)
		if err != nil {
			t.Fatal(err)
		}
		assertEqual(t, "api sources (oldest first)", got, []store.APISource{b, a})

		if removed, err := st.RemoveAPISource(ctx, "b"); err != nil || !removed {
			t.Fatalf("RemoveAPISource(b) = %v, %v", removed, err)
		}
		if removed, err := st.RemoveAPISource(ctx, "b"); err != nil || removed {
			t.Fatalf("RemoveAPISource(b) again = %v, %v; want false", removed, err)
		}
		got, err = st.APISources(ctx)
		if err != nil {
			t.Fatal(err)
		}
		assertEqual(t, "after remove", got, []store.APISource{a})
	})
}

func TestStore_SubscribeAdmin(t *testing.T) {
	forEachBackend(t, func(t *testing.T, st *store.Store, _ *recorder) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		events := st.SubscribeAdmin(ctx)
		sectionEvents := st.Subscribe(ctx)
		for _, msg := range []string{"sources", "poll source a"} {
			if err := st.PublishAdmin(ctx, msg); err != nil {
				t.Fatal(err)
			}
			if got := receive(t, events); got != msg {
				t.Errorf("admin event = %q, want %q", got, msg)
			}
		}
		// A section change published after the admin events must be the
		// first thing the section channel carries: a leaked admin event
		// would arrive before it (one publisher, one order).
		secs := []model.Section{section("news", 10)}
		mustIngest(t, st, source("a", "news"), secs, entries("a", 0, 1), t0)
		if got := receive(t, sectionEvents); got != "news" {
			t.Errorf("admin event leaked onto the section channel: got %q before the section event", got)
		}
	})
}
