package console_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/aggregator/store"
	"github.com/tributary-rss/tributary/aggregator/store/console"
	"github.com/tributary-rss/tributary/aggregator/store/storetest"
)

func authFailure(client, via string, at time.Time) model.AuthFailure {
	return model.AuthFailure{Client: client, Via: via, Time: at}
}

func TestStore_AuthFailed(t *testing.T) {
	forEachBackend(t, func(t *testing.T, st *console.Store) {
		ctx := context.Background()
		t0 := time.Date(2026, 11, 17, 8, 0, 0, 0, time.UTC)
		vias := []string{"api", "console", "api", "metrics", "console", "operator"}
		for i, via := range vias {
			n, left, err := st.AuthFailed(ctx, authFailure("192.0.2.1", via, t0.Add(time.Duration(i)*time.Second)), time.Hour)
			if err != nil || n != i+1 || left <= 0 || left > time.Hour {
				t.Fatalf("failure %d: n = %d, left %v, err = %v", i+1, n, left, err)
			}
		}
		if n, _, err := st.AuthFailed(ctx, authFailure("2001:db8:1:2::/64", "api", t0), time.Hour); err != nil || n != 1 {
			t.Errorf("other client: n = %d, err = %v, want its own count 1", n, err)
		}
		// Reading the count does not add to it, and tells what is left
		// of the window; a client that never failed reads nothing.
		for range 2 {
			if n, left, err := st.AuthFailures(ctx, "192.0.2.1"); err != nil || n != 6 || left <= 0 || left > time.Hour {
				t.Errorf("AuthFailures = %d, %v, %v; want 6, within the hour", n, left, err)
			}
		}
		if n, left, err := st.AuthFailures(ctx, "203.0.113.7"); err != nil || n != 0 || left != 0 {
			t.Errorf("AuthFailures of a client without failures = %d, %v, %v", n, left, err)
		}
		// One aggregate record per client and window: the count, the
		// first and last failure, every surface it tried.
		recs, err := st.AuthFailureLog(ctx, 0)
		if err != nil {
			t.Fatal(err)
		}
		want := []model.AuditRecord{
			{Time: t0.Add(5 * time.Second), First: t0, Count: 6, Action: model.ActionAuthFailed, Client: "192.0.2.1",
				Via: "api,console,metrics,operator", Result: "wrong token"},
			{Time: t0, First: t0, Count: 1, Action: model.ActionAuthFailed, Client: "2001:db8:1:2::/64", Via: "api", Result: "wrong token"},
		}
		if fmt.Sprint(recs) != fmt.Sprint(want) {
			t.Errorf("AuthFailureLog:\n got %+v\nwant %+v", recs, want)
		}
		key := st.Keys().AuthFailures("192.0.2.1")
		// A count that lost its expiry gets one back with the next failure.
		st.Client().Persist(ctx, key)
		if _, _, err := st.AuthFailed(ctx, authFailure("192.0.2.1", "api", t0), time.Hour); err != nil {
			t.Fatal(err)
		}
		if ttl := st.Client().PTTL(ctx, key).Val(); ttl <= 0 || ttl > time.Hour {
			t.Errorf("count TTL after a lost expiry = %v, want one again", ttl)
		}
		// The window ends: the count starts again, in a new record.
		if _, _, err := st.AuthFailed(ctx, authFailure("198.51.100.9", "api", t0), 200*time.Millisecond); err != nil {
			t.Fatal(err)
		}
		deadline := time.Now().Add(10 * time.Second)
		for st.Client().Exists(ctx, st.Keys().AuthFailures("198.51.100.9")).Val() == 1 {
			if time.Now().After(deadline) {
				t.Fatal("failure count still there 10s after its window")
			}
			time.Sleep(50 * time.Millisecond)
		}
		if n, _, _ := st.AuthFailed(ctx, authFailure("198.51.100.9", "api", t0.Add(time.Minute)), time.Hour); n != 1 {
			t.Errorf("after the window: n = %d, want 1", n)
		}
		if recs, _ := st.AuthFailureLog(ctx, 0); len(recs) != 4 {
			t.Errorf("%d records after a second window, want 4: %+v", len(recs), recs)
		}
	})
}

func TestStore_AuthFailedRefused(t *testing.T) {
	forEachBackend(t, func(t *testing.T, st *console.Store) {
		ctx := context.Background()
		tests := []struct {
			name   string
			f      model.AuthFailure
			window time.Duration
		}{
			{"no client", authFailure("", "api", time.Now()), time.Hour},
			{"client with a space", authFailure("a b", "api", time.Now()), time.Hour},
			{"via with a comma", authFailure("192.0.2.1", "api,x", time.Now()), time.Hour},
			{"no window", authFailure("192.0.2.1", "api", time.Now()), 0},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				if _, _, err := st.AuthFailed(ctx, tt.f, tt.window); err == nil {
					t.Error("accepted")
				}
			})
		}
	})
}

