package registry

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/aggregator/store"
	"github.com/tributary-rss/tributary/aggregator/store/storetest"
)

// TestRegistry_PollHistory reads a known source's polls from the store,
// newest first, and refuses an id it does not know with ErrNotFound.
func TestRegistry_PollHistory(t *testing.T) {
	st := store.New(storetest.NewClient(t, storetest.StartRedis(t)), "", nil)
	r, _ := newRegistry(t, st, Options{})
	ctx := context.Background()
	id := "member-a"
	at := time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)
	for i, result := range []string{"ok", "error", "not_modified"} {
		rec := model.PollRecord{Time: at.Add(time.Duration(i) * time.Minute), Result: result}
		if err := st.SavePoll(ctx, id, model.SourceState{}, model.SourceState{URL: "u"}, rec); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name, id string
		limit    int
		want     []string
		notFound bool
	}{
		{"all", id, 0, []string{"not_modified", "error", "ok"}, false},
		{"limit", id, 2, []string{"not_modified", "error"}, false},
		{"unknown source", "nope", 0, nil, true},
	}
	for _, tt := range tests {
		got, err := r.PollHistory(ctx, tt.id, tt.limit)
		if tt.notFound {
			if !errors.Is(err, model.ErrNotFound) {
				t.Errorf("%s: err = %v, want ErrNotFound", tt.name, err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		var results []string
		for _, rec := range got {
			results = append(results, rec.Result)
		}
		if !slices.Equal(results, tt.want) {
			t.Errorf("%s: results %v, want %v", tt.name, results, tt.want)
		}
	}
}
