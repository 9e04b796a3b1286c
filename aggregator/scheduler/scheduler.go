package scheduler

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/tributary-rss/tributary/aggregator/config"
	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/aggregator/poll"
	"github.com/tributary-rss/tributary/aggregator/scheduler/dueset"
	"github.com/tributary-rss/tributary/aggregator/scheduler/plan"
)

// DefaultConcurrency bounds how many polls run at once.
const DefaultConcurrency = 8

// DefaultLeaseTTL is how long a claim on a source lasts when LeaseTTL is
// unset. It must outlast a whole poll (a wait in the queue, the fetch
// timeout, ingest): a claim that expires mid-poll lets another instance
// poll the same source.
const DefaultLeaseTTL = 2 * time.Minute

// DefaultMaxSleep bounds how long the loop sleeps when nothing is due
// sooner: due times other instances write (a poll request, a reload, a
// source polled elsewhere on a short schedule) are seen at most this late.
// One script call per second per instance is the whole cost.
const DefaultMaxSleep = time.Second

// unknownRetry is how long a claimed source this instance's config does
// not know goes back for: during a rolling reload another instance may
// have added it, and one that knows it will claim it meanwhile.
const unknownRetry = time.Minute

// noFiring is how far a schedule that never fires again (a cron date that
// does not exist) pushes its source, which stays in the due set so that a
// reload can fix it.
const noFiring = 24 * time.Hour

// DueSet is the schedule of every source shared by every instance on one
// Redis (dueset.Set): the Scheduler seeds
// it, claims due sources from it and writes their next due times back.
type DueSet interface {
	DueStep(ctx context.Context, done []dueset.Completion, now time.Time, limit int, lease time.Duration, token string) (dueset.DueBatch, error)
	ClaimSource(ctx context.Context, id string, now time.Time, lease time.Duration, token string) (dueset.Claim, bool, error)
	ClaimSources(ctx context.Context, ids []string, now time.Time, lease time.Duration, token string) ([]dueset.Claim, []bool, error)
	SeedDue(ctx context.Context, ids []string, now time.Time) (int, error)
	ScheduleDue(ctx context.Context, at map[string]time.Time, now time.Time) error
	RemoveDue(ctx context.Context, ids []string) error
}

var _ DueSet = (*dueset.Set)(nil)

// Poller is what the scheduler asks of the polls it dispatches
// (poll.Poller): the state and one poll of a claimed source, its article
// pass, and the rules fingerprint a reload compares. Small enough to fake,
// so a simulation measures scheduling alone.
type Poller interface {
	// Clock is the time by which polls are planned.
	Clock() time.Time
	State(ctx context.Context, sourceID string) (model.SourceState, error)
	States(ctx context.Context, ids []string) ([]model.SourceState, error)
	// Prime reads ahead what the first polls of srcs would each read
	// (see poll.Poller.Prime).
	Prime(ctx context.Context, srcs []model.Source) error
	PollState(ctx context.Context, src model.Source, st model.SourceState, p plan.Plan) poll.Result
	Refresh(ctx context.Context, src model.Source) error
	Fingerprint(src model.Source) string
	Forget(sourceID string)
	SetSections(sections []model.Section)
	FetchesArticles(src model.Source) bool
	FetchArticles(ctx context.Context, src model.Source) poll.ArticleResult
}

var _ Poller = (*poll.Poller)(nil)

