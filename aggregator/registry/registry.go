package registry

import (
	"context"
	"fmt"
	"log/slog"
	"net/netip"
	"reflect"
	"strings"
	"sync"
	"time"

	"github.com/tributary-rss/tributary/aggregator/config"
	"github.com/tributary-rss/tributary/aggregator/fetch"
	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/aggregator/preview"
	"github.com/tributary-rss/tributary/aggregator/scheduler/dueset"
	"github.com/tributary-rss/tributary/aggregator/store"
	"github.com/tributary-rss/tributary/aggregator/store/console"
)

// DefaultRefresh is how often Run re-reads the API sources, covering admin
// events lost while the pub/sub connection was down.
const DefaultRefresh = 30 * time.Second

// ApplyFunc hands a merged source and section list to whatever polls and
// serves them (the scheduler's Update and the server's SetSections), and
// reports what changed for the poller.
type ApplyFunc func(sources []model.Source, sections []model.Section) (added, removed, changed int, err error)

// Options configures a Registry.
type Options struct {
	// AllowPrivate lets API sources reach private addresses
	// (admin.allow_private); otherwise they are fetched restricted.
	AllowPrivate bool
	// Policy and Resolver check an added URL's address before it is
	// stored (nil: fetch.DenyPrivate and net.DefaultResolver). The fetch
	// makes the check that counts, at connect time; this one only turns
	// an obviously private URL away with a clear 400.
	Policy   fetch.AddrPolicy
	Resolver fetch.Resolver
	// AllowListeners are the listeners an added URL may name although
	// the policy forbids their address (see fetch.Options.AllowListeners:
	// the demo's sample server); the fetches must allow the same.
	AllowListeners []netip.AddrPort
	// Refresh overrides DefaultRefresh.
	Refresh time.Duration
	// Preview fetches for the admin API's discover and preview, and for
	// Add's check that a page without a scrape: block offers a feed (nil:
	// Discover and Preview fail, Add skips that check). PreviewTimeout
	// overrides DefaultPreviewTimeout.
	Preview        *preview.Previewer
	PreviewTimeout time.Duration
	Logger         *slog.Logger
	// Now is the clock (time.Now when nil).
	Now func() time.Time
	// ReadOnly merges and lists sources without changing the store: the
	// sections are not reconciled with the config (a listing such as
	// `tributary sources`, perhaps given another config file than the
	// daemon's, must not take entries out of sections).
	ReadOnly bool
}

// Registry is the merged source list of one instance. It is safe for
// concurrent use.
type Registry struct {
	store *store.Store
	// console keeps the console's sessions, audit log and failed token
	// checks, on the store's Redis.
	console *console.Store
	// due takes operators' poll requests: the due set beside the store,
	// on its client and prefix.
	due  *dueset.Set
	opts Options

	mu   sync.Mutex // serializes merges and applies, so they land in order
	file fileConfig
	api  []store.APISource
	// extra are the sections added through the admin API to sources of
	// the config file (store.ExtraSections).
	extra   map[string][]string
	sources []model.Source
	secs    []model.Section
	apply   ApplyFunc
	// retry holds the sections whose reconcile failed (see
	// reconcileLocked), tried again on the next Refresh.
	retry map[string]bool
	// recheck holds the sections a change reconciled, with when to stop
	// reconciling them again on each Refresh: a poll that began under the
	// old config may index a departed source's entries after the change.
	recheck map[string]time.Time
}

// New returns a registry of cfg's sources; call Refresh to add the API
// sources stored so far.
func New(st *store.Store, cfg *config.Config, opts Options) *Registry {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Refresh <= 0 {
		opts.Refresh = DefaultRefresh
	}
	r := &Registry{store: st, console: console.New(st.Client(), st.Keys(), opts.Logger), due: dueset.New(st.Client(), st.Keys().Prefix, cfg.Scheduler.Shards),
		opts: opts, retry: map[string]bool{}, recheck: map[string]time.Time{}}
	r.file = fileOf(cfg)
	r.sources, r.secs, _ = merge(r.file, nil, !opts.AllowPrivate)
	return r
}

func fileOf(cfg *config.Config) fileConfig {
	return fileConfig{sources: cfg.Sources(), sections: cfg.Sections(),
		schedule: cfg.Defaults.Schedule, timezone: cfg.Defaults.Timezone, staleAfter: time.Duration(cfg.Freshness.StaleAfter)}
}

// OnChange sets the function every later change of the merged list is
// handed to.
func (r *Registry) OnChange(apply ApplyFunc) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.apply = apply
}

