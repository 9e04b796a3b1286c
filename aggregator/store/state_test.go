package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/aggregator/store"
)

func TestStore_SourceState(t *testing.T) {
	shanghai := time.FixedZone("CST", 8*3600)
	full := model.SourceState{
		URL: "https://example.edu.cn/rss.xml", ETag: `W/"abc"`, LastModified: "Wed, 01 May 2024 00:00:00 GMT",
		BodyHash:    "deadbeef",
		LastAttempt: time.Date(2024, 5, 1, 8, 0, 0, 123456789, shanghai), LastSuccess: time.Date(2024, 4, 30, 1, 2, 3, 0, time.UTC),
		NextDue:    time.Date(2024, 5, 1, 0, 15, 0, 0, time.UTC),
		LastStatus: 503, LastError: "fetch: 503 Service Unavailable", ErrorsInRow: 4, Paused: true,
		Title: "示例学院", Link: "https://example.edu.cn/",
		Gone: true, EffectiveURL: "https://new.example.edu.cn/rss.xml", RedirectURL: "https://new.example.edu.cn/rss.xml",
		RedirectsInRow: 3, Discovered: true, Skipped: 2, ParseRules: "9f86d081884c7d65",
		Detected:     &model.Scrape{Items: "div.list li", Date: "span.date"},
		DetectedFrom: "4b227777d4dd1fc6",
		Warnings:     []model.ListWarning{{Code: model.ListWarnSameLink, Count: 12, Total: 12, Detail: "https://example.edu.cn/xx.htm"}},
	}
	wantFull := full
	wantFull.LastAttempt = full.LastAttempt.UTC()
	tests := []struct {
		name string
		save *model.SourceState
		want model.SourceState
	}{
		{"absent is zero", nil, model.SourceState{}},
		{"all fields", &full, wantFull},
		{"zero times stay zero", &model.SourceState{URL: "u", LastStatus: 200}, model.SourceState{URL: "u", LastStatus: 200}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			forEachBackend(t, func(t *testing.T, st *store.Store, _ *recorder) {
				ctx := context.Background()
				if tt.save != nil {
					if err := st.SaveSourceState(ctx, "s1", *tt.save); err != nil {
						t.Fatal(err)
					}
				}
				got, err := st.SourceState(ctx, "s1")
				if err != nil {
					t.Fatal(err)
				}
				assertEqual(t, "state", got, tt.want)
			})
		})
	}
}

func TestStore_SaveSourceState_Overwrites(t *testing.T) {
	forEachBackend(t, func(t *testing.T, st *store.Store, _ *recorder) {
		ctx := context.Background()
		failing := model.SourceState{URL: "u", LastError: "boom", ErrorsInRow: 3, LastAttempt: t0}
		ok := model.SourceState{URL: "u", LastStatus: 200, LastSuccess: t0.Add(time.Hour)}
		for _, s := range []model.SourceState{failing, ok} {
			if err := st.SaveSourceState(ctx, "s1", s); err != nil {
				t.Fatal(err)
			}
		}
		got, err := st.SourceState(ctx, "s1")
		if err != nil {
			t.Fatal(err)
		}
		assertEqual(t, "state", got, ok)
		h, err := st.Client().HGetAll(ctx, "trib:source:s1:state").Result()
		if err != nil {
			t.Fatal(err)
		}
		assertEqual(t, "raw last_success", h["last_success"], "2024-05-01T01:00:00Z")
		assertEqual(t, "raw last_fetch", h["last_fetch"], "")
		assertEqual(t, "raw disabled", h["disabled"], "false")
		assertEqual(t, "raw detected", h["detected"], "")
		assertEqual(t, "raw warnings", h["warnings"], "")
	})
}

func TestStore_SourceState_BadFieldIsZero(t *testing.T) {
	forEachBackend(t, func(t *testing.T, st *store.Store, _ *recorder) {
		ctx := context.Background()
		err := st.Client().HSet(ctx, st.Keys().SourceState("s1"), "url", "u", "errors_in_row", "many", "next_due", "soon",
			"detected", `{"items":`, "warnings", `[{"code":1}]`).Err()
		if err != nil {
			t.Fatal(err)
		}
		got, err := st.SourceState(ctx, "s1")
		if err != nil {
			t.Fatal(err)
		}
		assertEqual(t, "state", got, model.SourceState{URL: "u"})
	})
}
