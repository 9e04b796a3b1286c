package metrics

import (
	"context"
	"log/slog"
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

// healthCounter counts the scrapes that read every source's health.
type healthCounter struct {
	StoreStats
	reads int
}

func (h *healthCounter) SourcesHealth(ctx context.Context, ids []string) ([]model.SourceHealth, error) {
	h.reads++
	return h.StoreStats.SourcesHealth(ctx, ids)
}

// TestMetrics_perSourceLimit: past metrics.per_source_limit configured
// sources a scrape neither reads every source's health nor writes its
// two series (the state counts still count them all), says so in the
// log once, and reports them again once the config is back under it.
func TestMetrics_perSourceLimit(t *testing.T) {
	st := &healthCounter{StoreStats: store.New(storetest.Backends()[0].Start(t), "", nil)}
	var logs strings.Builder
	m := newTestMetrics(t)
	sources := []model.Source{{ID: "alpha"}, {ID: "beta"}, {ID: "gamma"}}
	if err := m.CollectStore(st, nil, sources, slog.New(slog.NewTextHandler(&logs, nil))); err != nil {
		t.Fatal(err)
	}
	m.SetPerSourceLimit(2)
	for range 2 {
		body := scrape(t, m.Handler())
		if strings.Contains(body, "tributary_source_errors_in_row{") || strings.Contains(body, "tributary_source_last_success_timestamp_seconds{") {
			t.Errorf("3 sources over a bound of 2 still have their own series:\n%s", body)
		}
		if !strings.Contains(body, `tributary_sources{state="pending"} 3`+"\n") {
			t.Errorf("the state counts lost the sources:\n%s", body)
		}
	}
	if st.reads != 0 {
		t.Errorf("%d scrapes read every source's health over the bound", st.reads)
	}
	if n := strings.Count(logs.String(), "per-source series left out"); n != 1 {
		t.Errorf("logged %d times that the series are left out, want once:\n%s", n, logs.String())
	}
	m.SetSections(nil, sources[:2])
	if body := scrape(t, m.Handler()); !strings.Contains(body, `tributary_source_errors_in_row{source="beta"} 0`+"\n") {
		t.Errorf("back under the bound, the series do not return:\n%s", body)
	}
	if !strings.Contains(logs.String(), "per-source series reported again") {
		t.Errorf("the return is not logged:\n%s", logs.String())
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
