package aggregator

import (
	"cmp"
	"context"
	"fmt"
	"log/slog"
	"maps"
	"net/url"
	"runtime/debug"
	"slices"
	"sync"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/tributary-rss/tributary/aggregator/fetch"
	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/aggregator/store"
)

// DefaultConcurrency bounds how many polls run at once.
const DefaultConcurrency = 8

// DefaultLeaseTTL is how long a poll lease lasts when LeaseTTL is unset. It
// must outlast a whole poll (fetch timeout plus ingest): a lease that
// expires mid-poll lets another instance poll the same source.
const DefaultLeaseTTL = 2 * time.Minute

// dueSlack tolerates a stored due time a moment after the firing that
// serves it (clock skew between instances). It must stay well under the
// shortest interval (1s), or an instance that arrives just after another
// polled would poll again for the next due time.
const dueSlack = 250 * time.Millisecond

// Leaser hands out per-source poll leases shared by every instance, so N
// daemons on one Redis poll each source once per due time.
type Leaser interface {
	AcquireLease(ctx context.Context, sourceID string, ttl time.Duration) (token string, ok bool, err error)
	ReleaseLease(ctx context.Context, sourceID, token string) error
}

var _ Leaser = (*store.Store)(nil)

// PollRequests hands out the poll requests operators make through the
// admin API, which every polling instance hears of: only the instance that
// takes a request polls for it.
type PollRequests interface {
	TakePollRequest(ctx context.Context, sourceID string) (bool, error)
}

var _ PollRequests = (*store.Store)(nil)

// pollWhen is the condition under which run polls, checked under the lease.
type pollWhen int

const (
	// whenDue: the source is due (the catch-up, cron firings).
	whenDue pollWhen = iota
	// whenAsked: always (PollNow).
	whenAsked
	// whenRequested: a poll request is still pending (Trigger).
	whenRequested
)

// Scheduler polls every source on its schedule with robfig/cron: one cron
// entry per distinct source, each at its fixed phase, and at start a prompt
// poll of every source that is due (never polled, or due while the daemon
// was down), all paced by one concurrency limit.
type Scheduler struct {
	poller *Poller
	logger *slog.Logger
	// mu guards sources, byID, schedules, entries and pulledIn, which
	// Update replaces while polls read them.
	mu        sync.RWMutex
	sources   []model.Source
	byID      map[string]model.Source
	schedules map[string]cron.Schedule
	entries   map[string]cron.EntryID
	pulledIn  map[string]pullIn
	stopped   bool
	sem       chan struct{}
	running   sync.Map // source id → *sync.Mutex; one poll per source at a time
	cron      *cron.Cron
	ctx       context.Context
	cancel    context.CancelFunc
	wg        sync.WaitGroup
	// OnPoll, when set, receives every poll result (the CLI and tests use it).
	OnPoll func(PollResult)
	// Leases, when set, makes every poll take the source's lease first and
	// skip the poll when another instance holds it. LeaseTTL bounds a
	// lease (0: DefaultLeaseTTL).
	Leases   Leaser
	LeaseTTL time.Duration
	// Requests, when set, makes Trigger poll a source only if its pending
	// request is still there to take (another instance may have served
	// it); nil polls on every Trigger.
	Requests PollRequests
	// MaxInterval and MaxBackoff bound how far hints and failures push a
	// source's next due time (0: DefaultMaxInterval, DefaultMaxBackoff).
	MaxInterval, MaxBackoff time.Duration
	// Jitter spreads backoff (see Plan.Jitter); nil is random.
	Jitter func() float64
	// PerHost bounds polls of one host at once (0: fetch.DefaultPerHost).
	// The slot is taken before a global one, so sources of one busy host
	// wait without holding slots other hosts could use.
	PerHost   int
	hosts     *fetch.HostLimiter
	hostsOnce sync.Once
}

