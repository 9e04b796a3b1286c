package scheduler

import (
	"context"
	"fmt"
	"runtime/debug"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/aggregator/poll"
	"github.com/tributary-rss/tributary/aggregator/scheduler/dueset"
)

// dueChunk bounds the sources one seeding or scheduling round of the loop
// writes, so a first start with 100k sources claims its first batch after
// the first thousand are seeded rather than after all of them.
const dueChunk = 1000

// maxRetryWait caps the loop's wait between failed steps (Redis down).
const maxRetryWait = 5 * time.Second

// loop is the scheduler's one goroutine that talks to the due set: it
// performs queued writes, writes completed polls back and claims due
// sources, then sleeps until the earliest due time, a wake-up (Trigger,
// Update, workers running low) or MaxSleep.
func (s *Scheduler) loop() {
	defer close(s.loopDone)
	defer close(s.queue)
	timer := time.NewTimer(0)
	defer timer.Stop()
	failing := 0
	for {
		select {
		case <-s.loopCtx.Done():
			return
		case <-s.wake:
		case <-timer.C:
		}
		wait, err := s.tick(s.loopCtx)
		switch {
		case err != nil && s.loopCtx.Err() != nil:
			return
		case err != nil:
			failing++
			if failing == 1 {
				s.logger.Warn("scheduler cannot reach the due set; retrying", "err", err)
			}
			wait = min(time.Duration(failing)*100*time.Millisecond, maxRetryWait)
		case failing > 0:
			s.logger.Info("scheduler reaches the due set again", "after_errors", failing)
			failing = 0
		}
		timer.Reset(wait)
	}
}

// tick is one round of the loop; it returns how long to sleep.
func (s *Scheduler) tick(ctx context.Context) (time.Duration, error) {
	more, err := s.applyPending(ctx)
	if err != nil {
		return 0, err
	}
	free := 2*s.workers - int(s.inflight.Load())
	done := s.takeDone()
	now := s.now()
	b, err := s.due.DueStep(ctx, done, now, free, s.leaseTTL(), s.token())
	if err != nil {
		s.putBackDone(done)
		return 0, err
	}
	s.dispatch(ctx, b.Claimed)
	if b.Earliest.IsZero() && !more && s.reseedIfLost() {
		more = true
	}
	backlog := !b.Earliest.IsZero() && !b.Earliest.After(now)
	s.backlog.Store(backlog)
	switch {
	case more:
		return 0, nil
	case backlog || b.Earliest.IsZero():
		// Due sources wait for workers, which wake the loop when they
		// run low; or nothing is scheduled at all.
		return s.maxSleep(), nil
	}
	return min(b.Earliest.Sub(now), s.maxSleep()), nil
}

// applyPending performs up to dueChunk queued writes; more reports that
// some are left. A write leaves the queue only once done, and only if no
// newer one for the same source was queued meanwhile; a failed one stays
// queued and is retried.
func (s *Scheduler) applyPending(ctx context.Context) (more bool, err error) {
	s.mu.RLock()
	batch := make(map[string]pendingOp, min(len(s.pending), dueChunk))
	for id, op := range s.pending {
		if len(batch) == dueChunk {
			break
		}
		batch[id] = op
	}
	s.mu.RUnlock()
	if len(batch) == 0 {
		return false, nil
	}
	if err := s.write(ctx, batch); err != nil {
		return true, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for id, op := range batch {
		if s.pending[id] == op {
			delete(s.pending, id)
		}
	}
	return len(s.pending) > 0, nil
}

// write performs a batch of queued writes to the due set.
func (s *Scheduler) write(ctx context.Context, batch map[string]pendingOp) error {
	var seed, remove []string
	at := map[string]time.Time{}
	for id, op := range batch {
		switch op.kind {
		case opSeed:
			seed = append(seed, id)
		case opRemove:
			remove = append(remove, id)
		case opSchedule:
			at[id] = op.at
		}
	}
	now := s.now()
	if len(remove) > 0 {
		if err := s.due.RemoveDue(ctx, remove); err != nil {
			return err
		}
	}
	if len(seed) > 0 {
		if _, err := s.due.SeedDue(ctx, seed, now); err != nil {
			return err
		}
	}
	if len(at) > 0 {
		// A source under a claim keeps its deadline; the store records the
		// edit for the claim's completion, which honours it in the same
		// script that writes the poll's plan, wherever and whenever that
		// completion runs.
		if err := s.due.ScheduleDue(ctx, at, now); err != nil {
			return err
		}
	}
	return nil
}

// reseedIfLost queues every configured source for seeding when the due
// set came back empty although this instance polls sources: the set was
// deleted or Redis lost its data (the store-reset watcher may notice
// later, or never, on a Redis without the marker). Seeding is ZADD NX, so
// instances doing it at once are harmless.
func (s *Scheduler) reseedIfLost() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.byID) == 0 || len(s.pending) > 0 {
		return false
	}
	s.logger.Warn("the due set is empty: adding every configured source again", "sources", len(s.byID))
	for id := range s.byID {
		s.pending[id] = pendingOp{kind: opSeed}
	}
	return true
}