// Merged returns the current sources (the file's first) and sections.
func (r *Registry) Merged() ([]model.Source, []model.Section) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.sources, r.secs
}

// SetFile replaces the config file's part (a reload) and applies the new
// merged list. The entries of a source the file no longer lists in a
// section leave that section (see Reconcile).
func (r *Registry) SetFile(ctx context.Context, cfg *config.Config) (added, removed, changed int, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	file := fileOf(cfg)
	sources, secs := r.mergeLocked(file, r.api, r.extra)
	if added, removed, changed, err = r.applyLocked(ctx, sources, secs); err != nil {
		return 0, 0, 0, err
	}
	r.file = file
	return added, removed, changed, nil
}

// Refresh re-reads the API sources (and the sections added to config
// sources) from the store and applies the merged list if it changed.
func (r *Registry) Refresh(ctx context.Context) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	api, err := r.store.APISources(ctx)
	if err != nil {
		return err
	}
	extra, err := r.store.ExtraSections(ctx)
	if err != nil {
		return err
	}
	if reflect.DeepEqual(api, r.api) && reflect.DeepEqual(extra, r.extra) {
		r.reconcileLocked(ctx, nil)
		return nil
	}
	sources, secs := r.mergeLocked(r.file, api, extra)
	added, removed, changed, err := r.applyLocked(ctx, sources, secs)
	if err != nil {
		return fmt.Errorf("apply api sources: %w", err)
	}
	r.api, r.extra = api, extra
	r.opts.Logger.Info("api sources updated", "api_sources", len(api),
		"sources_added", added, "sources_removed", removed, "sources_changed", changed)
	return nil
}

func (r *Registry) mergeLocked(file fileConfig, api []store.APISource, extra map[string][]string) ([]model.Source, []model.Section) {
	sources, secs, aside := merge(file, api, !r.opts.AllowPrivate)
	sources = addExtra(sources, secs, extra)
	for _, a := range aside {
		r.opts.Logger.Warn("api source set aside", "source", a.id, "url", a.url, "why", a.why)
	}
	return sources, secs
}

// applyLocked hands the merged list on, then has the sections whose
// sources changed drop the entries of the sources that left them.
func (r *Registry) applyLocked(ctx context.Context, sources []model.Source, secs []model.Section) (added, removed, changed int, err error) {
	if r.apply != nil {
		if added, removed, changed, err = r.apply(sources, secs); err != nil {
			return 0, 0, 0, err
		}
	}
	old := r.secs
	r.sources, r.secs = sources, secs
	r.reconcileLocked(ctx, changedSections(old, secs))
	return added, removed, changed, nil
}

// Subscribe starts following the admin channel; the subscription is
// active when it returns, and events queue until Run reads them, so an
// instance can subscribe before it announces itself and run once its
// scheduler has started.
func (r *Registry) Subscribe(ctx context.Context) <-chan string {
	return r.store.SubscribeAdmin(ctx)
}

// Run handles admin events from Subscribe until ctx ends: "sources"
// re-reads the API sources, a poll request is handed to trigger (nil on an
// instance that does not poll), and every Options.Refresh the API sources
// are re-read anyway.
func (r *Registry) Run(ctx context.Context, events <-chan string, trigger func(ids []string) []string) {
	tick := time.NewTicker(r.opts.Refresh)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case msg, ok := <-events:
			if !ok {
				return
			}
			r.handle(ctx, msg, trigger)
		case <-tick.C:
			if err := r.Refresh(ctx); err != nil && ctx.Err() == nil {
				r.opts.Logger.Warn("re-read api sources", "err", err)
			}
		}
	}
}

func (r *Registry) handle(ctx context.Context, msg string, trigger func(ids []string) []string) {
	kind, id, _ := strings.Cut(strings.TrimPrefix(msg, "poll "), " ")
	switch {
	case msg == msgSources:
		if err := r.Refresh(ctx); err != nil && ctx.Err() == nil {
			r.opts.Logger.Warn("re-read api sources", "err", err)
		}
	case trigger == nil:
	case strings.HasPrefix(msg, "poll ") && (kind == "source" || kind == "section"):
		ids, err := r.pollTargets(ctx, kind, id)
		if err != nil {
			r.opts.Logger.Warn("poll request", "request", msg, "err", err)
			return
		}
		queued := trigger(ids)
		r.opts.Logger.Info("poll requested through the admin API", "request", msg, "queued", len(queued))
	default:
		r.opts.Logger.Warn("unknown admin event", "event", msg)
	}
}

// msgSources tells every instance the API sources changed.
const msgSources = "sources"
