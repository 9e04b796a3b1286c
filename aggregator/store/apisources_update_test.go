package store_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/tributary-rss/tributary/aggregator/store"
)

func TestStore_UpdateAPISource(t *testing.T) {
	forEachBackend(t, func(t *testing.T, st *store.Store, _ *recorder) {
		ctx := context.Background()
		a := store.APISource{ID: "a", URL: "https://a.example/feed", Sections: []string{"news"}, AddedAt: t0}
		if _, err := st.AddAPISource(ctx, a); err != nil {
			t.Fatal(err)
		}
		got, err := st.UpdateAPISource(ctx, "a", func(rec *store.APISource) error {
			rec.Title, rec.Include, rec.UpdatedAt = "甲", []string{"通知"}, t0.Add(time.Hour)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		want := a
		want.Title, want.Include, want.UpdatedAt = "甲", []string{"通知"}, t0.Add(time.Hour)
		assertEqual(t, "returned", got, want)
		stored, err := st.APISources(ctx)
		if err != nil {
			t.Fatal(err)
		}
		assertEqual(t, "stored", stored, []store.APISource{want})

		if _, err := st.UpdateAPISource(ctx, "nope", func(*store.APISource) error { return nil }); !errors.Is(err, store.ErrNoAPISource) {
			t.Errorf("update of a missing source = %v, want ErrNoAPISource", err)
		}
		refused := errors.New("refused")
		if _, err := st.UpdateAPISource(ctx, "a", func(rec *store.APISource) error { rec.Title = "x"; return refused }); !errors.Is(err, refused) {
			t.Errorf("edit error = %v, want it passed through", err)
		}
		if stored, _ := st.APISources(ctx); stored[0].Title != "甲" {
			t.Errorf("a refused edit was stored: %+v", stored[0])
		}

		// Concurrent edits of one record all land: each retries on the
		// record another one changed.
		var wg sync.WaitGroup
		for i := range 4 {
			wg.Go(func() {
				if _, err := st.UpdateAPISource(ctx, "a", func(rec *store.APISource) error {
					rec.Sections = append(rec.Sections, fmt.Sprintf("s%d", i))
					return nil
				}); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		stored, _ = st.APISources(ctx)
		secs := slices.Sorted(slices.Values(stored[0].Sections))
		assertEqual(t, "sections after concurrent edits", secs, []string{"news", "s0", "s1", "s2", "s3"})
	})
}

func TestStore_ExtraSections(t *testing.T) {
	forEachBackend(t, func(t *testing.T, st *store.Store, _ *recorder) {
		ctx := context.Background()
		if err := st.SetExtraSections(ctx, "member-a", []string{"hot", "top"}); err != nil {
			t.Fatal(err)
		}
		if err := st.SetExtraSections(ctx, "member-b", []string{"hot"}); err != nil {
			t.Fatal(err)
		}
		if err := st.SetExtraSections(ctx, "member-b", nil); err != nil {
			t.Fatal(err)
		}
		got, err := st.ExtraSections(ctx)
		if err != nil {
			t.Fatal(err)
		}
		assertEqual(t, "extra sections", got, map[string][]string{"member-a": {"hot", "top"}})
	})
}
