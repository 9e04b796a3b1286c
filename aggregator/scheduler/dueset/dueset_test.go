package dueset_test

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/aggregator/scheduler/dueset"
	"github.com/tributary-rss/tributary/aggregator/store"
)

// dueNow is a fixed instant in milliseconds, the due set's resolution.
var dueNow = time.UnixMilli(time.Date(2026, 5, 1, 8, 0, 0, 0, time.UTC).UnixMilli())

func mustSchedule(t *testing.T, d *dueset.Set, at map[string]time.Time) {
	t.Helper()
	if err := d.ScheduleDue(context.Background(), at, dueNow.Add(-time.Hour)); err != nil {
		t.Fatal(err)
	}
}

func mustStep(t *testing.T, d *dueset.Set, done []dueset.Completion, now time.Time, limit int, token string) dueset.DueBatch {
	t.Helper()
	b, err := d.DueStep(context.Background(), done, now, limit, time.Minute, token)
	if err != nil {
		t.Fatalf("DueStep: %v", err)
	}
	return b
}

func claimedIDs(b dueset.DueBatch) []string {
	var out []string
	for _, c := range b.Claimed {
		out = append(out, c.SourceID)
	}
	slices.Sort(out)
	return out
}

func dueOf(t *testing.T, d *dueset.Set) map[string]time.Time {
	t.Helper()
	m, err := d.DueSources(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestSet_DueStep(t *testing.T) {
	forEachBackend(t, func(t *testing.T, d *dueset.Set, st *store.Store) {
		mustSchedule(t, d, map[string]time.Time{
			"a": dueNow.Add(-2 * time.Second), "b": dueNow.Add(-time.Second), "c": dueNow, "later": dueNow.Add(time.Hour),
		})
		b := mustStep(t, d, nil, dueNow, 2, "t1")
		if got := claimedIDs(b); !slices.Equal(got, []string{"a", "b"}) {
			t.Fatalf("claimed %v, want the two earliest [a b]", got)
		}
		if !b.Claimed[0].Due.Equal(dueNow.Add(-2*time.Second)) || b.Claimed[0].Token != "t1" || b.Claimed[0].Requested {
			t.Errorf("claim = %+v", b.Claimed[0])
		}
		if !b.Earliest.Equal(dueNow) {
			t.Errorf("earliest %v, want %v (c)", b.Earliest, dueNow)
		}
		// Claimed sources wait at their deadline; c is next.
		b = mustStep(t, d, nil, dueNow, 10, "t2")
		if got := claimedIDs(b); !slices.Equal(got, []string{"c"}) {
			t.Fatalf("second step claimed %v, want [c]", got)
		}
		due := dueOf(t, d)
		if want := dueNow.Add(time.Minute); !due["a"].Equal(want) || !due["c"].Equal(want) {
			t.Errorf("claimed scores a %v, c %v; want the deadline %v", due["a"], due["c"], want)
		}
		// Completions: the right token writes the next due time, a wrong
		// one changes nothing, a zero time drops the source.
		done := []dueset.Completion{
			{SourceID: "a", Token: "t1", Next: dueNow.Add(15 * time.Minute)},
			{SourceID: "b", Token: "not-mine", Next: dueNow.Add(15 * time.Minute)},
			{SourceID: "c", Token: "t2"},
		}
		b = mustStep(t, d, done, dueNow, 0, "t3")
		if len(b.Claimed) != 0 || !b.Earliest.Equal(dueNow.Add(time.Minute)) {
			t.Errorf("step with limit 0 claimed %v, earliest %v; want none, b's deadline", claimedIDs(b), b.Earliest)
		}
		due = dueOf(t, d)
		if !due["a"].Equal(dueNow.Add(15*time.Minute)) || !due["b"].Equal(dueNow.Add(time.Minute)) {
			t.Errorf("after completions a %v, b %v", due["a"], due["b"])
		}
		if _, ok := due["c"]; ok {
			t.Error("c completed with no next time is still in the set")
		}
		// Completing the same claim twice changes nothing the second time.
		mustStep(t, d, []dueset.Completion{{SourceID: "a", Token: "t1", Next: dueNow}}, dueNow, 0, "t4")
		if got := dueOf(t, d)["a"]; !got.Equal(dueNow.Add(15 * time.Minute)) {
			t.Errorf("a completed twice: %v", got)
		}
	})
}

// A claim never completed (its instance died) ends at its deadline: the
// source is due again, another instance claims it, and the dead claim's
// late completion cannot overwrite the new one.
func TestSet_DueStep_reclaimAfterDeadline(t *testing.T) {
	forEachBackend(t, func(t *testing.T, d *dueset.Set, st *store.Store) {
		mustSchedule(t, d, map[string]time.Time{"a": dueNow})
		if b := mustStep(t, d, nil, dueNow, 10, "dead"); len(b.Claimed) != 1 {
			t.Fatalf("first claim: %v", claimedIDs(b))
		}
		if b := mustStep(t, d, nil, dueNow.Add(59*time.Second), 10, "other"); len(b.Claimed) != 0 {
			t.Fatalf("claimed %v before the deadline", claimedIDs(b))
		}
		b := mustStep(t, d, nil, dueNow.Add(time.Minute), 10, "other")
		if len(b.Claimed) != 1 || !b.Claimed[0].Due.Equal(dueNow.Add(time.Minute)) {
			t.Fatalf("at the deadline claimed %+v, want a, due at the deadline", b.Claimed)
		}
		late := []dueset.Completion{{SourceID: "a", Token: "dead", Next: dueNow.Add(time.Hour)}}
		mustStep(t, d, late, dueNow.Add(time.Minute), 0, "x")
		if got := dueOf(t, d)["a"]; !got.Equal(dueNow.Add(2 * time.Minute)) {
			t.Errorf("after the dead claim's completion a is at %v, want the live claim's deadline", got)
		}
	})
}

// Instances stepping at once never claim one source twice.
func TestSet_DueStep_concurrentClaimsAreDisjoint(t *testing.T) {
	forEachBackend(t, func(t *testing.T, d *dueset.Set, st *store.Store) {
		at := map[string]time.Time{}
		for i := range 200 {
			at[fmt.Sprintf("s%03d", i)] = dueNow.Add(-time.Duration(i) * time.Millisecond)
		}
		mustSchedule(t, d, at)
		owners := stepAll(t, []*dueset.Set{d, d, d, d}, dueNow, time.Minute)
		if len(owners) != len(at) {
			t.Errorf("claimed %d sources, want %d", len(owners), len(at))
		}
		for id, toks := range owners {
			if len(toks) != 1 {
				t.Errorf("%s claimed %d times: %v", id, len(toks), toks)
			}
		}
	})
}

func TestSet_ClaimSource(t *testing.T) {
	forEachBackend(t, func(t *testing.T, d *dueset.Set, st *store.Store) {
		ctx := context.Background()
		mustSchedule(t, d, map[string]time.Time{"a": dueNow.Add(time.Hour)})
		c, ok, err := d.ClaimSource(ctx, "a", dueNow, time.Minute, "t1")
		if err != nil || !ok || !c.Due.Equal(dueNow.Add(time.Hour)) || c.Token != "t1" {
			t.Fatalf("claim a not due = %+v, %v, %v; want its due time", c, ok, err)
		}
		if _, ok, err := d.ClaimSource(ctx, "a", dueNow, time.Minute, "t2"); err != nil || ok {
			t.Errorf("claim of a claimed source = %v, %v; want false", ok, err)
		}
		if b := mustStep(t, d, nil, dueNow.Add(time.Minute), 10, "t3"); len(b.Claimed) != 1 {
			t.Errorf("expired claim not reclaimed by a step: %v", claimedIDs(b))
		}
		c, ok, err = d.ClaimSource(ctx, "new", dueNow, time.Minute, "t4")
		if err != nil || !ok || !c.Due.IsZero() {
			t.Errorf("claim of a source outside the set = %+v, %v, %v; want a zero due time", c, ok, err)
		}
		if got := dueOf(t, d)["new"]; !got.Equal(dueNow.Add(time.Minute)) {
			t.Errorf("claimed new source at %v, want its deadline", got)
		}
	})
}

func TestSet_SeedDue(t *testing.T) {
	forEachBackend(t, func(t *testing.T, d *dueset.Set, st *store.Store) {
		ctx := context.Background()
		stored := dueNow.Add(7 * time.Minute)
		if err := st.SaveSourceState(ctx, "upgraded", model.SourceState{URL: "u", NextDue: stored}); err != nil {
			t.Fatal(err)
		}
		mustSchedule(t, d, map[string]time.Time{"kept": dueNow.Add(time.Hour)})
		ids := []string{"kept", "upgraded", "fresh"}
		n, err := d.SeedDue(ctx, ids, dueNow)
		if err != nil || n != 2 {
			t.Fatalf("SeedDue = %d, %v; want 2 added", n, err)
		}
		want := map[string]time.Time{"kept": dueNow.Add(time.Hour), "upgraded": stored, "fresh": dueNow}
		if got := dueOf(t, d); !maps.EqualFunc(got, want, time.Time.Equal) {
			t.Errorf("due set = %v, want %v", got, want)
		}
		// Seeding again (another instance, a restart) changes nothing.
		if n, err := d.SeedDue(ctx, ids, dueNow.Add(time.Minute)); err != nil || n != 0 {
			t.Errorf("second SeedDue = %d, %v; want 0", n, err)
		}
	})
}

func TestSet_ScheduleDue(t *testing.T) {
	forEachBackend(t, func(t *testing.T, d *dueset.Set, st *store.Store) {
		ctx := context.Background()
		mustSchedule(t, d, map[string]time.Time{"early": dueNow, "late": dueNow.Add(time.Hour), "held": dueNow})
		if b := mustStep(t, d, nil, dueNow, 10, "t"); len(b.Claimed) != 2 {
			t.Fatalf("claimed %v", claimedIDs(b)) // early and held
		}
		mustStep(t, d, []dueset.Completion{{SourceID: "early", Token: "t", Next: dueNow.Add(5 * time.Minute)}}, dueNow, 0, "x")
		at := dueNow.Add(10 * time.Minute)
		if err := d.ScheduleDue(ctx, map[string]time.Time{"early": at, "late": at, "held": at, "absent": at}, dueNow); err != nil {
			t.Fatal(err)
		}
		want := map[string]time.Time{
			"early":  dueNow.Add(5 * time.Minute), // already earlier
			"late":   at,                          // pulled in
			"held":   dueNow.Add(time.Minute),     // its poll decides
			"absent": at,                          // added
		}
		if got := dueOf(t, d); !maps.EqualFunc(got, want, time.Time.Equal) {
			t.Errorf("due set = %v, want %v", got, want)
		}
	})
}

// An edit of a source under a claim is kept for the claim's completion,
// which makes the source due no later than the edit asked, whatever its
// own plan; without an edit the plan stands, and a completion under
// another token leaves the edit for the claim that holds the source.
func TestSet_DueStep_honoursEditUnderClaim(t *testing.T) {
	forEachBackend(t, func(t *testing.T, d *dueset.Set, st *store.Store) {
		ctx := context.Background()
		mustSchedule(t, d, map[string]time.Time{"edited": dueNow, "plain": dueNow, "expired": dueNow, "twice": dueNow, "gone": dueNow})
		b := mustStep(t, d, nil, dueNow, 10, "t")
		if len(b.Claimed) != 5 {
			t.Fatalf("claimed %v", claimedIDs(b))
		}
		for _, c := range b.Claimed {
			if want := dueNow.Add(time.Minute); !c.Deadline.Equal(want) {
				t.Errorf("claim %s: deadline %v, want %v", c.SourceID, c.Deadline, want)
			}
		}
		edit := dueNow.Add(10 * time.Second)
		// "expired" is edited after its claim's deadline passed but before
		// the late poll completes.
		if err := d.ScheduleDue(ctx, map[string]time.Time{"edited": edit, "twice": edit.Add(time.Second)}, dueNow); err != nil {
			t.Fatal(err)
		}
		if err := d.ScheduleDue(ctx, map[string]time.Time{"twice": edit, "gone": edit}, dueNow); err != nil {
			t.Fatal(err)
		}
		if err := d.ScheduleDue(ctx, map[string]time.Time{"expired": edit}, dueNow.Add(2*time.Minute)); err != nil {
			t.Fatal(err)
		}
		plan := dueNow.Add(time.Hour)
		mustStep(t, d, []dueset.Completion{{SourceID: "twice", Token: "other", Next: plan}}, dueNow, 0, "x")
		mustStep(t, d, []dueset.Completion{
			{SourceID: "edited", Token: "t", Next: plan}, {SourceID: "plain", Token: "t", Next: plan},
			{SourceID: "expired", Token: "t", Next: plan}, {SourceID: "twice", Token: "t", Next: plan},
			{SourceID: "gone", Token: "t"},
		}, dueNow, 0, "x")
		want := map[string]time.Time{"edited": edit, "plain": plan, "expired": edit, "twice": edit, "gone": edit}
		if got := dueOf(t, d); !maps.EqualFunc(got, want, time.Time.Equal) {
			t.Errorf("due set = %v, want %v", got, want)
		}
		// The edits were served: the next completions keep their plans.
		mustStep(t, d, nil, edit, 10, "t2")
		mustStep(t, d, []dueset.Completion{{SourceID: "edited", Token: "t2", Next: plan}}, edit, 0, "x")
		if got := dueOf(t, d)["edited"]; !got.Equal(plan) {
			t.Errorf("edited after its edit was served: due %v, want its plan %v", got, plan)
		}
		if n, err := d.Client().HLen(ctx, d.Keys().Edits(0)).Result(); err != nil || n != 0 {
			t.Errorf("edits left: %d, %v", n, err)
		}
	})
}

func TestSet_RemoveDue(t *testing.T) {
	forEachBackend(t, func(t *testing.T, d *dueset.Set, st *store.Store) {
		ctx := context.Background()
		mustSchedule(t, d, map[string]time.Time{"a": dueNow, "b": dueNow})
		mustStep(t, d, nil, dueNow, 1, "t") // a is being polled
		if err := d.RequestPolls(ctx, []string{"b"}, time.Minute); err != nil {
			t.Fatal(err)
		}
		if err := d.RemoveDue(ctx, []string{"a", "b"}); err != nil {
			t.Fatal(err)
		}
		mustStep(t, d, []dueset.Completion{{SourceID: "a", Token: "t", Next: dueNow.Add(time.Hour)}}, dueNow, 0, "x")
		if got := dueOf(t, d); len(got) != 0 {
			t.Errorf("due set after removal = %v, want empty (the running poll must not put a back)", got)
		}
		if n, err := d.Client().Exists(ctx, d.Keys().PollRequest("b")).Result(); err != nil || n != 0 {
			t.Errorf("poll request of a removed source: exists %d, %v", n, err)
		}
	})
}

// ClearClaims, for the embedded store at start: a claim restored from a
// snapshot is released and its source due at once.
func TestSet_ClearClaims(t *testing.T) {
	forEachBackend(t, func(t *testing.T, d *dueset.Set, st *store.Store) {
		ctx := context.Background()
		mustSchedule(t, d, map[string]time.Time{"a": dueNow, "b": dueNow.Add(time.Hour)})
		mustStep(t, d, nil, dueNow, 10, "killed")
		before := time.Now()
		n, err := d.ClearClaims(ctx)
		if err != nil || n != 1 {
			t.Fatalf("ClearClaims = %d, %v; want 1", n, err)
		}
		due := dueOf(t, d)
		if a := due["a"]; a.Before(before.Truncate(time.Millisecond)) || a.After(time.Now()) {
			t.Errorf("released a is due at %v, want now", a)
		}
		if !due["b"].Equal(dueNow.Add(time.Hour)) {
			t.Errorf("unclaimed b moved to %v", due["b"])
		}
		if _, ok, err := d.ClaimSource(ctx, "a", time.Now(), time.Minute, "t"); err != nil || !ok {
			t.Errorf("claim after clearing = %v, %v", ok, err)
		}
	})
}

// A step larger than one variadic command takes (the script slices its
// lists) claims and completes every source once.
func TestSet_DueStep_largeBatch(t *testing.T) {
	forEachBackend(t, func(t *testing.T, d *dueset.Set, st *store.Store) {
		const n = 4500 // lists of 2n > 4000
		at := make(map[string]time.Time, n)
		for i := range n {
			at[fmt.Sprintf("s%05d", i)] = dueNow.Add(-time.Duration(i) * time.Millisecond)
		}
		mustSchedule(t, d, at)
		if err := d.RequestPolls(context.Background(), []string{"s00007"}, time.Minute); err != nil {
			t.Fatal(err)
		}
		b := mustStep(t, d, nil, time.Now(), n, "big")
		if len(b.Claimed) != n {
			t.Fatalf("claimed %d, want %d", len(b.Claimed), n)
		}
		var done []dueset.Completion
		next := time.UnixMilli(time.Now().Add(time.Hour).UnixMilli())
		for _, c := range b.Claimed {
			if c.Requested != (c.SourceID == "s00007") {
				t.Errorf("%s: requested %v", c.SourceID, c.Requested)
			}
			done = append(done, dueset.Completion{SourceID: c.SourceID, Token: c.Token, Next: next})
		}
		b = mustStep(t, d, done, time.Now(), n, "after")
		if len(b.Claimed) != 0 || !b.Earliest.Equal(next) {
			t.Errorf("after completing all: claimed %d, earliest %v", len(b.Claimed), b.Earliest)
		}
		if got := dueOf(t, d); len(got) != n {
			t.Errorf("%d sources in the set, want %d", len(got), n)
		}
	})
}
