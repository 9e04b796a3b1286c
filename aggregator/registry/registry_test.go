package registry

import (
	"context"
	"errors"
	"net/netip"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tributary-rss/tributary/aggregator/config"
	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/aggregator/scheduler/dueset"
	"github.com/tributary-rss/tributary/aggregator/store"
	"github.com/tributary-rss/tributary/aggregator/store/storetest"
	"github.com/tributary-rss/tributary/aggregator/testkit"
)

func loadConfig(t *testing.T) *config.Config {
	t.Helper()
	cfg, err := config.Load("testdata/portal.yaml", nil)
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// fakeResolver answers every name with addr.
type fakeResolver string

func (f fakeResolver) LookupNetIP(context.Context, string, string) ([]netip.Addr, error) {
	return []netip.Addr{netip.MustParseAddr(string(f))}, nil
}

// applied records what a registry handed to its ApplyFunc.
type applied struct {
	mu      sync.Mutex
	sources []model.Source
	secs    []model.Section
	calls   int
}

func (a *applied) apply(sources []model.Source, secs []model.Section) (int, int, int, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.sources, a.secs = sources, secs
	a.calls++
	return 0, 0, 0, nil
}

func (a *applied) ids() []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	var ids []string
	for _, s := range a.sources {
		ids = append(ids, s.ID)
	}
	return ids
}

func newRegistry(t *testing.T, st *store.Store, opts Options) (*Registry, *applied) {
	t.Helper()
	if opts.Resolver == nil {
		opts.Resolver = fakeResolver("9.9.9.9") // a public address; nothing dials it
	}
	r := New(st, loadConfig(t), opts)
	a := &applied{}
	r.OnChange(a.apply)
	if err := r.Refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	return r, a
}

func TestMerge(t *testing.T) {
	file := fileOf(loadConfig(t))
	fileA := file.sources[0]
	api := []store.APISource{
		{ID: "c", URL: "https://c.example.org/feed", Sections: []string{"hot", "gone", "hot"}},
		{ID: "member-a", URL: "https://elsewhere.example/"},                      // id taken by the file
		{ID: "d", URL: fileA.URL, Sections: []string{"news"}},                    // URL the file has
		{ID: "e", URL: "https://e.example.org/feed", Sections: []string{"gone"}}, // no section left
		{ID: "f", URL: "https://f.example.org/feed", Sections: []string{"news"}, Schedule: "@every 1h", Timezone: "Asia/Taipei"},
	}
	sources, secs, aside := merge(file, api, true)
	var ids []string
	for _, s := range sources {
		ids = append(ids, s.ID)
	}
	if want := []string{"member-a", file.sources[1].ID, "c", "f"}; !slices.Equal(ids, want) {
		t.Fatalf("sources = %v, want %v", ids, want)
	}
	c, f := sources[2], sources[3]
	if !slices.Equal(c.SectionIDs, []string{"hot"}) || c.Schedule != "@every 10m" || c.Location.String() != "Asia/Shanghai" ||
		c.Origin != model.OriginAPI || !c.Restricted {
		t.Errorf("c = %+v: want section hot only, the defaults, origin api, restricted", c)
	}
	if f.Schedule != "@every 1h" || f.Location.String() != "Asia/Taipei" {
		t.Errorf("f keeps its own schedule and zone: %+v", f)
	}
	if !slices.Equal(secs[0].SourceIDs, []string{"member-a", "f"}) || !slices.Equal(secs[1].SourceIDs, []string{file.sources[1].ID, "c"}) {
		t.Errorf("section sources = %v / %v", secs[0].SourceIDs, secs[1].SourceIDs)
	}
	if len(file.sections[0].SourceIDs) != 1 {
		t.Errorf("merge modified the file's sections: %v", file.sections[0].SourceIDs)
	}
	var why []string
	for _, a := range aside {
		why = append(why, a.id+": "+a.why)
	}
	want := []string{"member-a: the config file has a source with this id", "d: the config file lists this URL",
		"e: none of its sections is in the config any more"}
	if !slices.Equal(why, want) {
		t.Errorf("set aside = %q, want %q", why, want)
	}
	if sources, _, _ := merge(file, api, false); sources[2].Restricted {
		t.Error("allow_private: API sources must not be restricted")
	}
}

// Sections added through the admin API to a config source show in the
// merged list and never in the config file's own: the merged list shares
// the file's array until something changes in it.
func TestMerge_extraSectionsLeaveTheFileAlone(t *testing.T) {
	file := fileOf(loadConfig(t))
	id, before := file.sources[0].ID, slices.Clone(file.sources[0].SectionIDs)
	for range 2 {
		sources, secs, _ := merge(file, nil, true)
		sources = addExtra(sources, secs, map[string][]string{id: {"hot"}})
		if got := sources[0].SectionIDs; !slices.Equal(got, append(slices.Clone(before), "hot")) {
			t.Errorf("merged %s in sections %v, want %v and hot", id, got, before)
		}
		if got := file.sources[0].SectionIDs; !slices.Equal(got, before) {
			t.Fatalf("the file's %s is now in sections %v, want %v", id, got, before)
		}
	}
	if sources, _, _ := merge(file, nil, true); !slices.Equal(sources[0].SectionIDs, before) {
		t.Errorf("merged without extras: %s in sections %v, want %v", id, sources[0].SectionIDs, before)
	}
}

