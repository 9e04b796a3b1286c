package store_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/tributary-rss/tributary/aggregator/store"
)

func TestStore_AcquireLease(t *testing.T) {
	forEachBackend(t, func(t *testing.T, st *store.Store, _ *recorder) {
		ctx := context.Background()
		tok, ok, err := st.AcquireLease(ctx, "s1", time.Minute)
		if err != nil || !ok || tok == "" {
			t.Fatalf("first acquire = %q, %v, %v; want token, true, nil", tok, ok, err)
		}
		if _, ok, err := st.AcquireLease(ctx, "s1", time.Minute); err != nil || ok {
			t.Fatalf("second acquire = %v, %v; want false, nil", ok, err)
		}
		if _, ok, err := st.AcquireLease(ctx, "s2", time.Minute); err != nil || !ok {
			t.Fatalf("other source acquire = %v, %v; want true, nil", ok, err)
		}
		pttl, err := st.Client().PTTL(ctx, st.Keys().SourceLock("s1")).Result()
		if err != nil || pttl <= 0 || pttl > time.Minute {
			t.Errorf("lease PTTL = %v, %v; want in (0, 1m]", pttl, err)
		}
		if _, _, err := st.AcquireLease(ctx, "s3", 0); err == nil {
			t.Error("acquire with ttl 0 succeeded; want error (it would never expire)")
		}
	})
}

func TestStore_ReleaseLease(t *testing.T) {
	forEachBackend(t, func(t *testing.T, st *store.Store, _ *recorder) {
		ctx := context.Background()
		tok, _, err := st.AcquireLease(ctx, "s1", time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		if err := st.ReleaseLease(ctx, "s1", "not-the-token"); !errors.Is(err, store.ErrLeaseLost) {
			t.Fatalf("release by non-owner = %v, want ErrLeaseLost", err)
		}
		if _, ok, _ := st.AcquireLease(ctx, "s1", time.Minute); ok {
			t.Fatal("non-owner release freed the lease")
		}
		if err := st.ReleaseLease(ctx, "s1", tok); err != nil {
			t.Fatalf("release by owner = %v", err)
		}
		if err := st.ReleaseLease(ctx, "s1", tok); !errors.Is(err, store.ErrLeaseLost) {
			t.Fatalf("second release = %v, want ErrLeaseLost", err)
		}
		if _, ok, err := st.AcquireLease(ctx, "s1", time.Minute); err != nil || !ok {
			t.Fatalf("acquire after release = %v, %v; want true, nil", ok, err)
		}
	})
}

// TestStore_AcquireLease_Expires proves leases expire in real time on every
// backend (miniredis needs ClockTTL for that).
func TestStore_AcquireLease_Expires(t *testing.T) {
	forEachBackend(t, func(t *testing.T, st *store.Store, _ *recorder) {
		ctx := context.Background()
		if _, ok, err := st.AcquireLease(ctx, "s1", 30*time.Millisecond); err != nil || !ok {
			t.Fatalf("acquire = %v, %v", ok, err)
		}
		deadline := time.Now().Add(5 * time.Second)
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		for {
			_, ok, err := st.AcquireLease(ctx, "s1", time.Minute)
			if err != nil {
				t.Fatal(err)
			}
			if ok {
				return
			}
			if time.Now().After(deadline) {
				t.Fatal("lease did not expire within 5s")
			}
			<-tick.C
		}
	})
}

// TestStore_ClearLeases takes leases on enough sources that a Cluster
// spreads them over every master: SCAN through a ClusterClient would see
// one node's share only. Keys that are not leases stay.
func TestStore_ClearLeases(t *testing.T) {
	forEachBackend(t, func(t *testing.T, st *store.Store, _ *recorder) {
		ctx := context.Background()
		const leases = 40
		for i := range leases {
			if _, ok, err := st.AcquireLease(ctx, fmt.Sprintf("src-%02d", i), time.Hour); err != nil || !ok {
				t.Fatalf("acquire src-%02d = %v, %v", i, ok, err)
			}
		}
		if err := st.Client().Set(ctx, st.Keys().Entry("keep"), "{}", 0).Err(); err != nil {
			t.Fatal(err)
		}
		n, err := st.ClearLeases(ctx)
		if err != nil || n != leases {
			t.Fatalf("ClearLeases = %d, %v; want %d, nil", n, err, leases)
		}
		for i := range leases {
			if _, ok, err := st.AcquireLease(ctx, fmt.Sprintf("src-%02d", i), time.Hour); err != nil || !ok {
				t.Errorf("acquire src-%02d after clearing = %v, %v; want true", i, ok, err)
			}
		}
		if err := st.Client().Get(ctx, st.Keys().Entry("keep")).Err(); err != nil {
			t.Errorf("entry key after ClearLeases: %v", err)
		}
		if n, err := st.ClearLeases(ctx); err != nil || n != leases {
			t.Errorf("second ClearLeases = %d, %v; want %d, nil", n, err, leases)
		}
	})
}
