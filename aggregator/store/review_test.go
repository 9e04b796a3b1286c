package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/aggregator/store"
)

func reviewed(sec model.Section, trusted ...string) model.Section {
	sec.Review, sec.TrustedSourceIDs = true, trusted
	return sec
}

func queueIDs(t *testing.T, st *store.Store, sectionID string) []string {
	t.Helper()
	q, total, err := st.ReviewQueue(context.Background(), sectionID, 0)
	if err != nil {
		t.Fatalf("ReviewQueue(%s): %v", sectionID, err)
	}
	out := []string{}
	for _, p := range q {
		out = append(out, p.Entry.ID)
	}
	if total != len(out) {
		t.Errorf("ReviewQueue total %d, listed %d", total, len(out))
	}
	return out
}

func heldIDs(res store.IngestResult) map[string][]string {
	out := map[string][]string{}
	for _, h := range res.Held {
		out[h.SectionID] = ids(h.Entries)
	}
	return out
}

// TestStore_Review walks one section through review: what it held before
// review stays, new entries wait (reported once), a trusted source's do
// not, an approval publishes at the published position and survives
// edits, a rejection survives re-polls, edits, rule changes and turning
// review off.
func TestStore_Review(t *testing.T) {
	forEachBackend(t, func(t *testing.T, st *store.Store, _ *recorder) {
		ctx := context.Background()
		plain := section("news", 10, "a", "b")
		sec := reviewed(plain, "b")
		secs := []model.Section{sec}
		srcA, srcB := source("a", "news"), source("b", "news")
		feed := entries("a", 0, 3)
		mustIngest(t, st, srcA, []model.Section{plain}, feed, t0)

		// Review on: the history stays, the new entry waits.
		feed = append(feed, entry("a", "a-003", 3))
		res := mustIngest(t, st, srcA, secs, feed, t0.Add(time.Hour))
		assertEqual(t, "held on the first poll", heldIDs(res), map[string][]string{"news": {"a-003"}})
		assertEqual(t, "section keeps its history", sectionIDs(t, st, "news"), []string{"a-002", "a-001", "a-000"})
		assertEqual(t, "queue", queueIDs(t, st, "news"), []string{"a-003"})
		res = mustIngest(t, st, srcA, secs, feed, t0.Add(2*time.Hour))
		assertEqual(t, "held on a re-poll", len(res.Held), 0)

		// An edit of a published entry is merged as before.
		edited := feed[1]
		edited.Title = "title a-001 (edited)"
		mustIngest(t, st, srcA, secs, []model.Entry{feed[0], edited, feed[2], feed[3]}, t0.Add(3*time.Hour))
		got, err := st.SectionEntries(ctx, "news", 0)
		mustModerate(t, "SectionEntries", err)
		assertEqual(t, "edited published entry", got[1].Title, "title a-001 (edited)")

		// A trusted source is published at once.
		res = mustIngest(t, st, srcB, secs, []model.Entry{entry("b", "b-000", 5)}, t0.Add(3*time.Hour))
		assertEqual(t, "trusted held", len(res.Held), 0)
		assertEqual(t, "trusted published", sectionIDs(t, st, "news"), []string{"b-000", "a-002", "a-001", "a-000"})

		v := meta(t, st, "news").Version
		out, err := st.Approve(ctx, sec, []string{"a-003"}, t0.Add(4*time.Hour))
		mustModerate(t, "Approve", err)
		assertEqual(t, "approve outcome", out, []model.ReviewOutcome{{EntryID: "a-003", State: model.ReviewApproved, Shown: true, Title: "title a-003"}})
		assertEqual(t, "version after approve", meta(t, st, "news").Version, v+1)
		assertEqual(t, "approved at its position", sectionIDs(t, st, "news"), []string{"b-000", "a-003", "a-002", "a-001", "a-000"})
		assertEqual(t, "queue after approve", queueIDs(t, st, "news"), []string{})
		edited = feed[3]
		edited.Title = "title a-003 (edited)"
		res = mustIngest(t, st, srcA, secs, []model.Entry{feed[0], feed[1], feed[2], edited}, t0.Add(5*time.Hour))
		assertEqual(t, "edited approved entry held", len(res.Held), 0)
		assertEqual(t, "edited approved entry stays", sectionIDs(t, st, "news"), []string{"b-000", "a-003", "a-002", "a-001", "a-000"})

		// A rejected entry never comes back.
		bad := entry("a", "a-004", 4)
		res = mustIngest(t, st, srcA, secs, []model.Entry{bad}, t0.Add(6*time.Hour))
		assertEqual(t, "held", heldIDs(res), map[string][]string{"news": {"a-004"}})
		out, err = st.Reject(ctx, "news", []string{"a-004"}, t0.Add(7*time.Hour))
		mustModerate(t, "Reject", err)
		assertEqual(t, "reject outcome", out, []model.ReviewOutcome{{EntryID: "a-004", State: model.ReviewRejected, Title: "title a-004"}})
		bad.Title = "澳门博彩 (edited)"
		steps := []struct {
			name string
			run  func() (store.IngestResult, error)
		}{
			{"re-poll", func() (store.IngestResult, error) {
				return st.Ingest(ctx, srcA, secs, []model.Entry{bad}, t0.Add(8*time.Hour))
			}},
			{"rules changed", func() (store.IngestResult, error) {
				s := sec
				s.Exclude = []string{"无关"}
				return st.IngestRules(ctx, rulesOf(t, srcA, []model.Section{s}), []model.Entry{bad}, t0.Add(9*time.Hour))
			}},
			{"review off", func() (store.IngestResult, error) {
				return st.Ingest(ctx, srcA, []model.Section{plain}, []model.Entry{bad}, t0.Add(10*time.Hour))
			}},
			{"source trusted", func() (store.IngestResult, error) {
				return st.Ingest(ctx, srcA, []model.Section{reviewed(plain, "a", "b")}, []model.Entry{bad}, t0.Add(11*time.Hour))
			}},
		}
		for _, step := range steps {
			res, err := step.run()
			mustModerate(t, step.name, err)
			assertEqual(t, step.name+": held", len(res.Held), 0)
			assertEqual(t, step.name+": section", sectionIDs(t, st, "news"), []string{"b-000", "a-003", "a-002", "a-001", "a-000"})
			assertEqual(t, step.name+": queue", queueIDs(t, st, "news"), []string{})
		}

		// Turning review off publishes what waits, at the source's next
		// poll.
		mustIngest(t, st, srcA, secs, []model.Entry{entry("a", "a-006", 6)}, t0.Add(12*time.Hour))
		assertEqual(t, "waiting", queueIDs(t, st, "news"), []string{"a-006"})
		mustIngest(t, st, srcA, []model.Section{plain}, []model.Entry{entry("a", "a-006", 6)}, t0.Add(13*time.Hour))
		assertEqual(t, "published with review off", sectionIDs(t, st, "news")[0], "a-006")
		assertEqual(t, "queue with review off", queueIDs(t, st, "news"), []string{})
	})
}

