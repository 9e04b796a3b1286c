package store_test

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/aggregator/store"
)

func TestKeys_sectionSources(t *testing.T) {
	k := store.Keys{Prefix: "trib:"}
	assertEqual(t, "SectionSources", k.SectionSources("hot"), "trib:section:{hot}:sources")
	assertEqual(t, "ExtraSections", k.ExtraSections(), "trib:admin:extra-sections")
}

// twoSourcesInHot fills section hot with sources a and b, which share two
// stories: a published the one at link L first (b's copy is its noted
// runner-up), b the one at link M (a's copy is the runner-up).
func twoSourcesInHot(t *testing.T, st *store.Store) model.Section {
	hot := section("hot", 10, "a", "b")
	secs := []model.Section{hot}
	a := append(entries("a", 0, 2), story("a", "a-L", 5, "L story", "https://x.example/L"), story("a", "a-M", 4, "M story", "https://x.example/M"))
	b := append(entries("b", 0, 2), story("b", "b-L", 6, "L story", "https://x.example/L"), story("b", "b-M", 3, "M story", "https://x.example/M"))
	mustIngest(t, st, source("a", "hot"), secs, a, t0)
	mustIngest(t, st, source("b", "hot"), secs, b, t0)
	got := sectionIDs(t, st, "hot")
	slices.Sort(got)
	assertEqual(t, "hot before", got, []string{"a-000", "a-001", "a-L", "b-000", "b-001", "b-M"})
	return hot
}

func TestStore_LeaveSection(t *testing.T) {
	forEachBackend(t, func(t *testing.T, st *store.Store, _ *recorder) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		hot := twoSourcesInHot(t, st)
		events := st.Subscribe(ctx)
		before := meta(t, st, "hot").Version

		n, err := st.LeaveSection(ctx, hot, []string{"a"}, t0)
		if err != nil {
			t.Fatal(err)
		}
		// b's copy of L takes the place a's held; a's runner-up copy of M
		// is forgotten.
		assertEqual(t, "removed", n, 3)
		assertEqual(t, "hot after a left", sectionIDs(t, st, "hot"), []string{"b-L", "b-M", "b-001", "b-000"})
		if v := meta(t, st, "hot").Version; v != before+1 {
			t.Errorf("version %d after the leave, want %d", v, before+1)
		}
		if got := receive(t, events); got != "hot" {
			t.Errorf("event %q, want hot", got)
		}
		dedup, err := st.Client().HGetAll(ctx, st.Keys().SectionDedup("hot")).Result()
		if err != nil {
			t.Fatal(err)
		}
		for f, v := range dedup {
			if strings.Contains(v, "a-") || strings.Contains(f, "a-") {
				t.Errorf("dedup hash still names an entry of a: %s = %s", f, v)
			}
		}

		// The fingerprint of the rules a's entries were indexed with no
		// longer says what its sections hold: gone, so a return re-indexes.
		if n, err := st.Client().Exists(ctx, st.Keys().SourceRules("a")).Result(); err != nil || n != 0 {
			t.Errorf("rules fingerprint of a after it left: exists=%d, %v", n, err)
		}
		if n, _ := st.Client().Exists(ctx, st.Keys().SourceRules("b")).Result(); n != 1 {
			t.Errorf("rules fingerprint of b, which stays, was dropped")
		}

		// Again: nothing to do, no new version.
		if n, err := st.LeaveSection(ctx, hot, []string{"a"}, t0); err != nil || n != 0 {
			t.Errorf("second leave = %d, %v; want 0, nil", n, err)
		}
		if v := meta(t, st, "hot").Version; v != before+1 {
			t.Errorf("version %d after a leave that changed nothing, want %d", v, before+1)
		}

		// b leaves too: a's old copy of M must not come back.
		if _, err := st.LeaveSection(ctx, hot, []string{"b"}, t0); err != nil {
			t.Fatal(err)
		}
		assertEqual(t, "hot after b left", sectionIDs(t, st, "hot"), []string{})
		// Entries stay stored (other sections, ?source= on kept ones).
		assertEqual(t, "entries stored", storedIDs(t, st, "a-000", "b-L"), []string{"a-000", "b-L"})
	})
}

