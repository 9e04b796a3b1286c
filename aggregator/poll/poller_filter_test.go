package poll

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/tributary-rss/tributary/aggregator/fetch"
	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/aggregator/normalize"
	"github.com/tributary-rss/tributary/aggregator/scheduler/plan"
	"github.com/tributary-rss/tributary/aggregator/store"
	"github.com/tributary-rss/tributary/aggregator/store/storetest"
)

// TestPoller_FilterChangeOn304 changes a section's and a source's filters
// between polls of a source that answers 304 (as a restart with an edited
// config would): each poll re-evaluates what the section holds, and no
// entry is deleted.
func TestPoller_FilterChangeOn304(t *testing.T) {
	body, err := os.ReadFile("testdata/filter.rss")
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("If-None-Match") == `"v1"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", `"v1"`)
		_, _ = w.Write(body)
	}))
	t.Cleanup(srv.Close)
	st := store.New(storetest.StartEmbedded(t), "", nil)
	loc, _ := time.LoadLocation("Asia/Shanghai")
	steps := []struct {
		name                   string
		secExclude, srcInclude []string
		wantTitles             []string
		wantNotModified        bool
	}{
		{"first poll, no filters", nil, nil, []string{"关于开展实验室安全检查的通知", "我校举办2026年秋季运动会"}, false},
		{"section excludes a category", []string{"体育"}, nil, []string{"关于开展实验室安全检查的通知"}, true},
		{"source includes by regex", nil, []string{"/运动会$/"}, []string{"我校举办2026年秋季运动会"}, true},
		{"filters removed", nil, nil, []string{"关于开展实验室安全检查的通知", "我校举办2026年秋季运动会"}, true},
	}
	for _, step := range steps {
		sec := model.Section{ID: "news", MaxItems: 10, Exclude: step.secExclude}
		src := model.Source{ID: "s1", URL: srv.URL + "/feed", Location: loc, SectionIDs: []string{"news"}, Include: step.srcInclude}
		p := New(st, fetch.New(fetch.Options{Timeout: 5 * time.Second}), normalize.New(normalize.Options{}),
			[]model.Section{sec}, slog.New(slog.DiscardHandler))
		p.Now = func() time.Time { return time.Date(2026, 10, 20, 0, 0, 0, 0, time.UTC) }
		res := p.Poll(context.Background(), src, plan.Plan{Schedule: cron.Every(15 * time.Minute)})
		if res.Err != nil || res.NotModified != step.wantNotModified {
			t.Fatalf("%s: poll err %v, not modified %v", step.name, res.Err, res.NotModified)
		}
		got, err := st.SectionEntries(context.Background(), "news", 0)
		if err != nil {
			t.Fatal(err)
		}
		var titles []string
		for _, e := range got {
			titles = append(titles, e.Title)
		}
		if !slices.Equal(titles, step.wantTitles) {
			t.Errorf("%s: section holds %q, want %q", step.name, titles, step.wantTitles)
		}
		stored, err := st.SourceEntries(context.Background(), "s1", 0)
		if err != nil || len(stored) != 2 {
			t.Errorf("%s: source has %d stored entries (%v), want 2", step.name, len(stored), err)
		}
	}
}
