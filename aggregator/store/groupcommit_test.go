package store_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/redis/go-redis/v9"
	"github.com/tributary-rss/tributary/aggregator/store"
	"github.com/tributary-rss/tributary/aggregator/store/storetest"
)

// Callers writing at once share pipelines, and each still gets exactly
// its own commands' replies: one caller's failing command fails no other
// caller, and every write lands.
func TestGroupCommit(t *testing.T) {
	ctx := context.Background()
	client := storetest.NewClient(t, storetest.StartRedis(t))
	var mu sync.Mutex
	pipelines := 0
	client.AddHook(storetest.CommandHook(func(...redis.Cmder) { mu.Lock(); pipelines++; mu.Unlock() }))
	if err := client.Set(ctx, "text", "not a number", 0).Err(); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	pipelines = 0
	mu.Unlock()
	var g store.GroupCommit
	const callers = 200
	var wg sync.WaitGroup
	errs := make([]error, callers)
	got := make([]string, callers)
	for i := range callers {
		wg.Go(func() {
			var incr *redis.IntCmd
			var get *redis.StringCmd
			cmds := g.Do(ctx, client, func(p redis.Pipeliner) {
				p.Set(ctx, fmt.Sprint("k", i), i, 0)
				if i%10 == 3 {
					incr = p.Incr(ctx, "text") // fails: not a number
				}
				get = p.Get(ctx, fmt.Sprint("k", i))
			})
			want := 2
			if incr != nil {
				want = 3
				errs[i] = incr.Err()
			}
			if len(cmds) != want {
				t.Errorf("caller %d: %d commands back, want %d", i, len(cmds), want)
				return
			}
			if cmds[len(cmds)-1] != redis.Cmder(get) {
				t.Errorf("caller %d: got another caller's commands", i)
			}
			got[i] = get.Val()
		})
	}
	wg.Wait()
	for i := range callers {
		if want := fmt.Sprint(i); got[i] != want {
			t.Errorf("caller %d read %q, want %q", i, got[i], want)
		}
		if failing := i%10 == 3; failing != (errs[i] != nil) {
			t.Errorf("caller %d: error %v, want one: %v", i, errs[i], failing)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	t.Logf("%d callers, %d pipelines", callers, pipelines)
	if pipelines >= callers {
		t.Errorf("%d pipelines for %d callers writing at once: none shared", pipelines, callers)
	}
}