// Scheduler polls every source at the due times kept in the shared due
// set. Each instance runs one loop: it sleeps until the earliest due time
// (at most MaxSleep), claims a batch of due sources in one script, hands
// them to a fixed pool of workers and writes their next due times back
// with the next batch's claim. Instances on one Redis therefore split the
// polls between them, each source polled once per due time, and a source
// whose instance died mid-poll is due again at its claim's deadline.
// There is no timer and no goroutine per source, and nothing per source
// in memory but its config and parsed schedule.
//
// The due set is the only schedule: start-up (seeding), reloads (Update),
// operators' poll requests (dueset.Set.RequestPolls, then Trigger) and a store
// that lost its data (RepollAll) are all writes to it.
type Scheduler struct {
	poller   Poller
	due      DueSet
	logger   *slog.Logger
	workers  int
	instance string

	// mu guards the config (byID, schedules), the Redis writes queued for
	// the loop (pending) and the run state.
	mu        sync.RWMutex
	byID      map[string]*model.Source
	schedules map[string]cron.Schedule
	pending   map[string]pendingOp
	state     runState

	// doneMu guards done, the completed claims the next step writes back.
	doneMu sync.Mutex
	done   []dueset.Completion

	inflight atomic.Int64 // claims dispatched and not yet completed
	backlog  atomic.Bool  // the last step left due sources unclaimed
	steps    atomic.Uint64
	stopping atomic.Bool
	queue    chan job
	wake     chan struct{}
	sem      chan struct{} // bounds PollMany's polls
	articles *articleRunner

	loopCtx     context.Context
	stopLoop    context.CancelFunc
	pollCtx     context.Context
	cancelPolls context.CancelFunc
	loopDone    chan struct{}
	wg          sync.WaitGroup // workers and reload refreshes

	// OnPoll, when set, receives every poll result (the CLI and tests use it).
	OnPoll func(poll.Result)
	// OnArticles, when set, receives every article pass's result.
	OnArticles func(poll.ArticleResult)
	// ArticleWorkers bounds the article passes running at once (0:
	// DefaultArticleWorkers); see articleRunner. ArticlePassBudget bounds
	// one pass (0: DefaultArticlePassBudget).
	ArticleWorkers    int
	ArticlePassBudget time.Duration
	// LeaseTTL bounds a claim (0: DefaultLeaseTTL).
	LeaseTTL time.Duration
	// MaxSleep bounds the loop's sleep (0: DefaultMaxSleep).
	MaxSleep time.Duration
	// MaxInterval and MaxBackoff bound how far hints and failures push a
	// source's next due time (0: DefaultMaxInterval, DefaultMaxBackoff).
	MaxInterval, MaxBackoff time.Duration
	// Jitter spreads backoff (see Plan.Jitter); nil is random.
	Jitter func() float64
}

type runState int

const (
	idle runState = iota
	running
	stopped
)

// pendingOp is a write to the due set queued by Update, Start or
// RepollAll, which the loop performs (and retries while Redis fails).
type pendingOp struct {
	kind opKind
	at   time.Time // opSchedule
}

type opKind int

const (
	// opSeed adds a source the due set lacks (dueset.Set.SeedDue).
	opSeed opKind = iota
	// opSchedule makes a source due at `at` if that is earlier.
	opSchedule
	// opRemove takes a source out of the due set.
	opRemove
)

// New parses every source's schedule; a bad one is an error naming the
// source (the config validator normally catches it first). Polls run on
// concurrency workers. The scheduler keeps sources, which the caller must
// not change afterwards.
func New(p Poller, due DueSet, sources []model.Source, concurrency int, logger *slog.Logger) (*Scheduler, error) {
	if concurrency <= 0 {
		concurrency = DefaultConcurrency
	}
	schedules, err := parseSchedules(sources)
	if err != nil {
		return nil, err
	}
	s := &Scheduler{
		poller:   p,
		due:      due,
		logger:   logger,
		workers:  concurrency,
		instance: instanceID(),
		pending:  map[string]pendingOp{},
		// Twice the workers: each worker has a claim queued behind the one
		// it polls, so the loop refills in batches, not one by one.
		queue:    make(chan job, 2*concurrency),
		wake:     make(chan struct{}, 1),
		sem:      make(chan struct{}, concurrency),
		articles: newArticleRunner(),
		loopDone: make(chan struct{}),
	}
	s.setSources(sources, schedules)
	return s, nil
}

