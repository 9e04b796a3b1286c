package store_test

import (
	"context"
	"errors"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/aggregator/store"
)

func pageIDs(t *testing.T, st *store.Store, sectionID, sourceID string) []string {
	t.Helper()
	p, err := st.SectionPage(context.Background(), sectionID, model.PageQuery{Limit: 50, SourceID: sourceID})
	if err != nil {
		t.Fatalf("SectionPage(%s, source %q): %v", sectionID, sourceID, err)
	}
	return ids(p.Entries)
}

func pinIDs(pins []model.ModeratedEntry) []string {
	out := []string{}
	for _, p := range pins {
		out = append(out, p.Entry.ID)
	}
	return out
}

func mustModerate(t *testing.T, what string, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// TestStore_Hide: a hidden entry leaves the section and every read of it,
// and nothing the poll loop does brings it back: the same item again, an
// edited item under the same id, new rules, a duplicate from another
// source. Unhide puts it back where it was published.
func TestStore_Hide(t *testing.T) {
	forEachBackend(t, func(t *testing.T, st *store.Store, _ *recorder) {
		ctx := context.Background()
		sec := section("news", 10, "a", "b")
		secs := []model.Section{sec}
		srcA, srcB := source("a", "news"), source("b", "news")
		feedA := []model.Entry{story("a", "a-1", 1, "运动会", "https://a.example/1"), story("a", "a-2", 2, "讲座", "https://a.example/2"),
			story("a", "a-3", 3, "招生", "https://a.example/3")}
		mustIngest(t, st, srcA, secs, feedA, t0)
		v := meta(t, st, "news").Version

		mustModerate(t, "Hide", st.Hide(ctx, "news", "a-2", t0.Add(time.Minute)))
		assertEqual(t, "section after hide", sectionIDs(t, st, "news"), []string{"a-3", "a-1"})
		assertEqual(t, "page ?source=a after hide", pageIDs(t, st, "news", "a"), []string{"a-3", "a-1"})
		if got := meta(t, st, "news"); got.Version != v+1 || !got.UpdatedAt.Equal(t0.Add(time.Minute)) {
			t.Errorf("meta after hide = %+v, want version %d at %v", got, v+1, t0.Add(time.Minute))
		}
		mustModerate(t, "Hide again", st.Hide(ctx, "news", "a-2", t0.Add(2*time.Minute)))
		assertEqual(t, "version after a repeated hide", meta(t, st, "news").Version, v+1)

		edited := feedA[1]
		edited.Title, edited.Summary = "讲座（更新）", "new text"
		steps := []struct {
			name string
			run  func() error
		}{
			{"same feed again", func() error { _, err := st.Ingest(ctx, srcA, secs, feedA, t0.Add(time.Hour)); return err }},
			{"rules changed (Refresh)", func() error {
				s := sec
				s.Exclude = []string{"无关的词"}
				_, err := st.Refresh(ctx, rulesOf(t, srcA, []model.Section{s}), t0.Add(3*time.Hour))
				return err
			}},
			{"rules back (IngestRules)", func() error {
				_, err := st.IngestRules(ctx, rulesOf(t, srcA, secs), feedA, t0.Add(4*time.Hour))
				return err
			}},
			{"edited at the source", func() error {
				_, err := st.Ingest(ctx, srcA, secs, []model.Entry{feedA[0], edited, feedA[2]}, t0.Add(9*time.Hour/2))
				return err
			}},
			{"duplicate from another source", func() error {
				_, err := st.Ingest(ctx, srcB, secs, []model.Entry{story("b", "b-1", 1, "转载：讲座", "https://a.example/2")}, t0.Add(5*time.Hour))
				return err
			}},
		}
		for _, step := range steps {
			mustModerate(t, step.name, step.run())
			assertEqual(t, step.name+": section", sectionIDs(t, st, "news"), []string{"a-3", "a-1"})
		}
		assertEqual(t, "page ?source=b", pageIDs(t, st, "news", "b"), []string{})

		mustModerate(t, "Unhide", st.Unhide(ctx, sec, "a-2", t0.Add(6*time.Hour)))
		assertEqual(t, "section after unhide", sectionIDs(t, st, "news"), []string{"a-3", "a-2", "a-1"})
		got, err := st.SectionEntries(ctx, "news", 0)
		mustModerate(t, "SectionEntries", err)
		assertEqual(t, "unhidden entry is the edited one", got[1].Title, "讲座（更新）")
		mustModerate(t, "Unhide again", st.Unhide(ctx, sec, "a-2", t0.Add(7*time.Hour)))
		mod, err := st.Moderation(ctx, "news", t0.Add(7*time.Hour))
		mustModerate(t, "Moderation", err)
		assertEqual(t, "hidden after unhide", pinIDs(mod.Hidden), []string{})
	})
}

// TestStore_Hide_Refusals: an entry the section does not hold cannot be
// moderated, and a hidden one cannot be pinned.
func TestStore_Hide_Refusals(t *testing.T) {
	forEachBackend(t, func(t *testing.T, st *store.Store, _ *recorder) {
		ctx := context.Background()
		sec := section("news", 10, "a")
		mustIngest(t, st, source("a", "news"), []model.Section{sec}, entries("a", 0, 2), t0)
		mustModerate(t, "Hide", st.Hide(ctx, "news", "a-000", t0))
		tests := []struct {
			name string
			err  error
			want error
		}{
			{"hide unknown", st.Hide(ctx, "news", "nope", t0), store.ErrNotInSection},
			{"hide in another section", st.Hide(ctx, "other", "a-001", t0), store.ErrNotInSection},
			{"unhide unknown", st.Unhide(ctx, sec, "nope", t0), store.ErrNotInSection},
			{"pin unknown", st.Pin(ctx, "news", "nope", time.Time{}, t0), store.ErrNotInSection},
			{"unpin unknown", st.Unpin(ctx, "news", "nope", t0), store.ErrNotInSection},
			{"pin hidden", st.Pin(ctx, "news", "a-000", time.Time{}, t0), store.ErrHidden},
			{"unpin hidden (not pinned)", st.Unpin(ctx, "news", "a-000", t0), nil},
			{"unhide visible", st.Unhide(ctx, sec, "a-001", t0), nil},
		}
		for _, tt := range tests {
			if !errors.Is(tt.err, tt.want) || (tt.want == nil && tt.err != nil) {
				t.Errorf("%s: err = %v, want %v", tt.name, tt.err, tt.want)
			}
		}
	})
}

// TestStore_Pin: the most recently pinned first, a pin's expiry, hiding
// unpins, unpin ends it; the expired pin is dropped by Moderation.
func TestStore_Pin(t *testing.T) {
	forEachBackend(t, func(t *testing.T, st *store.Store, _ *recorder) {
		ctx := context.Background()
		mustIngest(t, st, source("a", "news"), []model.Section{section("news", 10, "a")}, entries("a", 0, 5), t0)
		v := meta(t, st, "news").Version
		until := t0.Add(time.Hour)
		mustModerate(t, "Pin a-001", st.Pin(ctx, "news", "a-001", time.Time{}, t0.Add(time.Minute)))
		mustModerate(t, "Pin a-000", st.Pin(ctx, "news", "a-000", until, t0.Add(2*time.Minute)))
		mustModerate(t, "Pin a-003", st.Pin(ctx, "news", "a-003", time.Time{}, t0.Add(3*time.Minute)))
		assertEqual(t, "version after three pins", meta(t, st, "news").Version, v+3)

		pins, err := st.SectionPins(ctx, "news")
		mustModerate(t, "SectionPins", err)
		assertEqual(t, "pins", pinIDs(pins), []string{"a-003", "a-000", "a-001"})
		assertEqual(t, "pin expiry", pins[1].Until, until)
		assertEqual(t, "pinned at", pins[0].At, t0.Add(3*time.Minute))
		assertEqual(t, "pin entry", pins[2].Entry.Title, "title a-001")
		// Pinning leaves the date order of the index alone.
		assertEqual(t, "section", sectionIDs(t, st, "news"), []string{"a-004", "a-003", "a-002", "a-001", "a-000"})

		// Pinning again moves it to the top.
		mustModerate(t, "Pin a-001 again", st.Pin(ctx, "news", "a-001", time.Time{}, t0.Add(4*time.Minute)))
		mustModerate(t, "Hide a-003", st.Hide(ctx, "news", "a-003", t0.Add(5*time.Minute)))
		mod, err := st.Moderation(ctx, "news", t0.Add(30*time.Minute))
		mustModerate(t, "Moderation", err)
		assertEqual(t, "pinned before expiry", pinIDs(mod.Pinned), []string{"a-001", "a-000"})
		assertEqual(t, "hidden", pinIDs(mod.Hidden), []string{"a-003"})

		mod, err = st.Moderation(ctx, "news", until)
		mustModerate(t, "Moderation at expiry", err)
		assertEqual(t, "pinned at expiry", pinIDs(mod.Pinned), []string{"a-001"})
		n, err := st.Client().HLen(ctx, st.Keys().SectionPins("news")).Result()
		mustModerate(t, "HLEN", err)
		assertEqual(t, "expired pin dropped from the store", n, int64(1))

		mustModerate(t, "Unpin", st.Unpin(ctx, "news", "a-001", until))
		pins, err = st.SectionPins(ctx, "news")
		mustModerate(t, "SectionPins", err)
		assertEqual(t, "pins after unpin", pinIDs(pins), []string{})
	})
}

// TestStore_Pin_Cap: a section holds at most PinCap pins; expired ones do
// not count.
func TestStore_Pin_Cap(t *testing.T) {
	forEachBackend(t, func(t *testing.T, st *store.Store, _ *recorder) {
		ctx := context.Background()
		es := entries("a", 0, store.PinCap+1)
		mustIngest(t, st, source("a", "news"), []model.Section{section("news", 100, "a")}, es, t0)
		for i, e := range es[:store.PinCap] {
			until := time.Time{}
			if i == 0 {
				until = t0.Add(time.Hour)
			}
			mustModerate(t, "Pin", st.Pin(ctx, "news", e.ID, until, t0))
		}
		last := es[store.PinCap].ID
		if err := st.Pin(ctx, "news", last, time.Time{}, t0); !errors.Is(err, store.ErrModerationFull) {
			t.Fatalf("pin over the cap: err = %v, want ErrModerationFull", err)
		}
		mustModerate(t, "Pin after an expiry", st.Pin(ctx, "news", last, time.Time{}, t0.Add(time.Hour)))
	})
}

// TestStore_Hide_PrunesDeleted: at the cap, marks whose entry was deleted
// make room.
func TestStore_Hide_PrunesDeleted(t *testing.T) {
	forEachBackend(t, func(t *testing.T, st *store.Store, _ *recorder) {
		ctx := context.Background()
		mustIngest(t, st, source("a", "news"), []model.Section{section("news", 10, "a")}, entries("a", 0, 2), t0)
		fill := make([]any, 0, 2*store.HiddenCap)
		for i := range store.HiddenCap {
			fill = append(fill, "gone-"+strconv.Itoa(i), "1 1")
		}
		mustModerate(t, "fill", st.Client().HSet(ctx, st.Keys().SectionHidden("news"), fill...).Err())
		mustModerate(t, "Hide at the cap", st.Hide(ctx, "news", "a-000", t0))
		mod, err := st.Moderation(ctx, "news", t0)
		mustModerate(t, "Moderation", err)
		assertEqual(t, "hidden", pinIDs(mod.Hidden), []string{"a-000"})
		assertEqual(t, "section", sectionIDs(t, st, "news"), []string{"a-001"})
	})
}

// TestStore_Unhide_Limits: an entry unhidden after it would have aged out
// or been trimmed stays out; its mark goes.
func TestStore_Unhide_Limits(t *testing.T) {
	forEachBackend(t, func(t *testing.T, st *store.Store, _ *recorder) {
		ctx := context.Background()
		sec := section("news", 3, "a")
		src := source("a", "news")
		mustIngest(t, st, src, []model.Section{sec}, entries("a", 0, 3), t0)
		mustModerate(t, "Hide", st.Hide(ctx, "news", "a-000", t0))
		mustIngest(t, st, src, []model.Section{sec}, entries("a", 0, 6), t0.Add(time.Hour))
		assertEqual(t, "full section", sectionIDs(t, st, "news"), []string{"a-005", "a-004", "a-003"})
		mustModerate(t, "Unhide", st.Unhide(ctx, sec, "a-000", t0.Add(time.Hour)))
		assertEqual(t, "older than the full section", sectionIDs(t, st, "news"), []string{"a-005", "a-004", "a-003"})
		n, err := st.Client().HLen(ctx, st.Keys().SectionHidden("news")).Result()
		mustModerate(t, "HLEN", err)
		assertEqual(t, "marks", n, int64(0))
	})
}

// TestEmbedded_SnapshotKeepsModeration: hidden and pinned survive a
// restart of the embedded store.
func TestEmbedded_SnapshotKeepsModeration(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "tributary.snapshot")
	e, st := startEmbedded(t, path)
	secs := []model.Section{section("news", 10, "a")}
	mustIngest(t, st, source("a", "news"), secs, entries("a", 0, 3), t0)
	mustModerate(t, "Hide", st.Hide(ctx, "news", "a-001", t0))
	mustModerate(t, "Pin", st.Pin(ctx, "news", "a-000", time.Time{}, t0))
	if err := e.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	_, st2 := startEmbedded(t, path)
	mustIngest(t, st2, source("a", "news"), secs, entries("a", 0, 3), t0.Add(time.Hour))
	assertEqual(t, "section after restart and re-poll", sectionIDs(t, st2, "news"), []string{"a-002", "a-000"})
	pins, err := st2.SectionPins(ctx, "news")
	mustModerate(t, "SectionPins", err)
	assertEqual(t, "pins after restart", pinIDs(pins), []string{"a-000"})
}
