package scheduler

import (
	"context"
	"slices"
	"sync"
	"time"

	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/aggregator/poll"
	"github.com/tributary-rss/tributary/aggregator/scheduler/dueset"
)

// RepollAll makes every configured source due now (added back if the due
// set lacks it), so each is polled at once and fetched in full when its
// stored state is gone too (no validators, no body hash to match). The
// store-reset watcher calls it when Redis lost its data. It does nothing
// before Start or after Stop.
func (s *Scheduler) RepollAll() {
	s.mu.Lock()
	if s.state != running {
		s.mu.Unlock()
		return
	}
	now := s.now()
	for id := range s.byID {
		s.pending[id] = pendingOp{kind: opSchedule, at: now}
	}
	s.mu.Unlock()
	s.signal()
}

// Trigger wakes the loop for the sources named by ids, which an operator
// asked to poll through the admin API (dueset.Set.RequestPolls made them due
// now in the shared due set, so whichever instance claims one first polls
// it, once per request). It returns the ids this instance knows, and nil
// before Start or after Stop.
func (s *Scheduler) Trigger(ids []string) []string {
	s.mu.RLock()
	var known []string
	if s.state == running {
		for _, id := range ids {
			if _, ok := s.byID[id]; ok {
				known = append(known, id)
			}
		}
	}
	s.mu.RUnlock()
	if len(known) > 0 {
		s.signal()
	}
	return known
}

// pollNow is PollMany's poll of src under claim c, from its state st (or
// stErr, which the poll does not start on); it returns the poll's result
// and when src is next due. Articles the poll leaves to fetch
// (content.fetch) are fetched before it returns, within the claim.
func (s *Scheduler) pollNow(ctx context.Context, src model.Source, c dueset.Claim, st model.SourceState, stErr error) (poll.Result, time.Time) {
	next := c.Due
	var res poll.Result
	if stErr != nil {
		s.logger.Warn("read source state", "source", src.ID, "err", stErr)
	} else {
		st.NextDue = c.Due
		res = s.safePoll(ctx, src, st)
		if s.OnPoll != nil {
			s.OnPoll(res)
		}
		next = res.NextDue
		if s.wantsArticles(src, res) {
			actx, cancel := context.WithTimeout(ctx, s.articlePassBudget())
			s.poller.FetchArticles(actx, src)
			cancel()
		}
	}
	if next.IsZero() {
		next = nextFiring(s.Plan(src.ID).Schedule, s.now())
	}
	return res, next
}

// PollMany polls each of sources at once, due or not, unless another poll
// of it is running here or on another instance (its claim is live): fn is
// told of each as its poll ends, with false when it was skipped (from the
// polling goroutines, so fn must be safe for concurrent use). Like a
// scheduled poll, each writes its next due time to the due set, and
// articles a poll leaves to fetch are fetched before its slot is free. It
// does not need Start: the fetch command uses it alone. It keeps the
// concurrency slots full, and claims,
// reads the sources' state and writes completions a slot-full at a time,
// in one round trip each: a few round trips per batch instead of four per
// source, which is most of an unchanged poll's cost. A batch is claimed
// as the one before it starts, so a claim waits at most about one poll
// before its own starts.
func (s *Scheduler) PollMany(ctx context.Context, sources []model.Source, fn func(model.Source, poll.Result, bool)) {
	type job struct {
		src   model.Source
		claim dueset.Claim
		state model.SourceState
		err   error
	}
	jobs := make(chan job)
	var doneMu sync.Mutex
	var done []dueset.Completion
	takeDone := func() []dueset.Completion {
		doneMu.Lock()
		defer doneMu.Unlock()
		d := done
		done = nil
		return d
	}
	var wg sync.WaitGroup
	for range min(s.workers, len(sources)) {
		wg.Go(func() {
			for j := range jobs {
				s.sem <- struct{}{}
				cctx, cancel := s.claimContext(ctx, j.claim)
				res, next := s.pollNow(cctx, j.src, j.claim, j.state, j.err)
				cancel()
				<-s.sem
				doneMu.Lock()
				done = append(done, dueset.Completion{SourceID: j.src.ID, Token: j.claim.Token, Next: next})
				doneMu.Unlock()
				fn(j.src, res, j.err == nil)
			}
		})
	}
	for part := range slices.Chunk(sources, max(s.workers, 1)) {
		if ctx.Err() != nil {
			for _, src := range part {
				fn(src, poll.Result{}, false)
			}
			continue
		}
		if d := takeDone(); len(d) > 0 {
			s.complete(ctx, d...)
		}
		claimed := s.claimMany(ctx, part)
		for i, src := range part {
			if claimed[i].err != nil || !claimed[i].ok {
				fn(src, poll.Result{}, false)
				continue
			}
			jobs <- job{src: src, claim: claimed[i].claim, state: claimed[i].state, err: claimed[i].stateErr}
		}
	}
	close(jobs)
	wg.Wait()
	if d := takeDone(); len(d) > 0 {
		s.complete(ctx, d...)
	}
}