// job is one claimed source for a worker, with the state its poll starts
// from, read by the loop for the whole batch in one round trip (stateErr
// when that failed: the source is then not polled this time).
type job struct {
	claim    dueset.Claim
	state    model.SourceState
	stateErr error
}

// dispatch hands claimed sources to the workers, with their states read
// in one round trip: one read per poll was half of an unchanged poll's
// round trips. The queue holds twice the workers and the loop never
// claims more than the free room, so it never blocks.
func (s *Scheduler) dispatch(ctx context.Context, claims []dueset.Claim) {
	if len(claims) == 0 {
		return
	}
	ids := make([]string, len(claims))
	for i, c := range claims {
		ids[i] = c.SourceID
	}
	states, err := s.poller.States(ctx, ids)
	s.inflight.Add(int64(len(claims)))
	for i, c := range claims {
		j := job{claim: c, stateErr: err}
		if err == nil {
			j.state = states[i]
		}
		s.queue <- j
	}
}

// worker polls claimed sources until the loop closes the queue. Once the
// scheduler is stopping, queued claims are released instead: their
// sources are due again at once, for another instance.
func (s *Scheduler) worker() {
	for j := range s.queue {
		c := j.claim
		if s.stopping.Load() {
			s.finish(dueset.Completion{SourceID: c.SourceID, Token: c.Token, Next: c.Due})
			continue
		}
		next, articles, src := s.pollClaim(j)
		done := dueset.Completion{SourceID: c.SourceID, Token: c.Token, Next: next}
		if !articles {
			s.finish(done)
			continue
		}
		// Written at once rather than with the next step, so that the
		// article pass finds the source free to claim.
		s.complete(s.pollCtx, done)
		s.released(0)
		s.queueArticlePass(src)
	}
}

// claimContext bounds work done under claim c: it ends with parent, or a
// margin before the claim's deadline, leaving time to record the outcome
// and give the claim back. The deadline is on
// the scheduler's clock, which tests may fake, so what is left of it is
// measured on that clock and counted from the wall clock now.
func (s *Scheduler) claimContext(parent context.Context, c dueset.Claim) (context.Context, context.CancelFunc) {
	left := c.Deadline.Sub(s.now()) - s.leaseTTL()/10
	return context.WithDeadlineCause(parent, time.Now().Add(left), poll.ErrClaimLapsing)
}

