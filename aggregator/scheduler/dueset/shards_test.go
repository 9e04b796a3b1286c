package dueset_test

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/tributary-rss/tributary/aggregator/scheduler/dueset"
	"github.com/tributary-rss/tributary/aggregator/store/storetest"
)

// forEachShardedBackend runs fn with a client on every backend, a Redis
// Cluster included, and the set's prefix fresh for the test.
func forEachShardedBackend(t *testing.T, fn func(t *testing.T, client redis.UniversalClient)) {
	t.Helper()
	for _, b := range append(storetest.Backends(), storetest.ClusterBackend()) {
		t.Run(b.Name, func(t *testing.T) { fn(t, b.Start(t)) })
	}
}

func sourceIDs(n int) []string {
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprintf("src-%04d", i)
	}
	return ids
}

// shardMembers is, per shard key of layout k, the members it holds.
func shardMembers(t *testing.T, client redis.UniversalClient, k dueset.Keys) map[int][]string {
	t.Helper()
	out := map[int][]string{}
	for i := range k.Shards {
		m, err := client.ZRange(context.Background(), k.Due(i), 0, -1).Result()
		if err != nil {
			t.Fatal(err)
		}
		if len(m) > 0 {
			out[i] = m
		}
	}
	return out
}

// Every source lands in its shard and only there, and each shard's keys
// are in a slot of their own (on Cluster, spread over the nodes).
func TestSet_sourcesLandInTheirShard(t *testing.T) {
	forEachShardedBackend(t, func(t *testing.T, client redis.UniversalClient) {
		ctx := context.Background()
		d := dueset.New(client, "", 8)
		ids := sourceIDs(400)
		if _, err := d.SeedDue(ctx, ids, dueNow); err != nil {
			t.Fatal(err)
		}
		seen := map[string]int{}
		for i, members := range shardMembers(t, client, d.Keys()) {
			for _, id := range members {
				seen[id]++
				if s := d.Keys().Shard(id); s != i {
					t.Errorf("%s in shard %d, want %d", id, i, s)
				}
			}
		}
		if len(seen) != len(ids) || len(shardMembers(t, client, d.Keys())) != 8 {
			t.Errorf("%d of %d sources placed, over %d shards", len(seen), len(ids), len(shardMembers(t, client, d.Keys())))
		}
		for id, n := range seen {
			if n != 1 {
				t.Errorf("%s in %d shards", id, n)
			}
		}
		if cc, ok := client.(*redis.ClusterClient); ok {
			nodes := map[string]bool{}
			for i := range 8 {
				slot, err := cc.ClusterKeySlot(ctx, d.Keys().Due(i)).Result()
				if err != nil {
					t.Fatal(err)
				}
				nodes[fmt.Sprint(slot*3/16384)] = true
			}
			if len(nodes) < 2 {
				t.Errorf("8 shards fall in the slot range of %d node(s) of 3", len(nodes))
			}
		}
	})
}

