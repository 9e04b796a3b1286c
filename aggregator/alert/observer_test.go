package alert

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"testing"
	"time"

	"github.com/tributary-rss/tributary/aggregator/model"
)

// TestObserver_Observe: a poll's written change of state, its freshness
// crossing and its held entries each queue their event, described by the
// current source list; an unwritten state decides no change.
func TestObserver_Observe(t *testing.T) {
	r := newReceiver(t, http.StatusOK)
	s, err := NewSender(Options{URL: r.srv.URL, Queue: 16})
	if err != nil {
		t.Fatal(err)
	}
	sources := []model.Source{{ID: "a", URL: "https://a.example/feed", Title: "甲校", SectionIDs: []string{"news"}}}
	o := NewObserver(s, 3, "host-1", func() []model.Source { return sources }, slog.New(slog.DiscardHandler))
	polled := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	failing := Poll{SourceID: "a", URL: "https://a.example/feed", Written: true,
		Prev: model.SourceState{ErrorsInRow: 2, LastError: "HTTP 500"},
		Next: model.SourceState{ErrorsInRow: 3, LastError: "HTTP 500", LastAttempt: polled}}
	unwritten := failing
	unwritten.Written = false
	held := Poll{SourceID: "gone", URL: "https://gone.example/feed",
		Held: []model.ReviewHeld{{SectionID: "news", Entries: []model.Entry{{ID: "e1", Title: "待审"}}}}}
	o.Observe(failing)
	o.Observe(unwritten)
	o.Observe(held)
	var none *Observer
	none.Observe(failing)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	o.Run(ctx) // delivers what is queued, once

	var got []Event
	for _, d := range r.deliveries() {
		var ev Event
		if err := json.Unmarshal(d.body, &ev); err != nil {
			t.Fatal(err)
		}
		got = append(got, ev)
	}
	if len(got) != 2 {
		t.Fatalf("%d events, want failing and pending: %+v", len(got), got)
	}
	if ev := got[0]; ev.Event != Failing || ev.Source.Title != "甲校" || ev.Instance != "host-1" || !ev.Time.Equal(polled) {
		t.Errorf("failing event %+v", ev)
	}
	if ev := got[1]; ev.Event != Pending || ev.Source.ID != "gone" || ev.Section != "news" || ev.Count != 1 {
		t.Errorf("pending event of a source no longer listed: %+v", ev)
	}
}
