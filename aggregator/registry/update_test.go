package registry

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/aggregator/store"
	"github.com/tributary-rss/tributary/aggregator/store/storetest"
)

func ptr[T any](v T) *T { return &v }

func (a *applied) source(id string) (model.Source, bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	for _, s := range a.sources {
		if s.ID == id {
			return s, true
		}
	}
	return model.Source{}, false
}

// TestRegistry_update: an edit lands in the store and on every instance,
// a config source takes sections beyond the file's and nothing else, and
// a restart finds both.
func TestRegistry_update(t *testing.T) {
	forEachBackend(t, func(t *testing.T, st *store.Store) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		one, _ := newRegistry(t, st, Options{})
		two, appliedTwo := newRegistry(t, st, Options{Refresh: time.Hour}) // only the event can tell it
		go one.Run(ctx, one.Subscribe(ctx), nil)
		go two.Run(ctx, two.Subscribe(ctx), nil)
		waitFor(t, "both instances to subscribe", func() bool {
			n, err := st.Client().PubSubNumSub(ctx, st.Keys().AdminEvents()).Result()
			return err == nil && n[st.Keys().AdminEvents()] == 2
		})
		if _, err := one.Add(ctx, AddRequest{ID: "member-c", URL: "https://c.example.edu.cn/feed", Sections: []string{"news"}}); err != nil {
			t.Fatal(err)
		}

		src, err := one.Update(ctx, "member-c", UpdateRequest{Title: ptr("丙校"), Schedule: ptr("@every 5m"), Sections: &[]string{"news", "hot", "news"},
			Exclude: &[]string{"广告"}, Content: &model.Content{Fetch: true}})
		if err != nil {
			t.Fatal(err)
		}
		if src.Title != "丙校" || src.Schedule != "@every 5m" || !slices.Equal(src.SectionIDs, []string{"news", "hot"}) ||
			!slices.Equal(src.Exclude, []string{"广告"}) || src.Content == nil || src.Content.MaxPerPoll != model.DefaultMaxPerPoll {
			t.Errorf("edited = %+v", src)
		}
		waitFor(t, "the other instance to apply the edit", func() bool {
			s, ok := appliedTwo.source("member-c")
			return ok && s.Schedule == "@every 5m" && slices.Equal(s.SectionIDs, []string{"news", "hot"})
		})
		// Back to the defaults: an empty schedule and no filter.
		if src, err = one.Update(ctx, "member-c", UpdateRequest{Schedule: ptr(""), Exclude: &[]string{}, ClearContent: true}); err != nil {
			t.Fatal(err)
		}
		if src.Schedule != "@every 10m" || src.Exclude != nil || src.Content != nil || src.Title != "丙校" {
			t.Errorf("after clearing: %+v", src)
		}

		// The config source member-a: more sections, nothing else.
		if src, err = one.Update(ctx, "member-a", UpdateRequest{Sections: &[]string{"news", "hot"}}); err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(src.SectionIDs, []string{"news", "hot"}) || src.Origin == model.OriginAPI {
			t.Errorf("member-a = %+v", src)
		}
		waitFor(t, "the other instance to add member-a to hot", func() bool {
			s, ok := appliedTwo.source("member-a")
			return ok && slices.Equal(s.SectionIDs, []string{"news", "hot"})
		})
		for _, tc := range []struct {
			name string
			req  UpdateRequest
			kind error
			want string
		}{
			{"title", UpdateRequest{Title: ptr("甲")}, ErrConflict, `source "member-a" is defined in the config file: edit title at testdata/portal.yaml:8`},
			{"schedule and sections", UpdateRequest{Schedule: ptr("@every 1m"), Sections: &[]string{"news"}}, ErrConflict, "edit schedule at testdata/portal.yaml:8"},
			{"its file section", UpdateRequest{Sections: &[]string{"hot"}}, ErrConflict, `listed in section "news" by the config file: remove it from that section at testdata/portal.yaml:8`},
			{"unknown section", UpdateRequest{Sections: &[]string{"news", "sports"}}, ErrInvalid, `no section "sports"`},
			{"nothing", UpdateRequest{}, ErrInvalid, "takes only sections"},
		} {
			if _, err := one.Update(ctx, "member-a", tc.req); !errors.Is(err, tc.kind) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("%s: %v, want %v containing %q", tc.name, err, tc.kind, tc.want)
			}
		}
		if _, err := one.Update(ctx, "nope", UpdateRequest{Title: ptr("x")}); !errors.Is(err, ErrNotFound) {
			t.Errorf("unknown source: %v", err)
		}

		// A restart finds both edits.
		_, appliedThree := newRegistry(t, st, Options{})
		a, _ := appliedThree.source("member-a")
		c, _ := appliedThree.source("member-c")
		if !slices.Equal(a.SectionIDs, []string{"news", "hot"}) || c.Title != "丙校" || !slices.Equal(c.SectionIDs, []string{"news", "hot"}) {
			t.Errorf("after a restart: member-a in %v, member-c %+v", a.SectionIDs, c)
		}

		// Dropping hot again, keeping the entries, records the choice in
		// the section before the change lands.
		if _, err := one.Update(ctx, "member-a", UpdateRequest{Sections: &[]string{"news"}, KeepEntries: true}); err != nil {
			t.Fatal(err)
		}
		rec, err := st.SectionSources(ctx, "hot")
		if err != nil {
			t.Fatal(err)
		}
		if rec["member-a"] != "kept" || rec["member-c"] != "member" {
			t.Errorf("hot's record = %v, want member-a kept, member-c member", rec)
		}
	})
}

// TestRegistry_Status_position: a config source's status names the file
// and line it is written at, one source or all.
func TestRegistry_Status_position(t *testing.T) {
	st := store.New(storetest.NewClient(t, storetest.StartRedis(t)), "", nil)
	r, _ := newRegistry(t, st, Options{})
	ctx := context.Background()
	one, err := r.Status(ctx, "member-a")
	if err != nil {
		t.Fatal(err)
	}
	all, err := r.Statuses(ctx)
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(all, func(s model.SourceStatus) bool { return s.ID == "member-a" })
	if i < 0 {
		t.Fatalf("Statuses lacks member-a: %+v", all)
	}
	for name, got := range map[string]model.SourceStatus{"Status": one, "Statuses": all[i]} {
		if got.ConfigFile != "testdata/portal.yaml" || got.ConfigLine != 8 {
			t.Errorf("%s: member-a at %s:%d, want testdata/portal.yaml:8", name, got.ConfigFile, got.ConfigLine)
		}
	}
}