// TestStore_Review_Refusals: decisions on entries that are not waiting.
func TestStore_Review_Refusals(t *testing.T) {
	forEachBackend(t, func(t *testing.T, st *store.Store, _ *recorder) {
		ctx := context.Background()
		plain := section("news", 10, "a")
		sec := reviewed(plain)
		mustIngest(t, st, source("a", "news"), []model.Section{plain}, entries("a", 0, 1), t0)
		mustIngest(t, st, source("a", "news"), []model.Section{sec}, entries("a", 0, 4), t0)
		_, err := st.Approve(ctx, sec, []string{"a-001"}, t0)
		mustModerate(t, "Approve a-001", err)
		_, err = st.Reject(ctx, "news", []string{"a-002"}, t0)
		mustModerate(t, "Reject a-002", err)
		approve := func(id string) error { _, err := st.Approve(ctx, sec, []string{id}, t0); return err }
		reject := func(id string) error { _, err := st.Reject(ctx, "news", []string{id}, t0); return err }
		tests := []struct {
			name string
			err  error
			want error
		}{
			{"approve unknown", approve("nope"), store.ErrNotQueued},
			{"reject unknown", reject("nope"), store.ErrNotQueued},
			{"approve rejected", approve("a-002"), store.ErrRejected},
			{"reject approved", reject("a-001"), store.ErrPublished},
			{"reject published before review", reject("a-000"), store.ErrPublished},
			{"approve again", approve("a-001"), nil},
			{"reject again", reject("a-002"), nil},
			{"approve published before review", approve("a-000"), nil},
		}
		for _, tt := range tests {
			if !errors.Is(tt.err, tt.want) || (tt.want == nil && tt.err != nil) {
				t.Errorf("%s: err = %v, want %v", tt.name, tt.err, tt.want)
			}
		}
		// A run stops at its first refusal, with what it did before.
		out, err := st.Approve(ctx, sec, []string{"a-003", "nope", "a-000"}, t0)
		if !errors.Is(err, store.ErrNotQueued) || len(out) != 1 || out[0].EntryID != "a-003" {
			t.Errorf("run with a refusal: %+v, %v", out, err)
		}
		counts, err := st.PendingCounts(ctx, []string{"news", "other"})
		mustModerate(t, "PendingCounts", err)
		assertEqual(t, "counts", counts, map[string]int{"news": 0, "other": 0})
	})
}

