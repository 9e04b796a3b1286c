package preview

import (
	"context"
	"errors"
	"testing"

	"github.com/tributary-rss/tributary/aggregator/model"
)

// TestPreviewer_PreviewAll: each source's answer lands at its index,
// failures included; a context already done starts none.
func TestPreviewer_PreviewAll(t *testing.T) {
	srv := newSite(t)
	sources := []model.Source{
		{ID: "feed", URL: srv.URL + "/news/feed.xml"},
		{ID: "missing", URL: srv.URL + "/missing.xml"},
		{ID: "page", URL: srv.URL + "/school/"},
	}
	p := newPreviewer()
	results, errs := p.PreviewAll(context.Background(), sources, 2)
	if errs[0] != nil || errs[2] != nil || errs[1] == nil {
		t.Fatalf("errs = %v, want only the missing feed's", errs)
	}
	if results[0].Kind != model.PreviewFeed || results[2].Kind != model.PreviewDiscovered || len(results[0].Entries) == 0 {
		t.Errorf("results out of place: %+v", results)
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	results, errs = p.PreviewAll(ctx, sources, 1)
	for i := range sources {
		if !errors.Is(errs[i], context.Canceled) || results[i].Error == "" {
			t.Errorf("source %d with a done context: %v %q", i, errs[i], results[i].Error)
		}
	}
}
