package metrics

import (
	"context"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/aggregator/store"
	"github.com/tributary-rss/tributary/aggregator/store/storetest"
)

// TestMetrics_sourceHealth: one last-success and one errors-in-row series
// per configured source, read from the store at scrape time, on
// redis-server and the embedded store; a source that leaves the config
// leaves the next scrape.
func TestMetrics_sourceHealth(t *testing.T) {
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			st := store.New(b.Start(t), "", nil)
			ctx := context.Background()
			ok := time.Date(2026, 12, 1, 8, 0, 0, 500_000_000, time.UTC)
			for id, s := range map[string]model.SourceState{
				"alpha": {URL: "a", LastAttempt: ok, LastSuccess: ok},
				"beta":  {URL: "b", LastAttempt: ok.Add(time.Hour), LastSuccess: ok, ErrorsInRow: 4},
			} {
				if err := st.SaveSourceState(ctx, id, s); err != nil {
					t.Fatal(err)
				}
			}
			m := newTestMetrics(t)
			sources := []model.Source{{ID: "alpha"}, {ID: "beta"}, {ID: "gamma"}}
			if err := m.CollectStore(st, nil, sources, nil); err != nil {
				t.Fatal(err)
			}
			body := scrape(t, m.Handler())
			for _, want := range []string{
				`tributary_source_last_success_timestamp_seconds{source="alpha"} 1.7961120005e+09`,
				`tributary_source_last_success_timestamp_seconds{source="beta"} 1.7961120005e+09`,
				`tributary_source_last_success_timestamp_seconds{source="gamma"} 0`,
				`tributary_source_errors_in_row{source="alpha"} 0`,
				`tributary_source_errors_in_row{source="beta"} 4`,
				`tributary_source_errors_in_row{source="gamma"} 0`,
			} {
				if !strings.Contains(body, want+"\n") {
					t.Errorf("/metrics lacks %q:\n%s", want, body)
				}
			}
			m.SetSections(nil, sources[:1])
			body = scrape(t, m.Handler())
			if strings.Contains(body, `source="beta"`) || strings.Contains(body, `source="gamma"`) {
				t.Errorf("removed sources still reported:\n%s", body)
			}
			if !strings.Contains(body, `tributary_source_errors_in_row{source="alpha"} 0`) {
				t.Errorf("remaining source not reported:\n%s", body)
			}
		})
	}
}

// TestMetrics_buildInfo: one series, 1, labelled with the version and Go.
func TestMetrics_buildInfo(t *testing.T) {
	m := newTestMetrics(t)
	if err := m.RegisterBuildInfo("v1.2.3"); err != nil {
		t.Fatal(err)
	}
	want := `tributary_build_info{goversion="` + runtime.Version() + `",version="v1.2.3"} 1`
	if body := scrape(t, m.Handler()); !strings.Contains(body, want+"\n") {
		t.Errorf("/metrics lacks %q:\n%s", want, body)
	}
}

// TestMetrics_noBackoffCounter: failed polls are counted once, by
// tributary_polls_total{result="error"}.
func TestMetrics_noBackoffCounter(t *testing.T) {
	body := scrape(t, newTestMetrics(t).Handler())
	if strings.Contains(body, "tributary_poll_backoffs_total") {
		t.Errorf("tributary_poll_backoffs_total is still exported:\n%s", body)
	}
	if !strings.Contains(body, `tributary_polls_total{result="error"} 0`) {
		t.Errorf("no error poll series:\n%s", body)
	}
}