func TestStore_ReconcileSection(t *testing.T) {
	forEachBackend(t, func(t *testing.T, st *store.Store, _ *recorder) {
		ctx := context.Background()
		hot := twoSourcesInHot(t, st)
		steps := []struct {
			name    string
			sources []string
			keep    string // KeepInSection before the step
			// latePoll ingests entries of this source into hot under a
			// config that still lists it, before the step.
			latePoll string
			at       time.Duration // after t0, the step's clock
			left     []string
			holds    []string // sources with entries in hot after the step
			record   map[string]string
		}{
			// No record yet: the index itself is compared with the list.
			{name: "first run drops unlisted", sources: []string{"b"}, left: []string{"a"}, holds: []string{"b"},
				record: map[string]string{"b": "member"}},
			{name: "a new member is recorded", sources: []string{"b", "c"}, holds: []string{"b"},
				record: map[string]string{"b": "member", "c": "member"}},
			{name: "kept entries stay", sources: []string{"c"}, keep: "b", holds: []string{"b"},
				record: map[string]string{"b": "kept", "c": "member"}},
			{name: "rejoining clears kept", sources: []string{"b", "c"}, holds: []string{"b"},
				record: map[string]string{"b": "member", "c": "member"}},
			{name: "a departed member leaves", sources: []string{"c"}, left: []string{"b"}, holds: []string{},
				record: map[string]string{"b": "left " + strconv.FormatInt(t0.UnixMilli(), 10), "c": "member"}},
			// A poll that began under the old config (here, or on an
			// instance yet to reload) puts b's entries back: the next
			// reconcile takes them out again.
			{name: "a late poll's entries leave again", sources: []string{"c"}, latePoll: "b", at: time.Minute, left: []string{"b"}, holds: []string{},
				record: map[string]string{"b": "left " + strconv.FormatInt(t0.UnixMilli(), 10), "c": "member"}},
			{name: "a clean pass keeps a recent mark", sources: []string{"c"}, at: 2 * time.Minute, holds: []string{},
				record: map[string]string{"b": "left " + strconv.FormatInt(t0.UnixMilli(), 10), "c": "member"}},
			{name: "a clean pass forgets an old mark", sources: []string{"c"}, at: store.LeftMemory, holds: []string{},
				record: map[string]string{"c": "member"}},
			{name: "again changes nothing", sources: []string{"c"}, at: store.LeftMemory, holds: []string{},
				record: map[string]string{"c": "member"}},
		}
		for _, step := range steps {
			if step.keep != "" {
				if err := st.KeepInSection(ctx, "hot", step.keep); err != nil {
					t.Fatal(err)
				}
			}
			if step.latePoll != "" {
				old := section("hot", 10, "b", "c")
				mustIngest(t, st, source(step.latePoll, "hot"), []model.Section{old}, entries(step.latePoll, 10, 2), t0)
			}
			sec := hot
			sec.SourceIDs = step.sources
			before := meta(t, st, "hot").Version
			left, err := st.ReconcileSection(ctx, sec, t0.Add(step.at))
			if err != nil {
				t.Fatalf("%s: %v", step.name, err)
			}
			assertEqual(t, step.name+": left", left, step.left)
			holds := []string{}
			for _, id := range sectionIDs(t, st, "hot") {
				if src, _, _ := strings.Cut(id, "-"); !slices.Contains(holds, src) {
					holds = append(holds, src)
				}
			}
			slices.Sort(holds)
			assertEqual(t, step.name+": sources held", holds, step.holds)
			rec, err := st.SectionSources(ctx, "hot")
			if err != nil {
				t.Fatal(err)
			}
			assertEqual(t, step.name+": record", rec, step.record)
			if v := meta(t, st, "hot").Version; (v != before) != (len(step.left) > 0) {
				t.Errorf("%s: version %d -> %d with %v leaving", step.name, before, v, step.left)
			}
		}
	})
}

// TestStore_Unhide_AfterLeave: an entry hidden while its source fed the
// section does not come back into it on unhide once the source has left,
// unless the operator kept the source's entries there.
func TestStore_Unhide_AfterLeave(t *testing.T) {
	tests := []struct {
		name string
		keep bool
		want []string
	}{
		{"left", false, []string{"b-L", "b-M", "b-001", "b-000"}},
		{"left with its entries kept", true, []string{"a-L", "b-M", "b-001", "a-001", "b-000", "a-000"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			forEachBackend(t, func(t *testing.T, st *store.Store, _ *recorder) {
				ctx := context.Background()
				hot := twoSourcesInHot(t, st)
				if _, err := st.ReconcileSection(ctx, hot, t0); err != nil {
					t.Fatal(err)
				}
				mustModerate(t, "Hide", st.Hide(ctx, "hot", "a-001", t0))
				if tt.keep {
					mustModerate(t, "KeepInSection", st.KeepInSection(ctx, "hot", "a"))
				}
				onlyB := hot
				onlyB.SourceIDs = []string{"b"}
				if _, err := st.ReconcileSection(ctx, onlyB, t0); err != nil {
					t.Fatal(err)
				}
				mustModerate(t, "Unhide", st.Unhide(ctx, onlyB, "a-001", t0))
				assertEqual(t, "hot after unhide", sectionIDs(t, st, "hot"), tt.want)
				mod, err := st.Moderation(ctx, "hot", t0)
				mustModerate(t, "Moderation", err)
				assertEqual(t, "hidden after unhide", pinIDs(mod.Hidden), []string{})
			})
		})
	}
}