// onRedisServer runs fn on a real redis-server only: for tests that
// write thousands of records through a script whose behaviour
// TestStore_AuthFailed checks on every backend (the embedded store runs
// scripts a few times slower).
func onRedisServer(t *testing.T, fn func(t *testing.T, st *console.Store)) {
	t.Helper()
	fn(t, console.New(storetest.NewClient(t, storetest.StartRedis(t)), store.Keys{Prefix: store.DefaultPrefix}, discard()))
}

// TestStore_AuthFailedKeepsAudit: 1,700 addresses failing 6 times each
// leave every real record of the audit log in place, and the failures'
// own log keeps one record per client and window.
func TestStore_AuthFailedKeepsAudit(t *testing.T) {
	onRedisServer(t, func(t *testing.T, st *console.Store) {
		ctx := context.Background()
		const clients, failures = 1700, 6
		t0 := time.Now().UTC().Truncate(time.Millisecond)
		real := []string{"source.add", "source.remove", "entry.hide", "session.signin"}
		for i, action := range real {
			rec := model.AuditRecord{Time: t0.Add(time.Duration(i) * time.Millisecond), Action: action, Target: "real", Client: "10.0.0.1", Via: "console", Result: "ok"}
			if err := st.Audit(ctx, rec); err != nil {
				t.Fatal(err)
			}
		}
		jobs := make(chan int)
		var wg sync.WaitGroup
		for range 8 {
			wg.Go(func() {
				for i := range jobs {
					client := fmt.Sprintf("10.%d.%d.%d", i>>16&255, i>>8&255, i&255)
					for j := range failures {
						if _, _, err := st.AuthFailed(ctx, authFailure(client, "console", t0.Add(time.Duration(j)*time.Second)), time.Hour); err != nil {
							t.Error(err)
							return
						}
					}
				}
			})
		}
		for i := range clients {
			jobs <- i + 1
		}
		close(jobs)
		wg.Wait()
		recs, err := st.AuditLog(ctx, 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(recs) != len(real) {
			t.Fatalf("audit log holds %d records, want the %d real ones", len(recs), len(real))
		}
		for i, rec := range recs {
			if want := real[len(real)-1-i]; rec.Action != want {
				t.Errorf("record %d: %s, want %s", i, rec.Action, want)
			}
		}
		fails, err := st.AuthFailureLog(ctx, 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(fails) != clients {
			t.Errorf("%d aggregate records, want one per client (%d)", len(fails), clients)
		}
		for _, f := range fails {
			if f.Count != failures {
				t.Fatalf("aggregate %+v: count %d, want %d", f, f.Count, failures)
			}
		}
	})
}

// TestStore_AuthFailLogCap: the failures' log keeps the newest
// AuthFailCap records, and their hash no more.
func TestStore_AuthFailLogCap(t *testing.T) {
	onRedisServer(t, func(t *testing.T, st *console.Store) {
		ctx := context.Background()
		t0 := time.Now().UTC().Truncate(time.Millisecond)
		pipe := make(chan int)
		var wg sync.WaitGroup
		for range 8 {
			wg.Go(func() {
				for i := range pipe {
					client := fmt.Sprintf("10.%d.%d.%d", i>>16&255, i>>8&255, i&255)
					if _, _, err := st.AuthFailed(ctx, authFailure(client, "api", t0.Add(time.Duration(i)*time.Millisecond)), time.Hour); err != nil {
						t.Error(err)
						return
					}
				}
			})
		}
		for i := range console.AuthFailCap + 10 {
			pipe <- i
		}
		close(pipe)
		wg.Wait()
		if n := st.Client().ZCard(ctx, st.Keys().AuthFailLog()).Val(); n != console.AuthFailCap {
			t.Errorf("log holds %d ids, want %d", n, console.AuthFailCap)
		}
		if n := st.Client().HLen(ctx, st.Keys().AuthFailRecords()).Val(); n != console.AuthFailCap {
			t.Errorf("records hash holds %d, want %d", n, console.AuthFailCap)
		}
		recs, err := st.AuthFailureLog(ctx, 3)
		if err != nil {
			t.Fatal(err)
		}
		if len(recs) != 3 || !recs[0].Time.Equal(t0.Add(time.Duration(console.AuthFailCap+9)*time.Millisecond)) {
			t.Errorf("newest records %+v", recs)
		}
	})
}
