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

// BenchmarkIngest measures one poll's worth of work (100 entries into two
// sections) against redis-server: "unchanged" is the common re-poll of an
// unchanged feed, "fresh" a feed of 100 entries never seen before.
func BenchmarkIngest(b *testing.B) {
	st := store.New(storetest.NewClient(b, storetest.StartRedis(b)), "", discard())
	ctx := context.Background()
	src := source("a", "news", "all")
	secs := []model.Section{section("news", 200), section("all", 200)}

	b.Run("unchanged", func(b *testing.B) {
		batch := entries("a", 0, 100)
		if _, err := st.Ingest(ctx, src, secs, batch, t0); err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		for b.Loop() {
			res, err := st.Ingest(ctx, src, secs, batch, t0)
			if err != nil {
				b.Fatal(err)
			}
			if res.Unchanged != 100 {
				b.Fatalf("result %+v, want 100 unchanged", res)
			}
		}
	})
	b.Run("fresh", func(b *testing.B) {
		b.ReportAllocs()
		round := 0
		for b.Loop() {
			round++
			batch := make([]model.Entry, 100)
			for i := range batch {
				batch[i] = entry("a", fmt.Sprintf("f%d-%d", round, i), 1000+round*100+i)
			}
			res, err := st.Ingest(ctx, src, secs, batch, t0.Add(time.Duration(round)*time.Minute))
			if err != nil {
				b.Fatal(err)
			}
			if res.New != 100 {
				b.Fatalf("result %+v, want 100 new", res)
			}
		}
	})
}
