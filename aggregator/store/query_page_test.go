package store_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/aggregator/store"
)

// walkPages reads every page of q and returns the ids per page.
func walkPages(t *testing.T, st *store.Store, sectionID string, q model.PageQuery) [][]string {
	t.Helper()
	var pages [][]string
	for range 20 {
		page, err := st.SectionPage(context.Background(), sectionID, q)
		if err != nil {
			t.Fatalf("SectionPage(%+v): %v", q, err)
		}
		pages = append(pages, ids(page.Entries))
		if page.Next == nil {
			return pages
		}
		q.Before = page.Next
	}
	t.Fatal("paging did not end after 20 pages")
	return nil
}

func TestStore_SectionPage(t *testing.T) {
	forEachBackend(t, func(t *testing.T, st *store.Store, _ *recorder) {
		secs := []model.Section{section("s", 50, "a", "b"), section("other", 50, "c")}
		// b's entries share their timestamps with a's: ties order by id.
		mustIngest(t, st, source("a", "s"), secs[:1], entries("a", 0, 5), t0)
		mustIngest(t, st, source("b", "s"), secs[:1], entries("b", 0, 3), t0)
		mustIngest(t, st, source("c", "other"), secs[1:], entries("c", 0, 2), t0)

		tests := []struct {
			name string
			q    model.PageQuery
			want [][]string
		}{
			{"one page", model.PageQuery{Limit: 50}, [][]string{
				{"a-004", "a-003", "b-002", "a-002", "b-001", "a-001", "b-000", "a-000"}}},
			{"exact fit has no next page", model.PageQuery{Limit: 8}, [][]string{
				{"a-004", "a-003", "b-002", "a-002", "b-001", "a-001", "b-000", "a-000"}}},
			{"pages split ties", model.PageQuery{Limit: 3}, [][]string{
				{"a-004", "a-003", "b-002"}, {"a-002", "b-001", "a-001"}, {"b-000", "a-000"}}},
			{"one per page", model.PageQuery{Limit: 1}, [][]string{
				{"a-004"}, {"a-003"}, {"b-002"}, {"a-002"}, {"b-001"}, {"a-001"}, {"b-000"}, {"a-000"}}},
			{"source", model.PageQuery{Limit: 2, SourceID: "b"}, [][]string{{"b-002", "b-001"}, {"b-000"}}},
			{"source of another section", model.PageQuery{Limit: 2, SourceID: "c"}, [][]string{{}}},
			{"unknown source", model.PageQuery{Limit: 2, SourceID: "zz"}, [][]string{{}}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				assertEqual(t, "pages", walkPages(t, st, "s", tt.q), tt.want)
			})
		}
	})
}

func TestStore_SectionPageErrors(t *testing.T) {
	forEachBackend(t, func(t *testing.T, st *store.Store, _ *recorder) {
		if _, err := st.SectionPage(context.Background(), "s", model.PageQuery{Limit: 0}); err == nil {
			t.Error("limit 0: no error")
		}
	})
}

func TestStore_SectionMetas(t *testing.T) {
	forEachBackend(t, func(t *testing.T, st *store.Store, _ *recorder) {
		secs := []model.Section{section("s", 50, "a")}
		mustIngest(t, st, source("a", "s"), secs, entries("a", 0, 2), t0)
		got, err := st.SectionMetas(context.Background(), []string{"s", "never"})
		if err != nil {
			t.Fatal(err)
		}
		assertEqual(t, "s", got["s"], meta(t, st, "s"))
		assertEqual(t, "never", got["never"], model.SectionMeta{})
		if got["s"].Version == 0 {
			t.Error("version of an ingested section is 0")
		}
	})
}

// TestStore_SectionPageCursor: a cursor must name an entry of the section
// at its score, with or without a source filter; anything else is
// model.ErrUnknownCursor. The first page, which has no cursor, asks Redis
// nothing more for it.
func TestStore_SectionPageCursor(t *testing.T) {
	forEachBackend(t, func(t *testing.T, st *store.Store, rec *recorder) {
		secs := []model.Section{section("s", 50, "a", "b"), section("other", 50, "c")}
		mustIngest(t, st, source("a", "s"), secs[:1], entries("a", 0, 5), t0)
		mustIngest(t, st, source("b", "s"), secs[:1], entries("b", 0, 3), t0)
		mustIngest(t, st, source("c", "other"), secs[1:], entries("c", 0, 2), t0)
		ctx := context.Background()

		rec.reset()
		first, err := st.SectionPage(ctx, "s", model.PageQuery{Limit: 3})
		if err != nil || first.Next == nil {
			t.Fatalf("first page: next %v, err %v", first.Next, err)
		}
		if cmds := rec.reset(); slices.Contains(cmds, "zscore") {
			t.Errorf("the first page checked a cursor: %q", cmds)
		}
		known := *first.Next // b-002, at hour 2
		other, err := st.SectionPage(ctx, "other", model.PageQuery{Limit: 1})
		if err != nil || other.Next == nil {
			t.Fatalf("other section: next %v, err %v", other.Next, err)
		}

		tests := []struct {
			name   string
			source string
			before model.Cursor
			ok     bool
		}{
			{"from a next link", "", known, true},
			{"from a next link, filtered", "a", known, true},
			{"unknown id", "", model.Cursor{Score: known.Score, ID: "b-009"}, false},
			{"known id, another score", "", model.Cursor{Score: known.Score + 1, ID: known.ID}, false},
			{"known id, another score, filtered", "b", model.Cursor{Score: known.Score - 1, ID: known.ID}, false},
			{"entry of another section", "", *other.Next, false},
			{"entry of another section, filtered", "c", *other.Next, false},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				_, err := st.SectionPage(ctx, "s", model.PageQuery{Limit: 2, SourceID: tt.source, Before: &tt.before})
				if tt.ok && err != nil {
					t.Errorf("err %v, want a page", err)
				}
				if !tt.ok && !errors.Is(err, model.ErrUnknownCursor) {
					t.Errorf("err %v, want ErrUnknownCursor", err)
				}
			})
		}
	})
}