func TestRegistry_AddRefused(t *testing.T) {
	st := store.New(storetest.NewClient(t, storetest.StartRedis(t)), "", nil)
	r, _ := newRegistry(t, st, Options{})
	long := strings.Repeat("长", MaxTitleLen+1)
	tests := []struct {
		name string
		req  AddRequest
		kind error
		want string
	}{
		{"no url", AddRequest{Sections: []string{"news"}}, ErrInvalid, "url: required"},
		{"ftp url", AddRequest{URL: "ftp://x.example/f", Sections: []string{"news"}}, ErrInvalid, "url: \"ftp://x.example/f\" must be an absolute http or https URL"},
		{"bad id", AddRequest{ID: "Bad_ID", URL: "https://x.example/f", Sections: []string{"news"}}, ErrInvalid, "id: \"Bad_ID\" must be lower-case"},
		{"no section", AddRequest{URL: "https://x.example/f"}, ErrInvalid, "sections: name at least one section"},
		{"unknown section", AddRequest{URL: "https://x.example/f", Sections: []string{"sports"}}, ErrInvalid, `sections: no section "sports" in the config`},
		{"bad schedule", AddRequest{URL: "https://x.example/f", Sections: []string{"news"}, Schedule: "every minute"}, ErrInvalid, "schedule:"},
		{"bad zone", AddRequest{URL: "https://x.example/f", Sections: []string{"news"}, Timezone: "Mars/Olympus"}, ErrInvalid, `timezone: "Mars/Olympus" is not a known IANA time zone`},
		{"long title", AddRequest{URL: "https://x.example/f", Sections: []string{"news"}, Title: long}, ErrInvalid, "title: longer than 200 characters"},
		{"control title", AddRequest{URL: "https://x.example/f", Sections: []string{"news"}, Title: "a\x00b"}, ErrInvalid, "title: contains control characters"},
		{"file URL", AddRequest{URL: "https://a.example.edu.cn/rss.xml", Sections: []string{"hot"}}, ErrConflict, `https://a.example.edu.cn/rss.xml is already source "member-a" (a config file)`},
		{"file id", AddRequest{ID: "member-a", URL: "https://x.example/f", Sections: []string{"hot"}}, ErrConflict, `source id "member-a" is taken`},
		{"loopback literal", AddRequest{URL: "http://127.0.0.1:6379/", Sections: []string{"news"}}, ErrInvalid, "url: 127.0.0.1 resolves to 127.0.0.1, a loopback address"},
		{"metadata literal", AddRequest{URL: "http://169.254.169.254/latest/meta-data/", Sections: []string{"news"}}, ErrInvalid, "a cloud metadata address"},
		{"IPv6 loopback", AddRequest{URL: "http://[::1]/feed", Sections: []string{"news"}}, ErrInvalid, "a loopback address"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := r.Add(context.Background(), tt.req)
			if !errors.Is(err, tt.kind) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Add = %v, want %v containing %q", err, tt.kind, tt.want)
			}
		})
	}
	// A name resolving to a private address is refused too.
	rp, _ := newRegistry(t, st, Options{Resolver: fakeResolver("10.0.0.7")})
	_, err := rp.Add(context.Background(), AddRequest{URL: "https://intranet.example/feed", Sections: []string{"news"}})
	if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "intranet.example resolves to 10.0.0.7, a private address") {
		t.Errorf("private name: %v", err)
	}
	// Nothing refused reached the store.
	if api, err := st.APISources(context.Background()); err != nil || len(api) != 0 {
		t.Errorf("stored after refusals: %v, %v", api, err)
	}
	// admin.allow_private lets the loopback URL in.
	ra, _ := newRegistry(t, st, Options{AllowPrivate: true})
	if _, err := ra.Add(context.Background(), AddRequest{URL: "http://127.0.0.1:8080/feed", Sections: []string{"news"}}); err != nil {
		t.Errorf("allow_private: %v", err)
	}
}

// waitFor waits for cond with a deadline (see testkit.WaitFor).
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	testkit.WaitFor(t, 5*time.Second, "timed out waiting for "+what, cond)
}

