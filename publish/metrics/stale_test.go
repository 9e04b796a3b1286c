package metrics

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/aggregator/store"
	"github.com/tributary-rss/tributary/aggregator/store/storetest"
)

// TestMetrics_staleSources: the stale sources are one gauge, counted as
// polls cross the threshold (a fake clock here: three schools, two of
// them silent for 20 days), with no series per source and the state
// counts untouched.
func TestMetrics_staleSources(t *testing.T) {
	st := store.New(storetest.StartEmbedded(t), "", nil)
	ctx := context.Background()
	t0 := time.Date(2025, 3, 1, 8, 0, 0, 0, time.UTC)
	var sources []model.Source
	for i, id := range []string{"sx", "zx", "yx"} {
		src := model.Source{ID: id, URL: "https://" + id + ".example.edu.cn/rss.xml", SectionIDs: []string{"schools"}}
		sources = append(sources, src)
		pub := t0
		if i == 2 {
			pub = t0.Add(19 * 24 * time.Hour)
		}
		e := model.Entry{ID: id + "-1", SourceID: id, Title: "新闻", Link: src.URL + "#1", Published: pub, Updated: pub}
		if _, err := st.Ingest(ctx, src, []model.Section{{ID: "schools", MaxItems: 10}}, []model.Entry{e}, pub); err != nil {
			t.Fatal(err)
		}
		now := t0.Add(20 * 24 * time.Hour)
		next := model.SourceState{URL: src.URL, LastAttempt: now, LastSuccess: now}
		if _, err := st.SavePollFreshness(ctx, id, model.SourceState{}, next, model.PollRecord{Time: now},
			model.FreshnessCheck{Now: now, Succeeded: true}); err != nil {
			t.Fatal(err)
		}
	}
	m := newTestMetrics(t)
	if err := m.CollectStore(st, nil, sources, nil); err != nil {
		t.Fatal(err)
	}
	body := scrape(t, m.Handler())
	for _, want := range []string{"tributary_sources_stale 2\n", `tributary_sources{state="ok"} 3` + "\n"} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %q:\n%s", want, body)
		}
	}
	if strings.Contains(body, `tributary_sources_stale{`) || strings.Contains(body, `tributary_sources{state="stale"}`) {
		t.Errorf("stale sources reported per source or as a state:\n%s", body)
	}
}