// NewScheduler parses every source's schedule; a bad one is an error naming
// the source (the config validator normally catches it first).
func NewScheduler(p *Poller, sources []model.Source, concurrency int, logger *slog.Logger) (*Scheduler, error) {
	if concurrency <= 0 {
		concurrency = DefaultConcurrency
	}
	s := &Scheduler{
		poller:   p,
		logger:   logger,
		sem:      make(chan struct{}, concurrency),
		entries:  map[string]cron.EntryID{},
		pulledIn: map[string]pullIn{},
	}
	schedules, err := parseSchedules(sources)
	if err != nil {
		return nil, err
	}
	s.setSources(sources, schedules)
	return s, nil
}

// Start registers the cron entries, starts cron and queues the catch-up
// polls. It returns at once; Stop ends everything.
func (s *Scheduler) Start(ctx context.Context) error {
	s.ctx, s.cancel = context.WithCancel(ctx)
	cl := cronLogger{s.logger}
	// SkipIfStillRunning must wrap Recover: in the other order a panicking
	// job is never run again (LIBRARIES.md, robfig/cron).
	s.cron = cron.New(cron.WithChain(cron.SkipIfStillRunning(cl), cron.Recover(cl)), cron.WithLogger(cl))
	s.mu.Lock()
	for _, src := range s.sources {
		s.register(src)
	}
	sources := s.sources
	s.mu.Unlock()
	s.wg.Add(len(sources))
	s.cron.Start()
	for _, src := range sources {
		go func() {
			defer s.wg.Done()
			s.runDue(src)
		}()
	}
	return nil
}

// Stop stops scheduling new polls and waits for running ones to finish or
// for ctx to end, whichever is first; then it cancels what is left.
func (s *Scheduler) Stop(ctx context.Context) {
	if s.cron == nil {
		return
	}
	s.mu.Lock()
	s.stopped = true // no Update adds to wg from here on
	s.mu.Unlock()
	cronDone := s.cron.Stop()
	done := make(chan struct{})
	go func() {
		<-cronDone.Done()
		s.wg.Wait()
		close(done)
	}()
	select {
	case <-done:
	case <-ctx.Done():
		s.logger.Warn("abandoning in-flight polls", "err", ctx.Err())
	}
	s.cancel()
	<-done
}

// Next is the source's next due time after t.
func (s *Scheduler) Next(sourceID string, t time.Time) time.Time {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.schedules[sourceID].Next(t)
}

// Plan is the due-time policy of a source.
func (s *Scheduler) Plan(sourceID string) Plan {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return Plan{Schedule: s.schedules[sourceID], MaxInterval: s.MaxInterval, MaxBackoff: s.MaxBackoff, Jitter: s.Jitter}
}

// runDue polls src if it is due (see isDue). A source another path or
// instance just polled is skipped, so the start-up catch-up, the cron
// firings and other daemons never poll one due time twice.
func (s *Scheduler) runDue(src model.Source) {
	if s.ctx.Err() != nil || !s.current(src) {
		return
	}
	// A cheap check before waiting for a slot; it is repeated under the
	// lease, where it counts.
	if st, err := s.poller.store.SourceState(s.ctx, src.ID); err == nil && !s.isDue(src, st) {
		return
	}
	s.run(s.ctx, src, whenDue)
}

// isDue: not paused, not gone (unless the configured URL changed since),
// and next_due has passed or was never set.
func (s *Scheduler) isDue(src model.Source, st store.SourceState) bool {
	if st.Disabled || st.Gone && st.URL == src.URL {
		return false
	}
	if st.URL != "" && st.URL != src.URL {
		return true
	}
	if s.pulledInDue(src.ID, st) {
		return true
	}
	return st.NextDue.IsZero() || !st.NextDue.After(s.poller.Now().Add(dueSlack))
}