// pollClaim polls a claimed source, within its claim, and returns when it
// is next due and whether the poll left articles to fetch (see
// articleRunner).
func (s *Scheduler) pollClaim(j job) (next time.Time, articles bool, src model.Source) {
	c := j.claim
	ctx, cancel := s.claimContext(s.pollCtx, c)
	defer cancel()
	now := s.now()
	src, sched, ok := s.lookup(c.SourceID)
	if !ok {
		s.logger.Debug("claimed a source this instance's config lacks; leaving it to another instance", "source", c.SourceID)
		return now.Add(unknownRetry), false, src
	}
	st := j.state
	if j.stateErr != nil {
		s.logger.Warn("read source state", "source", src.ID, "err", j.stateErr)
		return nextFiring(sched, now), false, src
	}
	if !c.Requested && poll.Skipped(src, st) {
		return nextFiring(sched, now), false, src
	}
	// The plan counts from the due time this poll serves (an off-phase
	// poll, asked for or seeded, lets a firing too close to it pass).
	st.NextDue = c.Due
	res := s.safePoll(ctx, src, st)
	if s.OnPoll != nil {
		s.OnPoll(res)
	}
	if res.NextDue.IsZero() {
		return nextFiring(sched, now), false, src // a panic: nothing was planned
	}
	return res.NextDue, s.wantsArticles(src, res), src
}

// nextFiring is the schedule's next firing after now, or a day later when
// it never fires again.
func nextFiring(sched cron.Schedule, now time.Time) time.Time {
	if n := sched.Next(now); !n.IsZero() {
		return n
	}
	return now.Add(noFiring)
}

// finish queues a completed claim for the next step and wakes the loop
// when enough have gathered to be worth a round trip, or when the workers
// are running low while due sources wait.
func (s *Scheduler) finish(c dueset.Completion) {
	s.released(s.addDone(c))
}

// released counts a claim off the ones in flight and wakes the loop when
// queued completions (queued of them) are worth a round trip, or when the
// workers are running low while due sources wait.
func (s *Scheduler) released(queued int) {
	left := s.inflight.Add(-1)
	if queued >= s.workers || s.backlog.Load() && left <= int64(s.workers) {
		s.signal()
	}
}

// addDone queues c for the next step.
func (s *Scheduler) addDone(c dueset.Completion) int {
	s.doneMu.Lock()
	defer s.doneMu.Unlock()
	s.done = append(s.done, c)
	return len(s.done)
}

func (s *Scheduler) takeDone() []dueset.Completion {
	s.doneMu.Lock()
	defer s.doneMu.Unlock()
	d := s.done
	s.done = nil
	return d
}

// putBackDone re-queues completions a failed step did not write.
func (s *Scheduler) putBackDone(d []dueset.Completion) {
	s.doneMu.Lock()
	defer s.doneMu.Unlock()
	s.done = append(d, s.done...)
}

// flush writes the queued edits of due times, then the queued completions
// back, without claiming anything. The edits go first, as in the loop's
// step, so a source that refreshAll claims next finds its edited due
// time, which its completion then keeps.
func (s *Scheduler) flush(ctx context.Context) error {
	for more := true; more; {
		var err error
		if more, err = s.applyPending(ctx); err != nil {
			return err
		}
	}
	done := s.takeDone()
	if len(done) == 0 {
		return nil
	}
	if _, err := s.due.DueStep(ctx, done, s.now(), 0, s.leaseTTL(), s.token()); err != nil {
		s.putBackDone(done)
		return err
	}
	return nil
}

// signal wakes the loop (or leaves a wake-up pending for it).
func (s *Scheduler) signal() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// safePoll turns a panic inside one poll into that poll's error, so a bug
// triggered by one source's data never stops the others.
func (s *Scheduler) safePoll(ctx context.Context, src model.Source, st model.SourceState) (res poll.Result) {
	defer func() {
		if r := recover(); r != nil {
			s.logger.Error("poll panicked", "source", src.ID, "url", src.URL, "panic", r, "stack", string(debug.Stack()))
			res = poll.Result{SourceID: src.ID, URL: src.URL, Due: st.NextDue, Err: fmt.Errorf("poll %s: panic: %v", src.URL, r)}
		}
	}()
	return s.poller.PollState(ctx, src, st, s.Plan(src.ID))
}
