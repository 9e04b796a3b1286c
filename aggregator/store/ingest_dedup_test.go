package store_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/tributary-rss/tributary/aggregator/curate"
	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/aggregator/store"
)

// story is an entry of source src carrying a canonical link, as normalize
// makes it.
func story(src, id string, hour int, title, link string) model.Entry {
	e := entry(src, id, hour)
	e.Title, e.Link, e.CanonicalLink = title, link, link
	return e
}

// ingestWith ingests through the rules the source's and sections'
// filters make.
func ingestWith(t *testing.T, st *store.Store, src model.Source, secs []model.Section, es []model.Entry, now time.Time) store.IngestResult {
	t.Helper()
	res, err := st.IngestRules(context.Background(), rulesOf(t, src, secs), es, now)
	if err != nil {
		t.Fatalf("IngestRules: %v", err)
	}
	return res
}

// rulesOf is the policy a poll applies to src in secs (see
// poll.Poller): curate's decisions, which the store only applies.
func rulesOf(t *testing.T, src model.Source, secs []model.Section) store.Policy {
	t.Helper()
	r, err := curate.New(src, secs, nil)
	if err != nil {
		t.Fatal(err)
	}
	return store.Policy{Source: r.Source, Sections: r.Sections, Fingerprint: r.Fingerprint, Admit: r.Admit}
}

func storedIDs(t *testing.T, st *store.Store, ids ...string) []string {
	t.Helper()
	var out []string
	for _, id := range ids {
		if n, err := st.Client().Exists(context.Background(), st.Keys().Entry(id)).Result(); err != nil {
			t.Fatal(err)
		} else if n == 1 {
			out = append(out, id)
		}
	}
	return out
}

// TestStore_Ingest_GUIDChangesWithTitle is a CMS that derives the guid from
// the title: each edit looks like a new item, but the link stays.
func TestStore_Ingest_GUIDChangesWithTitle(t *testing.T) {
	forEachBackend(t, func(t *testing.T, st *store.Store, _ *recorder) {
		secs := []model.Section{section("news", 10)}
		src := source("a", "news")
		link := "https://www.example.edu.cn/info/1021/5566.htm"
		mustIngest(t, st, src, secs, []model.Entry{story("a", "guid-v1", 5, "关于召开运动会的通知", link)}, t0)
		res := mustIngest(t, st, src, secs, []model.Entry{story("a", "guid-v2", 5, "关于召开2026年秋季运动会的通知", link)}, t0.Add(time.Hour))
		assertEqual(t, "second poll", res, store.IngestResult{Updated: 1, ChangedSections: []string{"news"}})
		got, err := st.SectionEntries(context.Background(), "news", 0)
		if err != nil {
			t.Fatal(err)
		}
		assertEqual(t, "section", ids(got), []string{"guid-v1"})
		assertEqual(t, "title updated in place", got[0].Title, "关于召开2026年秋季运动会的通知")
		res = mustIngest(t, st, src, secs, []model.Entry{story("a", "guid-v3", 5, "关于召开2026年秋季运动会的通知", link)}, t0.Add(2*time.Hour))
		assertEqual(t, "third poll", res, store.IngestResult{Unchanged: 1})
	})
}

// TestStore_Ingest_SharedLinkNotMerged is the opposite CMS: every item
// links to the home page, with good guids. A link two items share is not
// an identity.
func TestStore_Ingest_SharedLinkNotMerged(t *testing.T) {
	forEachBackend(t, func(t *testing.T, st *store.Store, _ *recorder) {
		secs := []model.Section{section("news", 10)}
		home := "https://www.example.edu.cn/"
		batch := []model.Entry{story("a", "g1", 1, "第一条新闻标题", home), story("a", "g2", 2, "第二条新闻标题", home)}
		mustIngest(t, st, source("a", "news"), secs, batch, t0)
		batch = append(batch, story("a", "g3", 3, "第三条新闻标题", home))
		res := mustIngest(t, st, source("a", "news"), secs, batch, t0.Add(time.Hour))
		assertEqual(t, "second poll", res.New, 1)
		assertEqual(t, "section", sectionIDs(t, st, "news"), []string{"g3", "g2", "g1"})
	})
}