// PollNow polls src at once (waiting for a concurrency slot and taking the
// lease), due or not, unless a poll of the same source is already running
// here or elsewhere. The bool is false when skipped.
func (s *Scheduler) PollNow(ctx context.Context, src model.Source) (PollResult, bool) {
	return s.run(ctx, src, whenAsked)
}

func (s *Scheduler) run(ctx context.Context, src model.Source, when pollWhen) (PollResult, bool) {
	mu, _ := s.running.LoadOrStore(src.ID, &sync.Mutex{})
	if !mu.(*sync.Mutex).TryLock() {
		return PollResult{}, false
	}
	defer mu.(*sync.Mutex).Unlock()
	s.hostsOnce.Do(func() { s.hosts = fetch.NewHostLimiter(cmp.Or(s.PerHost, fetch.DefaultPerHost)) })
	releaseHost, err := s.hosts.Acquire(ctx, hostOf(src.URL))
	if err != nil {
		return PollResult{}, false
	}
	defer releaseHost()
	select {
	case s.sem <- struct{}{}:
	case <-ctx.Done():
		return PollResult{}, false
	}
	defer func() { <-s.sem }()
	release, ok := s.lease(ctx, src)
	if !ok {
		return PollResult{}, false
	}
	defer release()
	// Re-read under the lease: another instance may have polled this due
	// time between our first look and the lease.
	st, err := s.poller.store.SourceState(ctx, src.ID)
	if err != nil {
		s.logger.Warn("read source state", "source", src.ID, "err", err)
		return PollResult{}, false
	}
	switch when {
	case whenDue:
		if !s.current(src) || !s.isDue(src, st) {
			return PollResult{}, false
		}
	case whenRequested:
		if !s.takeRequest(ctx, src.ID) {
			return PollResult{}, false
		}
	}
	res := s.safePoll(ctx, src, s.applyPullIn(src.ID, st))
	if s.OnPoll != nil {
		s.OnPoll(res)
	}
	return res, true
}

// takeRequest takes the source's pending poll request; false means another
// instance already served it (or Redis failed, which the poll would too).
func (s *Scheduler) takeRequest(ctx context.Context, id string) bool {
	if s.Requests == nil {
		return true
	}
	ok, err := s.Requests.TakePollRequest(ctx, id)
	if err != nil {
		s.logger.Warn("take poll request", "source", id, "err", err)
		return false
	}
	if !ok {
		s.logger.Debug("poll request already served", "source", id)
	}
	return ok
}

// lease takes the source's lease when Leases is set; ok is false when
// another instance holds it (or Redis failed: skipping one firing is
// better than polling twice). The func releases it.
func (s *Scheduler) lease(ctx context.Context, src model.Source) (release func(), ok bool) {
	if s.Leases == nil {
		return func() {}, true
	}
	ttl := orDefault(s.LeaseTTL, DefaultLeaseTTL)
	token, ok, err := s.Leases.AcquireLease(ctx, src.ID, ttl)
	if err != nil {
		s.logger.Warn("acquire poll lease", "source", src.ID, "err", err)
		return nil, false
	}
	if !ok {
		return nil, false
	}
	return func() {
		// The poll is recorded; release even if ctx was cancelled meanwhile.
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		if err := s.Leases.ReleaseLease(rctx, src.ID, token); err != nil {
			s.logger.Warn("release poll lease", "source", src.ID, "err", err)
		}
	}, true
}

// safePoll turns a panic inside one poll into that poll's error, so a bug
// triggered by one source's data never stops the others.
func (s *Scheduler) safePoll(ctx context.Context, src model.Source, st store.SourceState) (res PollResult) {
	defer func() {
		if r := recover(); r != nil {
			s.logger.Error("poll panicked", "source", src.ID, "url", src.URL, "panic", r, "stack", string(debug.Stack()))
			res = PollResult{SourceID: src.ID, URL: src.URL, Err: fmt.Errorf("poll %s: panic: %v", src.URL, r)}
		}
	}()
	return s.poller.PollState(ctx, src, st, s.Plan(src.ID))
}