// claimed is what claimMany got for one source.
type claimed struct {
	claim    dueset.Claim
	ok       bool
	err      error // claiming failed: not polled
	state    model.SourceState
	stateErr error // the state could not be read: claimed, not polled
}

// claimMany claims part in one round trip and reads the claimed sources'
// state and stored rules in one more each.
func (s *Scheduler) claimMany(ctx context.Context, part []model.Source) []claimed {
	out := make([]claimed, len(part))
	ids := make([]string, len(part))
	for i, src := range part {
		ids[i] = src.ID
	}
	claims, ok, err := s.due.ClaimSources(ctx, ids, s.now(), s.leaseTTL(), s.token())
	if err != nil {
		s.logger.Warn("claim sources", "sources", len(ids), "err", err)
		for i := range out {
			out[i].err = err
		}
		return out
	}
	var got []model.Source
	var gotIDs []string
	for i, src := range part {
		out[i].claim, out[i].ok = claims[i], ok[i]
		if ok[i] {
			got, gotIDs = append(got, src), append(gotIDs, src.ID)
		}
	}
	states, err := s.poller.States(ctx, gotIDs)
	for i, j := 0, 0; i < len(part); i++ {
		if !out[i].ok {
			continue
		}
		if err != nil {
			out[i].stateErr = err
		} else {
			out[i].state = states[j]
		}
		j++
	}
	if err := s.poller.Prime(ctx, got); err != nil {
		// Only a shortcut is lost: each poll reads what it needs.
		s.logger.Debug("read stored rules", "sources", len(got), "err", err)
	}
	return out
}

// complete writes completions back at once (outside the loop).
func (s *Scheduler) complete(ctx context.Context, done ...dueset.Completion) {
	// The poll is recorded; write its due time even if ctx ended meanwhile.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), poll.WriteBackTimeout)
	defer cancel()
	if _, err := s.due.DueStep(ctx, done, s.now(), 0, s.leaseTTL(), s.token()); err != nil {
		s.logger.Warn("write next due time; the source is due again at its claim's deadline", "source", done[0].SourceID, "sources", len(done), "err", err)
	}
}

// refreshAll re-evaluates the stored entries of sources whose filters or
// sections a reload changed, a few at a time.
func (s *Scheduler) refreshAll(sources []model.Source) {
	// Polls finished here but not yet written back still hold their
	// claims; write them first so their sources can be claimed.
	if err := s.flush(s.pollCtx); err != nil {
		s.logger.Warn("re-evaluate entries after reload: write back finished polls", "err", err)
	}
	sem := make(chan struct{}, s.workers)
	var wg sync.WaitGroup
	for _, src := range sources {
		select {
		case sem <- struct{}{}:
		case <-s.pollCtx.Done():
			wg.Wait()
			return
		}
		wg.Go(func() {
			defer func() { <-sem }()
			s.refreshRules(src)
		})
	}
	wg.Wait()
}

// refreshRules re-evaluates a source's stored entries against sections or
// filters a reload changed (a source added to a section shows its entries
// there at once, not at its next poll), without fetching. It claims the
// source like a poll, so it never runs beside one (waiting, at most a
// claim's lifetime, for a poll running here or elsewhere to finish), and
// gives it back with its due time unchanged.
func (s *Scheduler) refreshRules(src model.Source) {
	ctx := s.pollCtx
	c, ok := s.claimWhenFree(ctx, src.ID, "re-evaluate entries after reload", "its next poll applies the new rules")
	if !ok {
		return
	}
	if err := s.poller.Refresh(ctx, src); err != nil {
		s.logger.Warn("re-evaluate entries after reload", "source", src.ID, "err", err)
	}
	next := c.Due
	if next.IsZero() {
		next = s.now()
	}
	s.complete(ctx, dueset.Completion{SourceID: src.ID, Token: c.Token, Next: next})
}

// claimWhenFree claims a source, retrying while another poll holds it, for
// at most the lease (no claim lasts longer). what names the work that
// needs the claim, and later what happens when it is given up, in logs.
func (s *Scheduler) claimWhenFree(ctx context.Context, id, what, later string) (dueset.Claim, bool) {
	give := time.NewTimer(s.leaseTTL())
	defer give.Stop()
	wait := 50 * time.Millisecond
	for {
		c, ok, err := s.due.ClaimSource(ctx, id, s.now(), s.leaseTTL(), s.token())
		if err != nil {
			s.logger.Warn(what+": claim source", "source", id, "err", err)
			return dueset.Claim{}, false
		}
		if ok {
			return c, true
		}
		retry := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			retry.Stop()
			return dueset.Claim{}, false
		case <-s.loopCtx.Done(): // stopping: the next poll takes over
			retry.Stop()
			return dueset.Claim{}, false
		case <-give.C:
			retry.Stop()
			s.logger.Warn(what+": the source stayed claimed; "+later, "source", id)
			return dueset.Claim{}, false
		case <-retry.C:
		}
		wait = min(2*wait, time.Second)
	}
}
