package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/aggregator/store"
	"github.com/tributary-rss/tributary/aggregator/store/storetest"
)

// TestStore_SwapDateIssues: each parsed poll's date issues replace the
// last ones whole, the swap returns the last ones (the poll logs on a
// change), a poll without any removes the record, and /status reads them
// with the source's state, on every backend.
func TestStore_SwapDateIssues(t *testing.T) {
	t1, t2 := t0.Add(time.Hour), t0.Add(2*time.Hour)
	both := model.DateIssues{Undated: 2, Future: 1, Example: "发布时间：明天", Last: t1}
	undatedOnly := model.DateIssues{Undated: 1, Last: t2}
	steps := []struct {
		name     string
		swap     model.DateIssues
		wantPrev model.DateIssues
	}{
		{"none on a new source", model.DateIssues{}, model.DateIssues{}},
		{"first issues", both, model.DateIssues{}},
		{"fewer issues replace them whole", undatedOnly, both},
		{"the same again", undatedOnly, undatedOnly},
		{"cleared", model.DateIssues{Last: t2}, undatedOnly},
		{"still clear", model.DateIssues{}, model.DateIssues{}},
	}
	for _, b := range append(storetest.Backends(), storetest.ClusterBackend()) {
		t.Run(b.Name, func(t *testing.T) {
			ctx := context.Background()
			client := b.Start(t)
			st := store.New(client, "", discard())
			key := st.Keys().SourceDateIssues("s1")
			for _, step := range steps {
				prev, err := st.SwapDateIssues(ctx, "s1", step.swap)
				if err != nil {
					t.Fatalf("%s: %v", step.name, err)
				}
				assertEqual(t, step.name+": previous", prev, step.wantPrev)
				statuses, err := st.SourceStatuses(ctx, []model.Source{source("s1", "news"), source("s2", "news")})
				if err != nil {
					t.Fatalf("%s: %v", step.name, err)
				}
				want := step.swap
				if want.Undated == 0 && want.Future == 0 {
					want = model.DateIssues{}
				}
				assertEqual(t, step.name+": status", statuses[0].DateIssues, want)
				assertEqual(t, step.name+": other source", statuses[1].DateIssues, model.DateIssues{})
				n, err := client.Exists(ctx, key).Result()
				if err != nil {
					t.Fatal(err)
				}
				if exists := n == 1; exists != (want != model.DateIssues{}) {
					t.Errorf("%s: key %s exists = %v with issues %+v", step.name, key, exists, want)
				}
			}
		})
	}
}

// TestStore_SwapDateIssues_damaged: a field that does not parse reads as
// zero, the others as stored; it never fails the poll or the status.
func TestStore_SwapDateIssues_damaged(t *testing.T) {
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			ctx := context.Background()
			client := b.Start(t)
			st := store.New(client, "", discard())
			key := st.Keys().SourceDateIssues("s1")
			if err := client.HSet(ctx, key, "undated", "many", "future", "3", "example", "2099-01-01", "last", "yesterday").Err(); err != nil {
				t.Fatal(err)
			}
			prev, err := st.SwapDateIssues(ctx, "s1", model.DateIssues{})
			if err != nil {
				t.Fatal(err)
			}
			assertEqual(t, "previous", prev, model.DateIssues{Future: 3, Example: "2099-01-01"})
		})
	}
}

func TestKeys_SourceDateIssues(t *testing.T) {
	tests := []struct {
		prefix, want string
	}{
		{store.DefaultPrefix, "trib:source:s1:dateissues"},
		{"tx:", "tx:source:s1:dateissues"},
	}
	for _, tt := range tests {
		if got := (store.Keys{Prefix: tt.prefix}).SourceDateIssues("s1"); got != tt.want {
			t.Errorf("SourceDateIssues = %q, want %q", got, tt.want)
		}
	}
}