// Start seeds the due set with the configured sources (in the loop, so an
// unreachable Redis delays polling rather than the daemon) and starts the
// loop and the workers. It returns at once; Stop ends everything.
func (s *Scheduler) Start(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.state != idle {
		return errors.New("scheduler already started")
	}
	s.state = running
	for id := range s.byID {
		if _, queued := s.pending[id]; !queued {
			s.pending[id] = pendingOp{kind: opSeed}
		}
	}
	s.loopCtx, s.stopLoop = context.WithCancel(ctx)
	// Polls outlive the start context: on shutdown the loop stops at once
	// but running polls finish and record their outcome (see Stop).
	s.pollCtx, s.cancelPolls = context.WithCancel(context.WithoutCancel(ctx))
	for range s.workers {
		s.wg.Go(s.worker)
	}
	s.startArticleWorkers()
	go s.loop()
	return nil
}

// Stop stops claiming, waits for running polls to finish or for ctx to
// end, whichever is first (then it cancels what is left), and writes the
// completed claims back. Claims queued but not started are released: their
// sources are due again at once, for another instance.
func (s *Scheduler) Stop(ctx context.Context) {
	s.mu.Lock()
	was := s.state
	s.state = stopped // no Update adds to wg from here on
	s.mu.Unlock()
	if was != running {
		return
	}
	s.stopping.Store(true)
	s.stopLoop()
	<-s.loopDone // the loop closed the queue: the workers drain it and exit
	done := make(chan struct{})
	go func() {
		s.wg.Wait()
		// No poll hands a claim over any more.
		s.stopArticleWorkers()
		close(done)
	}()
	select {
	case <-done:
	case <-ctx.Done():
		s.logger.Warn("abandoning in-flight polls", "err", ctx.Err())
		s.cancelPolls()
		<-done
	}
	s.cancelPolls()
	fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), poll.WriteBackTimeout)
	defer cancel()
	if err := s.flush(fctx); err != nil {
		s.logger.Warn("write back the last polls' due times; their sources are due again at their claims' deadlines", "err", err)
	}
}

// Plan is the due-time policy of a source.
func (s *Scheduler) Plan(sourceID string) plan.Plan {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return plan.Plan{Schedule: s.schedules[sourceID], MaxInterval: s.MaxInterval, MaxBackoff: s.MaxBackoff, Jitter: s.Jitter}
}

// Update applies a reloaded config: the sections the poller ingests into
// and the source list, diffed by source id the way Prometheus reloads
// scrape targets. New sources are added to the due set (due now, unless it
// holds them already: another instance may have seeded them); removed
// ones are taken out of it (a poll already running finishes; their
// entries stay stored); a changed URL makes the source due now and a
// changed schedule pulls its due time in to the new schedule's next
// firing when that is earlier. Unchanged sources keep their due time and
// their phase. Sources whose filters or sections changed have their
// stored entries re-evaluated at once, without a fetch. A bad schedule
// changes nothing and is returned.
//
// The scheduler keeps sources, which the caller must not change
// afterwards.
//
// Several instances share the due set and may run different configs
// during a rolling reload; each removes only the sources its own config
// dropped.
func (s *Scheduler) Update(sources []model.Source, sections []model.Section) (added, removed, changed int, err error) {
	schedules, err := parseSchedules(sources)
	if err != nil {
		return 0, 0, 0, err
	}
	now := s.now()
	s.mu.Lock()
	old := s.byID
	oldRules := make(map[string]string, len(old))
	for id, src := range old {
		oldRules[id] = s.poller.Fingerprint(*src)
	}
	s.poller.SetSections(sections)
	for id := range old {
		if _, ok := schedules[id]; !ok {
			removed++
			s.pending[id] = pendingOp{kind: opRemove}
			s.poller.Forget(id)
			s.articles.forget(id)
		}
	}
	var rules []model.Source
	for _, src := range sources {
		prev, ok := old[src.ID]
		if ok && oldRules[src.ID] != s.poller.Fingerprint(src) {
			rules = append(rules, src)
		}
		switch {
		case !ok:
			added++
			s.pending[src.ID] = pendingOp{kind: opSeed}
		case sameSource(*prev, src):
		default:
			changed++
			if prev.URL != src.URL {
				s.pending[src.ID] = pendingOp{kind: opSchedule, at: now}
			} else if prev.Schedule != src.Schedule {
				s.pending[src.ID] = pendingOp{kind: opSchedule, at: schedules[src.ID].Next(now)}
			}
		}
	}
	s.setSources(sources, schedules)
	refresh := s.state == running && len(rules) > 0
	if refresh {
		s.wg.Add(1) // under mu, so never after Stop's Wait began
	}
	s.mu.Unlock()
	s.signal()
	if refresh {
		go func() {
			defer s.wg.Done()
			s.refreshAll(rules)
		}()
	}
	return added, removed, changed, nil
}