// Claims, completions, edits and poll requests each go to the source's
// shard and come back through it.
func TestSet_roundTripsPerShard(t *testing.T) {
	forEachShardedBackend(t, func(t *testing.T, client redis.UniversalClient) {
		ctx := context.Background()
		d := dueset.New(client, "", 4)
		ids := sourceIDs(40)
		at := map[string]time.Time{}
		for _, id := range ids {
			at[id] = dueNow.Add(-time.Second)
		}
		if err := d.ScheduleDue(ctx, at, dueNow.Add(-time.Hour)); err != nil {
			t.Fatal(err)
		}
		b, err := d.DueStep(ctx, nil, dueNow, 100, time.Minute, "t1")
		if err != nil || len(b.Claimed) != len(ids) {
			t.Fatalf("claimed %d of %d: %v", len(b.Claimed), len(ids), err)
		}
		for _, id := range ids {
			tok, err := client.HGet(ctx, d.Keys().Claims(d.Keys().Shard(id)), id).Result()
			if err != nil || tok != "t1" {
				t.Errorf("%s: claim in its shard = %q, %v", id, tok, err)
			}
		}
		// An edit under the claim, and a poll request, land in the shard.
		edit := dueNow.Add(10 * time.Minute)
		if err := d.ScheduleDue(ctx, map[string]time.Time{ids[0]: edit}, dueNow); err != nil {
			t.Fatal(err)
		}
		if v, err := client.HGet(ctx, d.Keys().Edits(d.Keys().Shard(ids[0])), ids[0]).Result(); err != nil || v != fmt.Sprint(edit.UnixMilli()) {
			t.Errorf("edit in its shard = %q, %v", v, err)
		}
		if err := d.RequestPolls(ctx, []string{ids[1]}, time.Minute); err != nil {
			t.Fatal(err)
		}
		if n, err := client.Exists(ctx, d.Keys().PollRequest(ids[1])).Result(); err != nil || n != 1 {
			t.Errorf("poll request in its shard: exists = %d, %v", n, err)
		}
		var done []dueset.Completion
		for _, c := range b.Claimed {
			done = append(done, dueset.Completion{SourceID: c.SourceID, Token: c.Token, Next: dueNow.Add(time.Hour)})
		}
		b, err = d.DueStep(ctx, done, dueNow, 100, time.Minute, "t2")
		if err != nil || len(b.Claimed) != 1 || b.Claimed[0].SourceID != ids[1] || !b.Claimed[0].Requested {
			t.Fatalf("after completion: claimed %+v, %v; want only the requested %s", b.Claimed, err, ids[1])
		}
		got := dueOf(t, d)
		if !got[ids[0]].Equal(edit) {
			t.Errorf("%s due %v, want the edit's %v (its completion honoured it)", ids[0], got[ids[0]], edit)
		}
		for _, id := range ids[2:] {
			if !got[id].Equal(dueNow.Add(time.Hour)) {
				t.Errorf("%s due %v after its completion, want %v", id, got[id], dueNow.Add(time.Hour))
			}
		}
		if err := d.RemoveDue(ctx, ids); err != nil {
			t.Fatal(err)
		}
		if m := shardMembers(t, client, d.Keys()); len(m) != 0 {
			t.Errorf("after RemoveDue shards hold %v", m)
		}
	})
}

// A step with a limit below the shard count still reaches every shard in
// turn, and a backlog in one shard gets what the others leave.
func TestSet_DueStep_noShardStarves(t *testing.T) {
	forEachShardedBackend(t, func(t *testing.T, client redis.UniversalClient) {
		ctx := context.Background()
		d := dueset.New(client, "", 4)
		at := map[string]time.Time{}
		for _, id := range sourceIDs(200) {
			at[id] = dueNow.Add(-time.Minute)
		}
		if err := d.ScheduleDue(ctx, at, dueNow.Add(-time.Hour)); err != nil {
			t.Fatal(err)
		}
		from := map[int]int{}
		for i := range 8 {
			b, err := d.DueStep(ctx, nil, dueNow, 1, time.Minute, fmt.Sprint("s", i))
			if err != nil || len(b.Claimed) != 1 {
				t.Fatalf("step %d: %d claimed, %v; want 1", i, len(b.Claimed), err)
			}
			from[d.Keys().Shard(b.Claimed[0].SourceID)]++
		}
		if len(from) != 4 {
			t.Errorf("8 steps of limit 1 claimed from shards %v, want all 4", from)
		}
		// Only one shard has due sources left: a step takes its whole
		// limit from it.
		var one []string
		for id := range at {
			if d.Keys().Shard(id) != 0 {
				one = append(one, id)
			}
		}
		if err := d.RemoveDue(ctx, one); err != nil {
			t.Fatal(err)
		}
		b, err := d.DueStep(ctx, nil, dueNow, 12, time.Minute, "all")
		if err != nil || len(b.Claimed) != 12 {
			t.Errorf("backlog in one shard: %d claimed, %v; want 12", len(b.Claimed), err)
		}
	})
}