// TestStore_Ingest_CrossSourceLinkDedup: two member sites repost one story;
// the section shows it once, from whoever published first, in either
// polling order, and re-polls change nothing.
func TestStore_Ingest_CrossSourceLinkDedup(t *testing.T) {
	link := "https://www.moe.gov.cn/jyb_xwfb/202610/t20261017_1.html"
	early := story("b", "b-1", 3, "教育部发布通知", link)
	late := story("a", "a-1", 9, "转载：教育部发布通知", link)
	other := story("a", "a-2", 8, "本校新闻", "https://a.example.edu.cn/2.htm")
	tests := []struct {
		name  string
		order []string
	}{
		{"early source polled first", []string{"b", "a"}},
		{"late source polled first", []string{"a", "b"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			forEachBackend(t, func(t *testing.T, st *store.Store, _ *recorder) {
				secs := []model.Section{section("news", 10, "a", "b")}
				batches := map[string][]model.Entry{"a": {late, other}, "b": {early}}
				for round := range 2 {
					for _, src := range tt.order {
						mustIngest(t, st, source(src, "news"), secs, batches[src], t0.Add(time.Duration(round)*time.Hour))
					}
				}
				assertEqual(t, "section", sectionIDs(t, st, "news"), []string{"a-2", "b-1"})
				// The loser is still stored: another section may want it.
				assertEqual(t, "stored", storedIDs(t, st, "a-1", "b-1"), []string{"a-1", "b-1"})
			})
		})
	}
}

func TestStore_Ingest_DedupPerSection(t *testing.T) {
	forEachBackend(t, func(t *testing.T, st *store.Store, _ *recorder) {
		link := "https://example.org/story"
		secs := []model.Section{section("news", 10, "a", "b"), section("a-only", 10, "a")}
		mustIngest(t, st, source("b", "news"), secs[:1], []model.Entry{story("b", "b-1", 1, "A shared story", link)}, t0)
		mustIngest(t, st, source("a", "news", "a-only"), secs, []model.Entry{story("a", "a-1", 2, "A shared story", link)}, t0)
		assertEqual(t, "news", sectionIDs(t, st, "news"), []string{"b-1"})
		assertEqual(t, "a-only", sectionIDs(t, st, "a-only"), []string{"a-1"})
	})
}

func TestStore_Ingest_TitleDedup(t *testing.T) {
	a := story("a", "a-1", 10, "Rust 1.95 released!", "https://a.example/rust")
	tests := []struct {
		name  string
		dedup bool
		b     model.Entry
		want  []string
	}{
		{"off keeps both", false, story("b", "b-1", 12, "rust 1.95 Released", "https://b.example/rust"), []string{"b-1", "a-1"}},
		{"on merges within 48h", true, story("b", "b-1", 12, "rust 1.95 Released", "https://b.example/rust"), []string{"a-1"}},
		{"on keeps the earlier", true, story("b", "b-1", 2, "RUST 1.95 RELEASED", "https://b.example/rust"), []string{"b-1"}},
		{"on full-width forms match", true, story("b", "b-1", 12, "Ｒｕｓｔ　１.９５ released", "https://b.example/rust"), []string{"a-1"}},
		{"on but more than 48h apart", true, story("b", "b-1", 10+49, "Rust 1.95 released", "https://b.example/rust"), []string{"b-1", "a-1"}},
		{"on but different titles", true, story("b", "b-1", 12, "Rust 1.96 released", "https://b.example/rust"), []string{"b-1", "a-1"}},
		{"on but too short to mean a story", true, story("b", "b-1", 12, "News", "https://b.example/n"), []string{"b-1", "a-1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			forEachBackend(t, func(t *testing.T, st *store.Store, _ *recorder) {
				sec := section("news", 10, "a", "b")
				sec.DedupTitles = tt.dedup
				secs := []model.Section{sec}
				aa := a
				if tt.b.Title == "News" {
					aa.Title = "news"
				}
				for range 2 {
					mustIngest(t, st, source("a", "news"), secs, []model.Entry{aa}, t0)
					mustIngest(t, st, source("b", "news"), secs, []model.Entry{tt.b}, t0)
				}
				assertEqual(t, "section", sectionIDs(t, st, "news"), tt.want)
			})
		})
	}
}

func TestStore_IngestFiltered(t *testing.T) {
	forEachBackend(t, func(t *testing.T, st *store.Store, _ *recorder) {
		secs := []model.Section{section("news", 10)}
		batch := []model.Entry{story("a", "a-1", 1, "讲座通知", "https://a.example/1"), story("a", "a-2", 2, "广告：招生", "https://a.example/2")}
		src := source("a", "news")
		src.Exclude = []string{"广告"}
		res := ingestWith(t, st, src, secs, batch, t0)
		assertEqual(t, "new", res.New, 2)
		assertEqual(t, "section", sectionIDs(t, st, "news"), []string{"a-1"})
		assertEqual(t, "stored", storedIDs(t, st, "a-1", "a-2"), []string{"a-1", "a-2"})
	})
}

