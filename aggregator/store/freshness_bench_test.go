package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/aggregator/store"
	"github.com/tributary-rss/tributary/aggregator/store/storetest"
)

// BenchmarkFreshnessRead measures what the freshness report reads for
// 1,000 sources, each with a month of entries: their statuses (the state
// hash, with the newest entry and first success) and their daily counts,
// two pipelines whatever the number of entries, on redis-server and the
// embedded store.
func BenchmarkFreshnessRead(b *testing.B) {
	const n = 1000
	for _, be := range storetest.Backends() {
		b.Run(be.Name, func(b *testing.B) {
			st := store.New(be.Start(b), "", discard())
			ctx := context.Background()
			now := time.Date(2025, 3, 31, 2, 0, 0, 0, time.UTC)
			sources := make([]model.Source, n)
			ids := make([]string, n)
			secs := []model.Section{{ID: "schools", MaxItems: 50, Location: beijing}}
			for i := range sources {
				id := fmt.Sprintf("school-%04d", i)
				sources[i], ids[i] = source(id, "schools"), id
				var es []model.Entry
				for d := range 30 {
					es = append(es, dated(id, fmt.Sprintf("%s-%d", id, d), now.AddDate(0, 0, -d-i%20)))
				}
				if _, err := st.Ingest(ctx, sources[i], secs, es, now); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportAllocs()
			for b.Loop() {
				statuses, err := st.SourceStatuses(ctx, sources)
				if err != nil {
					b.Fatal(err)
				}
				acts, err := st.SourceActivity(ctx, ids)
				if err != nil || len(acts) != n || statuses[n-1].Freshness.LastEntry.IsZero() {
					b.Fatalf("read %d activities, err %v", len(acts), err)
				}
			}
		})
	}
}
