package registry

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync/atomic"
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

// TestRegistry_recheckAfterLeave: entries a poll that began under the old
// config indexes into a section after its source left it (here, after the
// edit) are taken out again by the next Refresh within the re-check
// window; after it, Refresh no longer scans the section.
func TestRegistry_recheckAfterLeave(t *testing.T) {
	st := store.New(storetest.NewClient(t, storetest.StartRedis(t)), "", nil)
	ctx := context.Background()
	var clock atomic.Pointer[time.Time]
	start := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
	clock.Store(&start)
	r, _ := newRegistry(t, st, Options{Refresh: time.Hour, Now: func() time.Time { return *clock.Load() }})
	if _, err := r.Update(ctx, "member-a", UpdateRequest{Sections: &[]string{"news", "hot"}}); err != nil {
		t.Fatal(err)
	}
	srcs, secs := r.Merged()
	var a model.Source
	for _, s := range srcs {
		if s.ID == "member-a" {
			a = s
		}
	}
	late := func() {
		t.Helper()
		e := model.Entry{ID: model.EntryID("member-a", "late"), SourceID: "member-a", Title: "迟到的条目",
			Link: "https://a.example.edu.cn/late.html", Published: start, Updated: start, FirstSeen: start}
		if _, err := st.Ingest(ctx, a, secs, []model.Entry{e}, start); err != nil {
			t.Fatal(err)
		}
	}
	inHot := func() int {
		t.Helper()
		page, err := st.SectionPage(ctx, "hot", model.PageQuery{Limit: 10, SourceID: "member-a"})
		if err != nil {
			t.Fatal(err)
		}
		return len(page.Entries)
	}
	late()
	if n := inHot(); n != 1 {
		t.Fatalf("member-a has %d entries in hot before it leaves, want 1", n)
	}
	if _, err := r.Update(ctx, "member-a", UpdateRequest{Sections: &[]string{"news"}}); err != nil {
		t.Fatal(err)
	}
	if n := inHot(); n != 0 {
		t.Fatalf("after leaving hot: %d entries of member-a there", n)
	}
	// A poll that read the old sections lands now.
	late()
	if n := inHot(); n != 1 {
		t.Fatalf("the late poll indexed %d entries into hot, want 1 (the test needs it to)", n)
	}
	later := start.Add(time.Minute)
	clock.Store(&later)
	if err := r.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	if n := inHot(); n != 0 {
		t.Errorf("a Refresh within the re-check window left %d late entries of member-a in hot", n)
	}
	// Past the window, a late poll's entries are no longer looked for by
	// Refresh (a reload or a restart still does).
	muchLater := start.Add(recheckFor + time.Minute)
	clock.Store(&muchLater)
	late()
	if err := r.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	if n := inHot(); n != 1 {
		t.Errorf("a Refresh past the re-check window scanned hot: %d entries of member-a there, want the late 1", n)
	}
}