func TestRegistry_acrossInstances(t *testing.T) {
	forEachBackend(t, func(t *testing.T, st *store.Store) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		// Instance one serves the admin API; instance two polls.
		one, appliedOne := newRegistry(t, st, Options{})
		two, appliedTwo := newRegistry(t, st, Options{Refresh: time.Hour}) // only the event can tell it
		var mu sync.Mutex
		var triggered [][]string
		go one.Run(ctx, one.Subscribe(ctx), nil)
		go two.Run(ctx, two.Subscribe(ctx), func(ids []string) []string {
			mu.Lock()
			defer mu.Unlock()
			triggered = append(triggered, ids)
			return ids
		})
		waitFor(t, "both instances to subscribe", func() bool {
			n, err := st.Client().PubSubNumSub(ctx, st.Keys().AdminEvents()).Result()
			return err == nil && n[st.Keys().AdminEvents()] == 2
		})

		src, err := one.Add(ctx, AddRequest{ID: "member-c", URL: "https://c.example.edu.cn/feed", Title: "丙校新闻", Sections: []string{"news", "hot"}})
		if err != nil {
			t.Fatal(err)
		}
		if src.Origin != model.OriginAPI || !src.Restricted || src.Title != "丙校新闻" {
			t.Errorf("added = %+v", src)
		}
		if !slices.Contains(appliedOne.ids(), "member-c") {
			t.Errorf("adding instance applied %v", appliedOne.ids())
		}
		waitFor(t, "the other instance to apply the new source", func() bool { return slices.Contains(appliedTwo.ids(), "member-c") })

		// Poll requests reach the polling instance; paused sources are left out.
		if _, err := one.RequestPoll(ctx, "source", "member-c"); err != nil {
			t.Fatal(err)
		}
		// The mark the polling instance takes, so that of several pollers
		// hearing the request one fetches.
		if n, err := st.Client().Exists(ctx, dueset.New(st.Client(), st.Keys().Prefix, dueset.DefaultShards).Keys().PollRequest("member-c")).Result(); err != nil || n != 1 {
			t.Errorf("poll request mark: exists = %d, %v", n, err)
		}
		if err := one.Pause(ctx, "member-a"); err != nil {
			t.Fatal(err)
		}
		if _, err := one.RequestPoll(ctx, "source", "member-a"); !errors.Is(err, ErrConflict) {
			t.Errorf("poll of a paused source = %v, want conflict", err)
		}
		ids, err := one.RequestPoll(ctx, "section", "news")
		if err != nil || !slices.Equal(ids, []string{"member-c"}) {
			t.Errorf("poll section news = %v, %v; want [member-c] (member-a is paused)", ids, err)
		}
		waitFor(t, "both poll requests", func() bool {
			mu.Lock()
			defer mu.Unlock()
			return len(triggered) == 2
		})
		mu.Lock()
		if !slices.Equal(triggered[0], []string{"member-c"}) || !slices.Equal(triggered[1], []string{"member-c"}) {
			t.Errorf("triggered = %v", triggered)
		}
		mu.Unlock()
		if err := one.Resume(ctx, "member-a"); err != nil {
			t.Fatal(err)
		}
		if ids, _ := one.RequestPoll(ctx, "section", "news"); !slices.Equal(ids, []string{"member-a", "member-c"}) {
			t.Errorf("after resume: %v", ids)
		}
		for _, tc := range []struct{ kind, id string }{{"source", "nope"}, {"section", "nope"}} {
			if _, err := one.RequestPoll(ctx, tc.kind, tc.id); !errors.Is(err, ErrNotFound) {
				t.Errorf("poll %s %s = %v, want not found", tc.kind, tc.id, err)
			}
		}

		// A restart (a new registry on the same store) finds the source.
		three, appliedThree := newRegistry(t, st, Options{})
		if !slices.Contains(appliedThree.ids(), "member-c") {
			t.Errorf("after restart: %v", appliedThree.ids())
		}
		list, err := three.Statuses(ctx)
		if err != nil {
			t.Fatal(err)
		}
		origins := map[string]string{}
		for _, s := range list {
			origins[s.ID] = s.Origin
		}
		if origins["member-a"] != model.OriginConfig || origins["member-c"] != model.OriginAPI {
			t.Errorf("origins = %v", origins)
		}

		// File sources cannot be removed through the API; API ones can.
		if err := one.Remove(ctx, "member-a", false); !errors.Is(err, ErrConflict) {
			t.Errorf("remove file source = %v, want conflict", err)
		}
		if err := one.Remove(ctx, "member-c", false); err != nil {
			t.Fatal(err)
		}
		if err := one.Remove(ctx, "member-c", false); !errors.Is(err, ErrNotFound) {
			t.Errorf("second remove = %v, want not found", err)
		}
		waitFor(t, "the other instance to drop the source", func() bool { return !slices.Contains(appliedTwo.ids(), "member-c") })
	})
}

func forEachBackend(t *testing.T, fn func(t *testing.T, st *store.Store)) {
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			fn(t, store.New(b.Start(t), "", nil))
		})
	}
}
