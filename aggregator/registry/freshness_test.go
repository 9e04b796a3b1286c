package registry

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/aggregator/store"
	"github.com/tributary-rss/tributary/aggregator/store/storetest"
)

// TestRegistry_staleAfter: a source added through the admin API takes a
// stale_after of its own, written as the config's; an edit changes it or
// ("") goes back to its sections'; a bad one is refused naming the field;
// a source of the config file is edited in the file.
func TestRegistry_staleAfter(t *testing.T) {
	ctx := context.Background()
	st := store.New(storetest.StartEmbedded(t), "", nil)
	r, _ := newRegistry(t, st, Options{})
	day := 24 * time.Hour
	src, err := r.Add(ctx, AddRequest{ID: "member-c", URL: "https://c.example.edu.cn/feed", Sections: []string{"news"}, StaleAfter: "30d"})
	if err != nil {
		t.Fatal(err)
	}
	if src.StaleAfter != 30*day {
		t.Errorf("added with 30d: StaleAfter %v", src.StaleAfter)
	}
	steps := []struct {
		value string
		want  time.Duration
	}{
		{"1d12h", 36 * time.Hour},
		{"", model.DefaultStaleAfter}, // the sections' (the config sets none: 14d)
	}
	for _, s := range steps {
		src, err := r.Update(ctx, "member-c", UpdateRequest{StaleAfter: ptr(s.value)})
		if err != nil {
			t.Fatalf("update to %q: %v", s.value, err)
		}
		if src.StaleAfter != s.want {
			t.Errorf("updated to %q: StaleAfter %v, want %v", s.value, src.StaleAfter, s.want)
		}
	}
	for _, bad := range []string{"two weeks", "0d", "-1h", "14"} {
		_, errAdd := r.Add(ctx, AddRequest{URL: "https://d.example.edu.cn/feed", Sections: []string{"news"}, StaleAfter: bad})
		_, errUpd := r.Update(ctx, "member-c", UpdateRequest{StaleAfter: ptr(bad)})
		for _, err := range []error{errAdd, errUpd} {
			var re *model.RequestError
			if !errors.As(err, &re) || re.Field != "stale_after" || !errors.Is(err, model.ErrInvalid) {
				t.Errorf("stale_after %q: %v, want a refusal on stale_after", bad, err)
			}
		}
	}
	_, err = r.Update(ctx, "member-a", UpdateRequest{StaleAfter: ptr("7d")})
	if !errors.Is(err, model.ErrConflict) {
		t.Errorf("stale_after on a config source: %v, want a conflict naming the file", err)
	}
}