// hostOf is the host[:port] of a URL, or the URL itself when it does not
// parse (it then fails in fetch, alone in its slot).
func hostOf(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil || u.Host == "" {
		return rawURL
	}
	return u.Host
}

// cronLogger routes robfig/cron's logging (including recovered panics)
// through slog.
type cronLogger struct{ l *slog.Logger }

func (c cronLogger) Info(msg string, kv ...any) { c.l.Debug("cron: "+msg, kv...) }

func (c cronLogger) Error(err error, msg string, kv ...any) {
	c.l.Error("cron: "+msg, append(kv, "err", err)...)
}

// pullIn records a schedule changed by Update: until the source is polled
// after since, it is due at due even if its stored next_due (planned
// under the old schedule) is later, so a shortened schedule applies at
// once rather than after the old interval.
type pullIn struct{ since, due time.Time }

// Update applies a reloaded config: the sections the poller ingests into
// and the source list, diffed by source id the way Prometheus reloads
// scrape targets. New sources get a cron entry and a catch-up poll if due;
// removed ones lose their entry (a poll already running finishes; their
// entries stay stored); changed ones are re-registered with their new
// settings, and a changed schedule applies from its next firing.
// Unchanged sources keep their entry, their state and their phase. A bad
// schedule changes nothing and is returned.
func (s *Scheduler) Update(sources []model.Source, sections []model.Section) (added, removed, changed int, err error) {
	schedules, err := parseSchedules(sources)
	if err != nil {
		return 0, 0, 0, err
	}
	now := s.poller.Now()
	s.mu.Lock()
	old := s.byID
	oldRules := make(map[string]string, len(old))
	for id, src := range old {
		oldRules[id] = store.RulesFingerprint(src, s.poller.sectionsOf(src))
	}
	s.poller.SetSections(sections)
	for id := range old {
		if _, ok := schedules[id]; !ok {
			removed++
			s.unregister(id)
			delete(s.pulledIn, id)
		}
	}
	s.setSources(sources, schedules)
	var fresh, rules []model.Source
	for _, src := range sources {
		prev, ok := old[src.ID]
		if ok && oldRules[src.ID] != store.RulesFingerprint(src, s.poller.sectionsOf(src)) {
			rules = append(rules, src)
		}
		switch {
		case !ok:
			added++
		case sameSource(prev, src):
			continue
		default:
			changed++
			s.unregister(src.ID)
			if prev.Schedule != src.Schedule {
				s.pulledIn[src.ID] = pullIn{since: now, due: schedules[src.ID].Next(now)}
			}
		}
		fresh = append(fresh, src)
	}
	fresh = s.registerAll(fresh)
	rules = s.countAll(rules)
	s.mu.Unlock()
	for _, src := range fresh {
		go func() {
			defer s.wg.Done()
			s.runDue(src)
		}()
	}
	for _, src := range rules {
		go func() {
			defer s.wg.Done()
			s.refreshRules(src)
		}()
	}
	return added, removed, changed, nil
}

// countAll counts one goroutine per source in wg when the scheduler is
// running and returns the sources to start them for (none otherwise).
// Called with mu held, like registerAll.
func (s *Scheduler) countAll(sources []model.Source) []model.Source {
	if s.cron == nil || s.stopped {
		return nil
	}
	s.wg.Add(len(sources))
	return sources
}

// refreshRules re-evaluates a source's stored entries against sections or
// filters a reload changed (a source added to a section shows its entries
// there at once, not at its next poll), without fetching. It waits for a
// poll of the source running here and takes the lease like a poll.
func (s *Scheduler) refreshRules(src model.Source) {
	mu, _ := s.running.LoadOrStore(src.ID, &sync.Mutex{})
	mu.(*sync.Mutex).Lock()
	defer mu.(*sync.Mutex).Unlock()
	release, ok := s.lease(s.ctx, src)
	if !ok {
		return
	}
	defer release()
	if err := s.poller.refresh(s.ctx, src); err != nil {
		s.logger.Warn("re-evaluate entries after reload", "source", src.ID, "err", err)
	}
}

