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

var _ PendingCounter = (*store.Store)(nil)

// TestMetrics_reviewPending: one series per section with review, counting
// what waits in its queue as the store holds it; a section without review
// has none.
func TestMetrics_reviewPending(t *testing.T) {
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			st := store.New(b.Start(t), "", nil)
			ctx := context.Background()
			now := time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)
			news := model.Section{ID: "news", MaxItems: 10, SourceIDs: []string{"a"}, Review: true}
			plain := model.Section{ID: "plain", MaxItems: 10, SourceIDs: []string{"a"}}
			quiet := model.Section{ID: "quiet", MaxItems: 10, Review: true}
			src := model.Source{ID: "a", URL: "https://a.example/rss", SectionIDs: []string{"news", "plain"}}
			var es []model.Entry
			for i, id := range []string{"e1", "e2", "e3"} {
				pub := now.Add(-time.Duration(i) * time.Hour)
				es = append(es, model.Entry{ID: id, SourceID: "a", Title: id, Link: "https://a.example/" + id, Published: pub, Updated: pub})
			}
			if _, err := st.Ingest(ctx, src, []model.Section{news, plain}, es, now); err != nil {
				t.Fatal(err)
			}
			if _, err := st.Approve(ctx, news, []string{"e1"}, now); err != nil {
				t.Fatal(err)
			}
			m := newTestMetrics(t)
			if err := m.CollectStore(st, []model.Section{news, plain, quiet}, []model.Source{src}, nil); err != nil {
				t.Fatal(err)
			}
			body := scrape(t, m.Handler())
			for _, want := range []string{`tributary_section_review_pending{section="news"} 2`, `tributary_section_review_pending{section="quiet"} 0`} {
				if !strings.Contains(body, want+"\n") {
					t.Errorf("/metrics lacks %q:\n%s", want, body)
				}
			}
			if strings.Contains(body, `tributary_section_review_pending{section="plain"}`) {
				t.Errorf("a section without review has a queue series:\n%s", body)
			}
		})
	}
}
