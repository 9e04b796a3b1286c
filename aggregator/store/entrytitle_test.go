package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/aggregator/store"
	"github.com/tributary-rss/tributary/aggregator/store/console"
)

// TestStore_EntryTitle names a stored entry, hidden or not, and reports
// an entry not stored; an audit record keeps the title it is given.
func TestStore_EntryTitle(t *testing.T) {
	forEachBackend(t, func(t *testing.T, st *store.Store, _ *recorder) {
		ctx := context.Background()
		t0 := time.Date(2026, 11, 17, 8, 0, 0, 0, time.UTC)
		e := entry("a", "1", 1)
		e.Title = "关于2025年清明节放假安排的通知"
		mustIngest(t, st, source("a", "news"), []model.Section{section("news", 10, "a")}, []model.Entry{e}, t0)
		if err := st.Hide(ctx, "news", e.ID, t0); err != nil {
			t.Fatal(err)
		}
		tests := []struct {
			id, title string
			found     bool
		}{
			{e.ID, e.Title, true},
			{"00000000000000ff", "", false},
		}
		for _, tt := range tests {
			title, found, err := st.EntryTitle(ctx, tt.id)
			if err != nil || title != tt.title || found != tt.found {
				t.Errorf("EntryTitle(%s) = %q, %v, %v; want %q, %v", tt.id, title, found, err, tt.title, tt.found)
			}
		}
		audit := console.New(st.Client(), st.Keys(), nil)
		if err := audit.Audit(ctx, model.AuditRecord{Time: t0, Action: "entry.hide", Target: "news/" + e.ID, Title: e.Title}); err != nil {
			t.Fatal(err)
		}
		recs, err := audit.AuditLog(ctx, 1)
		if err != nil || len(recs) != 1 || recs[0].Title != e.Title {
			t.Errorf("audit log %+v, %v; want the title kept", recs, err)
		}
	})
}