// TestStore_Refresh_FilterChange: the filter changes while the feed does
// not (304); the next poll re-evaluates what the section holds, also for
// stored entries no longer in the feed, and deletes nothing.
func TestStore_Refresh_FilterChange(t *testing.T) {
	forEachBackend(t, func(t *testing.T, st *store.Store, _ *recorder) {
		ctx := context.Background()
		sec := section("news", 10)
		src := source("a", "news")
		mustIngest(t, st, src, []model.Section{sec}, []model.Entry{story("a", "a-1", 1, "体育：运动会", "https://a.example/1")}, t0)
		mustIngest(t, st, src, []model.Section{sec}, []model.Entry{story("a", "a-2", 2, "讲座通知", "https://a.example/2")}, t0)
		assertEqual(t, "before", sectionIDs(t, st, "news"), []string{"a-2", "a-1"})

		steps := []struct {
			name    string
			exclude []string
			want    []string
			changed []string
		}{
			{"same rules: nothing to do", nil, []string{"a-2", "a-1"}, nil},
			{"exclude added", []string{"体育"}, []string{"a-2"}, []string{"news"}},
			{"exclude unchanged", []string{"体育"}, []string{"a-2"}, nil},
			{"exclude removed", nil, []string{"a-2", "a-1"}, []string{"news"}},
		}
		for _, step := range steps {
			sec.Exclude = step.exclude
			changed, err := st.Refresh(ctx, rulesOf(t, src, []model.Section{sec}), t0)
			if err != nil {
				t.Fatal(err)
			}
			assertEqual(t, step.name+": changed", changed, step.changed)
			assertEqual(t, step.name+": section", sectionIDs(t, st, "news"), step.want)
		}
		assertEqual(t, "stored", storedIDs(t, st, "a-1", "a-2"), []string{"a-1", "a-2"})
	})
}