// registerAll gives each source a cron entry and counts its catch-up poll
// in wg, when the scheduler is running; it returns the sources whose
// catch-up the caller must start. Called with mu held, so Stop (which
// takes mu) never waits on wg while it grows.
func (s *Scheduler) registerAll(sources []model.Source) []model.Source {
	if s.cron == nil || s.stopped {
		return nil
	}
	for _, src := range sources {
		s.register(src)
	}
	return s.countAll(sources)
}

// parseSchedules parses every source's schedule; a bad one is an error
// naming the source (the config validator normally catches it first).
func parseSchedules(sources []model.Source) (map[string]cron.Schedule, error) {
	out := make(map[string]cron.Schedule, len(sources))
	for _, src := range sources {
		sched, err := ParseSchedule(src.Schedule, src.ID)
		if err != nil {
			return nil, fmt.Errorf("source %s: %w", src.URL, err)
		}
		out[src.ID] = sched
	}
	return out, nil
}

// setSources replaces the source list; called with mu held (or before the
// scheduler is shared).
func (s *Scheduler) setSources(sources []model.Source, schedules map[string]cron.Schedule) {
	s.sources = sources
	s.schedules = schedules
	s.byID = make(map[string]model.Source, len(sources))
	for _, src := range sources {
		s.byID[src.ID] = src
	}
}

// register adds src's cron entry; called with mu held.
func (s *Scheduler) register(src model.Source) {
	s.entries[src.ID] = s.cron.Schedule(s.schedules[src.ID], cron.FuncJob(func() { s.runDue(src) }))
}

// unregister removes a source's cron entry, if any; called with mu held.
func (s *Scheduler) unregister(id string) {
	if e, ok := s.entries[id]; ok {
		s.cron.Remove(e)
		delete(s.entries, id)
	}
}

// current reports whether src is still configured exactly so: a firing or
// catch-up queued before an Update must not poll a removed source or with
// stale settings.
func (s *Scheduler) current(src model.Source) bool {
	s.mu.RLock()
	defer s.mu.RUnlock()
	cur, ok := s.byID[src.ID]
	return ok && sameSource(cur, src)
}

// pulledInDue reports whether a schedule change made the source due
// before its stored next_due, and it has not been polled since.
func (s *Scheduler) pulledInDue(id string, st store.SourceState) bool {
	s.mu.RLock()
	p, ok := s.pulledIn[id]
	s.mu.RUnlock()
	return ok && !st.LastFetch.After(p.since) && !p.due.After(s.poller.Now().Add(dueSlack))
}

// applyPullIn makes a poll that a schedule change pulled in serve the new
// schedule's due time, so its next due is planned from there rather than
// from the old, later next_due.
func (s *Scheduler) applyPullIn(id string, st store.SourceState) store.SourceState {
	if !s.pulledInDue(id, st) {
		return st
	}
	s.mu.RLock()
	due := s.pulledIn[id].due
	s.mu.RUnlock()
	if due.Before(st.NextDue) {
		st.NextDue = due
	}
	return st
}

// sameSource compares two configured sources field by field (zones by
// name: each config load has its own *time.Location).
func sameSource(a, b model.Source) bool {
	return a.ID == b.ID && a.URL == b.URL && a.Title == b.Title && a.Schedule == b.Schedule &&
		a.Location.String() == b.Location.String() &&
		slices.Equal(a.SectionIDs, b.SectionIDs) && maps.Equal(a.Headers, b.Headers) &&
		slices.Equal(a.Include, b.Include) && slices.Equal(a.Exclude, b.Exclude) &&
		a.Origin == b.Origin && a.Restricted == b.Restricted
}
