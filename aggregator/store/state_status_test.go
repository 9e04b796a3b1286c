package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/aggregator/store"
)

func TestStore_SourceStatuses(t *testing.T) {
	forEachBackend(t, func(t *testing.T, st *store.Store, _ *recorder) {
		ctx := context.Background()
		a, b, c := source("a", "news"), source("b", "news"), source("c", "news")
		a.Content = &model.Content{Fetch: true}
		b.Title = "Configured B"
		mustIngest(t, st, a, []model.Section{section("news", 10, "a")}, entries("a", 0, 3), t0)
		saves := map[string]model.SourceState{
			"a": {URL: a.URL, Title: "Feed A", LastAttempt: t0, LastSuccess: t0, NextDue: t0.Add(15 * time.Minute), LastStatus: 200,
				EffectiveURL: "https://new.example.org/a.xml", Discovered: true, Skipped: 1},
			"b": {URL: b.URL, Title: "Feed B", LastAttempt: t0, LastStatus: 503, LastError: "HTTP 503 Service Unavailable", ErrorsInRow: 2,
				Detected: &model.Scrape{Items: "ul.news li"}, Warnings: []model.ListWarning{{Code: model.ListWarnNoDates, Total: 20}}},
		}
		for id, s := range saves {
			if err := st.SaveSourceState(ctx, id, s); err != nil {
				t.Fatal(err)
			}
		}
		if err := st.RecordArticles(ctx, "a", store.ArticleCounts{OK: 18, Failed: 2, LastError: "HTTP 404 Not Found", At: t0}); err != nil {
			t.Fatal(err)
		}
		got, err := st.SourceStatuses(ctx, []model.Source{a, b, c})
		if err != nil {
			t.Fatal(err)
		}
		want := []model.SourceStatus{
			{ID: "a", Title: "Feed A", ConfiguredURL: a.URL, EffectiveURL: "https://new.example.org/a.xml", SectionIDs: []string{"news"},
				LastAttempt: t0, LastSuccess: t0, NextDue: t0.Add(15 * time.Minute), LastStatus: 200, Entries: 3, Origin: model.OriginConfig,
				Discovered: true, Skipped: 1, Articles: &model.ArticleStatus{OK: 18, Failed: 2, LastError: "HTTP 404 Not Found"},
				// The ingest kept its newest entry (hour 2) and first success.
				Freshness: model.Freshness{LastEntry: entry("a", "x", 2).Published, FirstSeen: t0}},
			{ID: "b", Title: "Configured B", ConfiguredURL: b.URL, SectionIDs: []string{"news"},
				LastAttempt: t0, LastStatus: 503, LastError: "HTTP 503 Service Unavailable", ErrorsInRow: 2, Origin: model.OriginConfig,
				Detected: &model.Scrape{Items: "ul.news li"}, Warnings: []model.ListWarning{{Code: model.ListWarnNoDates, Total: 20}}},
			{ID: "c", ConfiguredURL: c.URL, SectionIDs: []string{"news"}, Origin: model.OriginConfig},
		}
		assertEqual(t, "statuses", got, want)
		states := []string{got[0].State(), got[1].State(), got[2].State()}
		assertEqual(t, "states", states, []string{model.StateOK, model.StateFailing, model.StatePending})
	})
}

func TestStore_PauseAndReenableSource(t *testing.T) {
	forEachBackend(t, func(t *testing.T, st *store.Store, _ *recorder) {
		ctx := context.Background()
		gone := model.SourceState{URL: "u", Gone: true, ErrorsInRow: 4, LastError: "HTTP 410 Gone", NextDue: t0, ETag: `"e"`}
		if err := st.SaveSourceState(ctx, "s1", gone); err != nil {
			t.Fatal(err)
		}
		if err := st.PauseSource(ctx, "s1", true); err != nil {
			t.Fatal(err)
		}
		got, _ := st.SourceState(ctx, "s1")
		assertEqual(t, "paused", got.Paused, true)
		if err := st.ReenableSource(ctx, "s1"); err != nil {
			t.Fatal(err)
		}
		got, _ = st.SourceState(ctx, "s1")
		// The streak stays, so the webhook hears "recovered" when the
		// poll that resuming triggers succeeds.
		want := model.SourceState{URL: "u", LastError: "HTTP 410 Gone", ErrorsInRow: 4, ETag: `"e"`}
		assertEqual(t, "re-enabled", got, want)
	})
}
