package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/aggregator/store"
)

func refs(es ...model.Entry) []store.ArticleRef {
	out := make([]store.ArticleRef, len(es))
	for i, e := range es {
		out[i] = store.ArticleRef{ID: e.ID, Link: e.Link, Published: e.Published}
	}
	return out
}

func pendingIDs(t *testing.T, st *store.Store, src string) []string {
	t.Helper()
	ps, err := st.PendingArticles(context.Background(), src)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.Entry.ID + " " + p.Record.Link
	}
	return out
}

// TestStore_Articles walks the article records of a source through a
// first poll, a stored article, a re-poll of the list, a failure given
// up, entries leaving the list and a changed link.
func TestStore_Articles(t *testing.T) {
	forEachBackend(t, func(t *testing.T, st *store.Store, _ *recorder) {
		ctx := context.Background()
		src := source("s1", "news")
		secs := []model.Section{section("news", 10, "s1")}
		list := entries("s1", 0, 3) // s1-000 oldest … s1-002 newest
		mustIngest(t, st, src, secs, list, t0)
		n, err := st.QueueArticles(ctx, "s1", refs(list...))
		if err != nil || n != 3 {
			t.Fatalf("queued: %d pending, %v; want 3", n, err)
		}
		if state, err := st.SourceState(ctx, "s1"); err != nil || state.Articles.Pending != 3 {
			t.Errorf("state after queueing: %+v, %v; want 3 pending", state.Articles, err)
		}
		assertEqual(t, "pending, newest first", pendingIDs(t, st, "s1"),
			[]string{"s1-002 https://example.org/s1-002", "s1-001 https://example.org/s1-001", "s1-000 https://example.org/s1-000"})

		before := meta(t, st, "news").Version
		a := store.Article{Link: list[2].Link, Content: "<p>全文</p>", Summary: "全文", Image: "https://example.org/a.jpg"}
		if ok, err := st.SaveArticle(ctx, src, "s1-002", a, t0.Add(time.Minute)); !ok || err != nil {
			t.Fatalf("SaveArticle: %v, %v", ok, err)
		}
		if after := meta(t, st, "news").Version; after != before+1 {
			t.Errorf("section version %d after the article, want %d", after, before+1)
		}
		stale := store.Article{Link: "https://example.org/elsewhere", Content: "<p>x</p>"}
		if ok, err := st.SaveArticle(ctx, src, "s1-001", stale, t0); ok || err != nil {
			t.Errorf("article for another link saved: %v, %v", ok, err)
		}
		got, err := st.SectionEntries(ctx, "news", 0)
		if err != nil {
			t.Fatal(err)
		}
		if e := got[0]; e.ID != "s1-002" || e.Content != a.Content || e.Summary != "全文" || e.ArticleLink != a.Link || !e.Published.Equal(list[2].Published) {
			t.Errorf("newest entry after its article: %+v", e)
		}

		// The list polled again holds headlines only: the article stays.
		res := mustIngest(t, st, src, secs, list, t0.Add(time.Hour))
		if res.Unchanged != 3 {
			t.Errorf("re-poll: %+v, want 3 unchanged", res)
		}
		if n, err := st.QueueArticles(ctx, "s1", refs(list...)); err != nil || n != 2 {
			t.Errorf("re-queued: %d pending, %v; want 2", n, err)
		}

		// s1-001 given up, then the list shows only s1-000: the records of
		// entries that left it and need nothing more go.
		if err := st.SetArticleRecord(ctx, "s1", "s1-001", store.ArticleRecord{Link: list[1].Link, State: store.ArticleFailed, Tries: 3, Error: "HTTP 404 Not Found"}); err != nil {
			t.Fatal(err)
		}
		if n, err := st.QueueArticles(ctx, "s1", refs(list[0])); err != nil || n != 1 {
			t.Errorf("queued the shorter list: %d pending, %v; want 1", n, err)
		}
		if l, _ := st.Client().HLen(ctx, st.Keys().SourceArticles("s1")).Result(); l != 1 {
			t.Errorf("%d article records left, want 1", l)
		}

		// A new link of a pending entry is what its article is fetched from.
		moved := list[0]
		moved.Link = "https://example.org/moved"
		mustIngest(t, st, src, secs, []model.Entry{moved}, t0.Add(2*time.Hour))
		assertEqual(t, "pending after a link change", pendingIDs(t, st, "s1"), []string{"s1-000 https://example.org/moved"})

		for _, c := range []store.ArticleCounts{{OK: 1, Failed: 1, Pending: 2, LastError: "HTTP 404 Not Found", At: t0}, {OK: 2, Pending: 1, At: t0.Add(time.Hour)}} {
			if err := st.RecordArticles(ctx, "s1", c); err != nil {
				t.Fatal(err)
			}
		}
		state, err := st.SourceState(ctx, "s1")
		if err != nil {
			t.Fatal(err)
		}
		assertEqual(t, "article state", state.Articles, model.ArticleState{OK: 3, Failed: 1, Pending: 1, LastError: "HTTP 404 Not Found", At: t0.Add(time.Hour)})
	})
}

