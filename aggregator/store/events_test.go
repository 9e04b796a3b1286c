package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/aggregator/store"
)

func TestStore_Subscribe(t *testing.T) {
	forEachBackend(t, func(t *testing.T, st *store.Store, _ *recorder) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		events := st.Subscribe(ctx)

		secs := []model.Section{section("news", 10), section("all", 10)}
		mustIngest(t, st, source("a", "news", "all"), secs, entries("a", 0, 2), t0)
		got := []string{receive(t, events), receive(t, events)}
		assertEqual(t, "events", got, []string{"news", "all"})

		cancel()
		deadline := time.After(5 * time.Second)
		for {
			select {
			case _, ok := <-events:
				if !ok {
					return
				}
			case <-deadline:
				t.Fatal("channel not closed after cancel")
			}
		}
	})
}

func receive(t *testing.T, ch <-chan string) string {
	t.Helper()
	select {
	case id, ok := <-ch:
		if !ok {
			t.Fatal("events channel closed")
		}
		return id
	case <-time.After(5 * time.Second):
		t.Fatal("no event within 5s")
	}
	return ""
}
