package aggregator

import (
	"context"
	"fmt"
	"log/slog"
	"runtime/debug"
	"sync"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/tributary-rss/tributary/aggregator/model"
)

// DefaultConcurrency bounds how many polls run at once.
const DefaultConcurrency = 8

// dueSlack tolerates a cron firing a moment before the stored due time.
const dueSlack = 2 * time.Second

// Scheduler polls every source on its schedule with robfig/cron: one cron
// entry per distinct source, each at its fixed phase, and at start a prompt
// poll of every source that is due (never polled, or due while the daemon
// was down), all paced by one concurrency limit.
type Scheduler struct {
	poller    *Poller
	logger    *slog.Logger
	sources   []model.Source
	schedules map[string]cron.Schedule
	sem       chan struct{}
	running   sync.Map // source id → *sync.Mutex; one poll per source at a time
	cron      *cron.Cron
	ctx       context.Context
	cancel    context.CancelFunc
	wg        sync.WaitGroup
	// OnPoll, when set, receives every poll result (the CLI and tests use it).
	OnPoll func(PollResult)
}

// NewScheduler parses every source's schedule; a bad one is an error naming
// the source (the config validator normally catches it first).
func NewScheduler(p *Poller, sources []model.Source, concurrency int, logger *slog.Logger) (*Scheduler, error) {
	if concurrency <= 0 {
		concurrency = DefaultConcurrency
	}
	s := &Scheduler{
		poller:    p,
		logger:    logger,
		sources:   sources,
		schedules: make(map[string]cron.Schedule, len(sources)),
		sem:       make(chan struct{}, concurrency),
	}
	for _, src := range sources {
		sched, err := ParseSchedule(src.Schedule, src.ID)
		if err != nil {
			return nil, fmt.Errorf("source %s: %w", src.URL, err)
		}
		s.schedules[src.ID] = sched
	}
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
	for _, src := range s.sources {
		src := src
		s.cron.Schedule(s.schedules[src.ID], cron.FuncJob(func() { s.runDue(src) }))
	}
	s.cron.Start()
	for _, src := range s.sources {
		s.wg.Add(1)
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
	return s.schedules[sourceID].Next(t)
}

// runDue polls src if it is due: its stored next_due has passed (or it was
// never polled). A source another path just polled is skipped, so the
// start-up catch-up and the first cron firing never poll twice.
func (s *Scheduler) runDue(src model.Source) {
	if s.ctx.Err() != nil {
		return
	}
	st, err := s.poller.store.SourceState(s.ctx, src.ID)
	if err == nil && !st.NextDue.IsZero() && st.NextDue.After(s.poller.Now().Add(dueSlack)) {
		return
	}
	s.PollNow(s.ctx, src)
}

// PollNow polls src at once (waiting for a concurrency slot), unless a poll
// of the same source is already running. The bool is false when skipped.
func (s *Scheduler) PollNow(ctx context.Context, src model.Source) (PollResult, bool) {
	mu, _ := s.running.LoadOrStore(src.ID, &sync.Mutex{})
	if !mu.(*sync.Mutex).TryLock() {
		return PollResult{}, false
	}
	defer mu.(*sync.Mutex).Unlock()
	select {
	case s.sem <- struct{}{}:
	case <-ctx.Done():
		return PollResult{}, false
	}
	defer func() { <-s.sem }()
	res := s.safePoll(ctx, src)
	if s.OnPoll != nil {
		s.OnPoll(res)
	}
	return res, true
}

// safePoll turns a panic inside one poll into that poll's error, so a bug
// triggered by one source's data never stops the others.
func (s *Scheduler) safePoll(ctx context.Context, src model.Source) (res PollResult) {
	defer func() {
		if r := recover(); r != nil {
			s.logger.Error("poll panicked", "source", src.ID, "url", src.URL, "panic", r, "stack", string(debug.Stack()))
			res = PollResult{SourceID: src.ID, URL: src.URL, Err: fmt.Errorf("poll %s: panic: %v", src.URL, r)}
		}
	}()
	return s.poller.Poll(ctx, src, s.Next(src.ID, s.poller.Now()))
}

// cronLogger routes robfig/cron's logging (including recovered panics)
// through slog.
type cronLogger struct{ l *slog.Logger }

func (c cronLogger) Info(msg string, kv ...any) { c.l.Debug("cron: "+msg, kv...) }

func (c cronLogger) Error(err error, msg string, kv ...any) {
	c.l.Error("cron: "+msg, append(kv, "err", err)...)
}