// TestStore_SaveArticleCompletes: an article completes its entry in the
// same write as its content (the headline for the list's cut title, its
// time for the list's bare day, its author), the section and the source
// index re-sort same-day entries by those times, and a re-poll of the
// list, which brings the cut titles and bare days again, keeps them.
func TestStore_SaveArticleCompletes(t *testing.T) {
	forEachBackend(t, func(t *testing.T, st *store.Store, _ *recorder) {
		ctx := context.Background()
		cst := time.FixedZone("CST", 8*3600)
		day := time.Date(2026, 12, 3, 0, 0, 0, 0, cst)
		src := source("s1", "news")
		secs := []model.Section{section("news", 10, "s1")}
		list := entries("s1", 0, 3)
		quarter := []string{"一", "二", "三"}
		for i := range list {
			list[i].Title = "关于做好第" + quarter[i] + "季度工作的…"
			list[i].Published, list[i].Updated = day.UTC(), day.UTC()
		}
		mustIngest(t, st, src, secs, list, t0)
		times := []time.Time{day.Add(9 * time.Hour), day.Add(16*time.Hour + 35*time.Minute), day.Add(11 * time.Hour)}
		for i, e := range list {
			a := store.Article{Link: e.Link, Content: "<p>全文</p>", Meta: &model.ArticleMeta{
				Title: "关于做好第" + quarter[i] + "季度工作的通知", Published: times[i], Author: "办公室"}}
			if ok, err := st.SaveArticle(ctx, src, e.ID, a, t0.Add(time.Minute)); !ok || err != nil {
				t.Fatalf("SaveArticle(%s): %v, %v", e.ID, ok, err)
			}
		}
		check := func(when string) {
			t.Helper()
			got, err := st.SectionEntries(ctx, "news", 0)
			if err != nil {
				t.Fatal(err)
			}
			assertEqual(t, when+": section order", ids(got), []string{"s1-001", "s1-002", "s1-000"})
			for _, e := range got {
				i := int(e.ID[len(e.ID)-1] - '0')
				want := "关于做好第" + quarter[i] + "季度工作的通知"
				if e.Title != want || !e.Published.Equal(times[i]) || e.Author != "办公室" {
					t.Errorf("%s: %s is %q at %v by %q, want %q at %v", when, e.ID, e.Title, e.Published.In(cst), e.Author, want, times[i])
				}
			}
			scores, err := st.Client().ZRangeWithScores(ctx, st.Keys().SourceEntries("s1"), 0, -1).Result()
			if err != nil {
				t.Fatal(err)
			}
			for _, z := range scores {
				id := z.Member.(string)
				if want := times[int(id[len(id)-1]-'0')].UnixMilli(); int64(z.Score) != want {
					t.Errorf("%s: source index scores %s at %v, want %d", when, id, z.Score, want)
				}
			}
		}
		check("after the articles")

		res := mustIngest(t, st, src, secs, list, t0.Add(time.Hour))
		if res.Unchanged != 3 {
			t.Errorf("re-poll of the list: %+v, want 3 unchanged", res)
		}
		check("after a re-poll")

		// The school fixes its list: a whole title given by the list wins.
		fixed := list[0]
		fixed.Title = "关于做好第一季度各项工作的通知"
		mustIngest(t, st, src, secs, []model.Entry{fixed}, t0.Add(2*time.Hour))
		got, err := st.SectionEntries(ctx, "news", 0)
		if err != nil {
			t.Fatal(err)
		}
		if e := got[2]; e.ID != "s1-000" || e.Title != fixed.Title || !e.Published.Equal(times[0]) {
			t.Errorf("after the list's fix: %s %q at %v", e.ID, e.Title, e.Published)
		}
	})
}