// Two instances stepping at once over shards never hold a source at the
// same time: each claim is disjoint from every live claim.
func TestSet_twoInstancesNeverClaimASourceTwice(t *testing.T) {
	forEachShardedBackend(t, func(t *testing.T, client redis.UniversalClient) {
		ctx := context.Background()
		ids := sourceIDs(300)
		if _, err := dueset.New(client, "", 4).SeedDue(ctx, ids, dueNow.Add(-time.Minute)); err != nil {
			t.Fatal(err)
		}
		owners := stepAll(t, []*dueset.Set{dueset.New(client, "", 4), dueset.New(client, "", 4)}, dueNow, time.Hour)
		for id, toks := range owners {
			if len(toks) != 1 {
				t.Errorf("%s claimed by %v", id, toks)
			}
		}
		if len(owners) != len(ids) {
			t.Errorf("%d of %d sources claimed", len(owners), len(ids))
		}
	})
}

// Changing the shard count moves every source to its new shard with its
// score, claim, edit and poll request: none is lost, none is in two
// shards, and a claimed one stays claimed until its deadline.
func TestSet_changingShardsLosesNothing(t *testing.T) {
	forEachShardedBackend(t, func(t *testing.T, client redis.UniversalClient) {
		ctx := context.Background()
		now := time.UnixMilli(time.Now().UnixMilli())
		ids := sourceIDs(2500) // more than one chunk of the move
		one := dueset.New(client, "", 1)
		if _, err := one.SeedDue(ctx, ids, now.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		if err := one.ScheduleDue(ctx, map[string]time.Time{ids[0]: now.Add(-time.Second)}, now.Add(-time.Hour)); err != nil {
			t.Fatal(err)
		}
		b, err := one.DueStep(ctx, nil, now, 1, 24*time.Hour, "old-poll")
		if err != nil || len(b.Claimed) != 1 {
			t.Fatalf("claim under one shard: %+v, %v", b, err)
		}
		if err := one.ScheduleDue(ctx, map[string]time.Time{ids[0]: now.Add(30 * time.Minute)}, now); err != nil {
			t.Fatal(err)
		}
		if err := one.RequestPolls(ctx, []string{ids[7]}, time.Hour); err != nil {
			t.Fatal(err)
		}
		want := dueOf(t, one)
		for _, n := range []int{4, 3, 1, 16} {
			d := dueset.New(client, "", n)
			if _, err := d.SeedDue(ctx, nil, now); err != nil {
				t.Fatalf("%d shards: %v", n, err)
			}
			if got := dueOf(t, d); !maps.Equal(got, want) {
				t.Fatalf("%d shards: %d sources, want %d with the same scores", n, len(got), len(want))
			}
			total := 0
			for i, members := range shardMembers(t, client, d.Keys()) {
				total += len(members)
				for _, id := range members {
					if d.Keys().Shard(id) != i {
						t.Fatalf("%d shards: %s left in shard %d", n, id, i)
					}
				}
			}
			if total != len(ids) {
				t.Fatalf("%d shards: %d members in all, want %d (none twice)", n, total, len(ids))
			}
			for _, old := range []dueset.Keys{{Prefix: d.Keys().Prefix, Shards: 1}, {Prefix: d.Keys().Prefix, Shards: 4}} {
				if n != old.Shards && n != 1 && old.Shards == 1 {
					if c, err := client.ZCard(ctx, old.Due(0)).Result(); err != nil || c != 0 {
						t.Errorf("%d shards: the one-shard key still holds %d", n, c)
					}
				}
			}
			// The claim moved with the source: its old poll's completion
			// changes nothing, and nobody claims it before its deadline.
			i := d.Keys().Shard(ids[0])
			if tok, err := client.HGet(ctx, d.Keys().Claims(i), ids[0]).Result(); err != nil || tok != "old-poll" {
				t.Errorf("%d shards: claim = %q, %v", n, tok, err)
			}
			if v, err := client.HGet(ctx, d.Keys().Edits(i), ids[0]).Result(); err != nil || v != fmt.Sprint(now.Add(30*time.Minute).UnixMilli()) {
				t.Errorf("%d shards: edit = %q, %v", n, v, err)
			}
			if ok, err := client.Exists(ctx, d.Keys().PollRequest(ids[7])).Result(); err != nil || ok != 1 {
				t.Errorf("%d shards: the poll request did not move: %d, %v", n, ok, err)
			}
			if b, err := d.DueStep(ctx, nil, time.Now(), 10, time.Minute, "x"); err != nil || len(b.Claimed) != 1 || b.Claimed[0].SourceID != ids[7] {
				t.Errorf("%d shards: claimable now %+v, %v; want only the requested %s", n, b.Claimed, err, ids[7])
			} else {
				done := []dueset.Completion{{SourceID: ids[7], Token: "x", Next: want[ids[7]]}}
				if _, err := d.DueStep(ctx, done, now, 0, time.Minute, "y"); err != nil {
					t.Fatal(err)
				}
				if err := d.RequestPolls(ctx, []string{ids[7]}, time.Hour); err != nil {
					t.Fatal(err)
				}
			}
			want = dueOf(t, d)
		}
		if got := slices.Sorted(maps.Keys(want)); !slices.Equal(got, ids) {
			t.Errorf("sources at the end differ from the seeded ones")
		}
	})
}

// ClaimSources claims many sources across shards in one go, each as
// ClaimSource would: a held one is refused, a requested one takes its
// request, one outside the set is added, and the rest keep their due
// time in the claim.
func TestSet_ClaimSources(t *testing.T) {
	forEachShardedBackend(t, func(t *testing.T, client redis.UniversalClient) {
		ctx := context.Background()
		d := dueset.New(client, "claims:", 4)
		ids := sourceIDs(300)
		at := map[string]time.Time{}
		for i, id := range ids[:290] { // the last ten are outside the set
			at[id] = dueNow.Add(time.Duration(i) * time.Minute)
		}
		if err := d.ScheduleDue(ctx, at, dueNow.Add(-time.Hour)); err != nil {
			t.Fatal(err)
		}
		held, asked := ids[5], ids[6]
		if _, ok, err := d.ClaimSource(ctx, held, dueNow, time.Minute, "other"); err != nil || !ok {
			t.Fatalf("claim %s = %v, %v", held, ok, err)
		}
		if err := d.RequestPolls(ctx, []string{asked}, time.Hour); err != nil {
			t.Fatal(err)
		}
		claims, ok, err := d.ClaimSources(ctx, ids, dueNow, time.Minute, "mine")
		if err != nil {
			t.Fatal(err)
		}
		for i, id := range ids {
			c := claims[i]
			switch {
			case id == held:
				if ok[i] {
					t.Errorf("%s: claimed while another poll holds it", id)
				}
			case !ok[i]:
				t.Errorf("%s: not claimed", id)
			case c.SourceID != id || c.Token != "mine" || !c.Deadline.Equal(dueNow.Add(time.Minute)):
				t.Errorf("%s: claim %+v", id, c)
			case id == asked && !c.Requested:
				t.Errorf("%s: its poll request was not taken", id)
			case id != asked && c.Requested:
				t.Errorf("%s: took a poll request nobody made", id)
			case i >= 290 && !c.Due.IsZero():
				t.Errorf("%s (outside the set): due %v, want zero", id, c.Due)
			case i < 290 && id != asked && !c.Due.Equal(at[id]):
				t.Errorf("%s: due %v, want %v", id, c.Due, at[id])
			}
		}
		// A second claim of them all finds each held by the first.
		_, again, err := d.ClaimSources(ctx, ids, dueNow, time.Minute, "late")
		if err != nil {
			t.Fatal(err)
		}
		if i := slices.Index(again, true); i >= 0 {
			t.Errorf("%s claimed twice", ids[i])
		}
	})
}