func TestStore_Ingest_MaxAge(t *testing.T) {
	forEachBackend(t, func(t *testing.T, st *store.Store, _ *recorder) {
		sec := section("news", 10)
		sec.MaxAge = 48 * time.Hour
		secs := []model.Section{sec}
		src := source("a", "news")
		// Hours from 2024-04-01: now is 2024-04-05 00:00 (hour 96).
		now := time.Date(2024, 4, 5, 0, 0, 0, 0, time.UTC)
		batch := []model.Entry{story("a", "old", 40, "old", "https://a.example/o"), story("a", "mid", 60, "mid", "https://a.example/m"), story("a", "new", 90, "new", "https://a.example/n")}
		ingestWith(t, st, src, secs, batch, now)
		assertEqual(t, "at ingest", sectionIDs(t, st, "news"), []string{"new", "mid"})
		changed, err := st.Refresh(context.Background(), rulesOf(t, src, secs), now.Add(24*time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		assertEqual(t, "a day later: changed", changed, []string{"news"})
		assertEqual(t, "a day later", sectionIDs(t, st, "news"), []string{"new"})
		assertEqual(t, "stored", storedIDs(t, st, "old", "mid", "new"), []string{"old", "mid", "new"})
	})
}

// TestStore_Ingest_RetentionSharedEntry: an entry two sections hold stays
// stored while one of them still holds it.
func TestStore_Ingest_RetentionSharedEntry(t *testing.T) {
	forEachBackend(t, func(t *testing.T, st *store.Store, _ *recorder) {
		secs := []model.Section{section("small", 2), section("big", 200)}
		src := source("a", "small", "big")
		for i := range store.MinSourceEntries + 10 {
			mustIngest(t, st, src, secs, entries("a", i, 1), t0)
		}
		if got := sectionIDs(t, st, "small"); len(got) != 2 {
			t.Fatalf("small holds %v", got)
		}
		first := "a-000"
		if !slices.Contains(sectionIDs(t, st, "big"), first) {
			t.Fatal("big lost its oldest entry")
		}
		assertEqual(t, "oldest entry kept for big", storedIDs(t, st, first), []string{first})
	})
}

// TestStore_Ingest_LinkMovesToAnotherItem: the link of a stored item is
// now carried by a new item while the old item is still in the feed under
// a new link: both stay, nothing is merged.
func TestStore_Ingest_LinkMovesToAnotherItem(t *testing.T) {
	forEachBackend(t, func(t *testing.T, st *store.Store, _ *recorder) {
		secs := []model.Section{section("news", 10)}
		src := source("a", "news")
		mustIngest(t, st, src, secs, []model.Entry{story("a", "g1", 1, "第一条新闻标题", "https://a.example/x")}, t0)
		res := mustIngest(t, st, src, secs, []model.Entry{
			story("a", "g1", 1, "第一条新闻标题", "https://a.example/y"),
			story("a", "g2", 2, "第二条新闻标题", "https://a.example/x"),
		}, t0)
		assertEqual(t, "result", res, store.IngestResult{New: 1, Updated: 1, ChangedSections: []string{"news"}})
		assertEqual(t, "section", sectionIDs(t, st, "news"), []string{"g2", "g1"})
	})
}

// TestStore_Refresh_RunnerUpTakesOver: the first publisher's copy leaves
// the section (its source's filter now refuses it, or it ages out); the
// other source's copy takes its place at once, and yields again when the
// first copy is admitted again.
func TestStore_Refresh_RunnerUpTakesOver(t *testing.T) {
	link := "https://www.moe.gov.cn/jyb_xwfb/202610/t20261017_1.html"
	early := story("b", "b-1", 30, "教育部发布通知", link)
	late := story("a", "a-1", 60, "转载：教育部发布通知", link)
	now := time.Date(2024, 4, 4, 0, 0, 0, 0, time.UTC) // hour 72
	t.Run("filter", func(t *testing.T) {
		forEachBackend(t, func(t *testing.T, st *store.Store, _ *recorder) {
			sec := section("news", 10, "a", "b")
			srcB := source("b", "news")
			mustIngest(t, st, source("a", "news"), []model.Section{sec}, []model.Entry{late}, now)
			mustIngest(t, st, srcB, []model.Section{sec}, []model.Entry{early}, now)
			assertEqual(t, "both polled", sectionIDs(t, st, "news"), []string{"b-1"})
			srcB.Exclude = []string{"通知"}
			if _, err := st.Refresh(context.Background(), rulesOf(t, srcB, []model.Section{sec}), now); err != nil {
				t.Fatal(err)
			}
			assertEqual(t, "b refused", sectionIDs(t, st, "news"), []string{"a-1"})
			srcB.Exclude = nil
			if _, err := st.Refresh(context.Background(), rulesOf(t, srcB, []model.Section{sec}), now); err != nil {
				t.Fatal(err)
			}
			assertEqual(t, "b admitted again", sectionIDs(t, st, "news"), []string{"b-1"})
		})
	})
	t.Run("max_age", func(t *testing.T) {
		forEachBackend(t, func(t *testing.T, st *store.Store, _ *recorder) {
			sec := section("news", 10, "a", "b")
			sec.MaxAge = 48 * time.Hour
			secs := []model.Section{sec}
			mustIngest(t, st, source("b", "news"), secs, []model.Entry{early}, now)
			mustIngest(t, st, source("a", "news"), secs, []model.Entry{late}, now)
			assertEqual(t, "both polled", sectionIDs(t, st, "news"), []string{"b-1"})
			if _, err := st.Refresh(context.Background(), rulesOf(t, source("a", "news"), secs), now.Add(12*time.Hour)); err != nil {
				t.Fatal(err)
			}
			assertEqual(t, "b aged out", sectionIDs(t, st, "news"), []string{"a-1"})
		})
	})
}

// TestStore_Ingest_DedupHashBounded: trimming a section also forgets the
// dedup claims and runner-ups of what it trimmed.
func TestStore_Ingest_DedupHashBounded(t *testing.T) {
	forEachBackend(t, func(t *testing.T, st *store.Store, _ *recorder) {
		secs := []model.Section{section("news", 2, "a", "b")}
		for i := range 6 {
			link := fmt.Sprintf("https://example.org/story/%d", i)
			mustIngest(t, st, source("a", "news"), secs, []model.Entry{story("a", fmt.Sprintf("a-%d", i), 10*i+1, fmt.Sprintf("Story number %d", i), link)}, t0)
			mustIngest(t, st, source("b", "news"), secs, []model.Entry{story("b", fmt.Sprintf("b-%d", i), 10*i, fmt.Sprintf("Story number %d", i), link)}, t0)
		}
		assertEqual(t, "section", sectionIDs(t, st, "news"), []string{"b-5", "b-4"})
		n, err := st.Client().HLen(context.Background(), st.Keys().SectionDedup("news")).Result()
		if err != nil {
			t.Fatal(err)
		}
		// Per held story: l:<key>, li:<id>, and the runner-up's xl:<key>, xli:<id>.
		assertEqual(t, "dedup hash fields", n, int64(2*4))
	})
}