// TestStore_Review_NoFlood: turning review on does not queue the old
// entries a full section already trimmed, nor copies of a story the
// section publishes; a queued entry that no longer fits leaves the queue.
func TestStore_Review_NoFlood(t *testing.T) {
	forEachBackend(t, func(t *testing.T, st *store.Store, _ *recorder) {
		ctx := context.Background()
		plain := section("news", 3, "a", "b")
		sec := reviewed(plain)
		srcA, srcB := source("a", "news"), source("b", "news")
		feed := entries("a", 0, 6)
		mustIngest(t, st, srcA, []model.Section{plain}, feed, t0)
		res := mustIngest(t, st, srcA, []model.Section{sec}, feed, t0.Add(time.Hour))
		assertEqual(t, "held after review on", len(res.Held), 0)
		assertEqual(t, "section", sectionIDs(t, st, "news"), []string{"a-005", "a-004", "a-003"})

		// A copy of a published story (same link, published later) is a
		// duplicate, not a new entry to review.
		cp := story("b", "b-000", 10, "转载", feed[5].Link)
		orig := feed[5]
		orig.CanonicalLink = orig.Link
		mustIngest(t, st, srcA, []model.Section{sec}, []model.Entry{orig}, t0.Add(2*time.Hour))
		res = mustIngest(t, st, srcB, []model.Section{sec}, []model.Entry{cp}, t0.Add(2*time.Hour))
		assertEqual(t, "duplicate held", len(res.Held), 0)

		// Queued, then the section fills with newer published entries:
		// it would not show, so it leaves the queue.
		mustIngest(t, st, srcA, []model.Section{sec}, []model.Entry{entry("a", "a-006", 6)}, t0.Add(3*time.Hour))
		assertEqual(t, "queue", queueIDs(t, st, "news"), []string{"a-006"})
		_, err := st.Approve(ctx, sec, []string{"a-006"}, t0.Add(3*time.Hour))
		mustModerate(t, "Approve", err)
		mustIngest(t, st, srcA, []model.Section{sec}, []model.Entry{entry("a", "a-007", 7)}, t0.Add(4*time.Hour))
		_, err = st.Approve(ctx, sec, []string{"a-007"}, t0.Add(4*time.Hour))
		mustModerate(t, "Approve", err)
		mustIngest(t, st, srcA, []model.Section{sec}, []model.Entry{entry("a", "a-008", 8)}, t0.Add(4*time.Hour))
		_, err = st.Approve(ctx, sec, []string{"a-008"}, t0.Add(4*time.Hour))
		mustModerate(t, "Approve", err)
		// An approval, like an unhide, leaves the trim to the next merge.
		mustIngest(t, st, srcA, []model.Section{sec}, []model.Entry{entry("a", "a-001", 1)}, t0.Add(5*time.Hour))
		assertEqual(t, "section", sectionIDs(t, st, "news"), []string{"a-008", "a-007", "a-006"})
		assertEqual(t, "old entry not queued", queueIDs(t, st, "news"), []string{})
	})
}