// parseSchedules parses every source's schedule with the config's parser;
// a bad one is an error naming the source.
func parseSchedules(sources []model.Source) (map[string]cron.Schedule, error) {
	out := make(map[string]cron.Schedule, len(sources))
	for _, src := range sources {
		sched, err := config.ParseSchedule(src.Schedule, src.ID)
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
	s.schedules = schedules
	// The map points into sources rather than copying each one: at a
	// hundred thousand sources the copies were the largest thing the
	// daemon kept. Callers hand over the slice (see New and Update).
	s.byID = make(map[string]*model.Source, len(sources))
	for i := range sources {
		s.byID[sources[i].ID] = &sources[i]
	}
}

// lookup returns a source's current config and schedule.
func (s *Scheduler) lookup(id string) (model.Source, cron.Schedule, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	src, ok := s.byID[id]
	if !ok {
		return model.Source{}, nil, false
	}
	return *src, s.schedules[id], true
}

// sameSource compares two configured sources field by field (zones by
// name: each config load has its own *time.Location).
func sameSource(a, b model.Source) bool {
	return a.ID == b.ID && a.URL == b.URL && a.Title == b.Title && a.Schedule == b.Schedule &&
		a.Location.String() == b.Location.String() &&
		slices.Equal(a.SectionIDs, b.SectionIDs) && maps.Equal(a.Headers, b.Headers) &&
		slices.Equal(a.Include, b.Include) && slices.Equal(a.Exclude, b.Exclude) &&
		a.Origin == b.Origin && a.Restricted == b.Restricted &&
		a.Scrape.Equal(b.Scrape) && a.Content.Equal(b.Content) && slices.Equal(a.TitleStrip, b.TitleStrip)
}

func (s *Scheduler) now() time.Time { return s.poller.Clock() }

// orDefault is d, or def when d is not positive (a zero field).
func orDefault(d, def time.Duration) time.Duration {
	if d <= 0 {
		return def
	}
	return d
}

func (s *Scheduler) leaseTTL() time.Duration { return orDefault(s.LeaseTTL, DefaultLeaseTTL) }

func (s *Scheduler) maxSleep() time.Duration { return orDefault(s.MaxSleep, DefaultMaxSleep) }

// token names one claim step of this instance; completions must present
// it, so a claim reclaimed elsewhere after its deadline is never
// overwritten by the late poll.
func (s *Scheduler) token() string {
	return s.instance + ":" + strconv.FormatUint(s.steps.Add(1), 36)
}

// Instance is the random name of this scheduler in its claim tokens
// ("<instance>:<step>" in the due set's claims), for diagnostics: which
// claims a dead instance left.
func (s *Scheduler) Instance() string { return s.instance }

// instanceID is a random name for this scheduler in claim tokens.
func instanceID() string {
	var b [6]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails (Go 1.24+)
	return hex.EncodeToString(b[:])
}
