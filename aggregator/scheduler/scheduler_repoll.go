package scheduler

import (
	"context"
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

// PollNow polls src at once, due or not, unless another poll of it is
// running here or on another instance (its claim is live); the bool is
// false when skipped. It waits for one of the concurrency slots and, like
// a scheduled poll, writes the next due time to the due set. Articles the
// poll leaves to fetch (content.fetch) are fetched before it returns,
// within the same caps. It does not need Start (the fetch command uses it
// alone).
func (s *Scheduler) PollNow(ctx context.Context, src model.Source) (poll.Result, bool) {
	select {
	case s.sem <- struct{}{}:
	case <-ctx.Done():
		return poll.Result{}, false
	}
	defer func() { <-s.sem }()
	c, ok, err := s.due.ClaimSource(ctx, src.ID, s.now(), s.leaseTTL(), s.token())
	if err != nil {
		s.logger.Warn("claim source", "source", src.ID, "err", err)
		return poll.Result{}, false
	}
	if !ok {
		return poll.Result{}, false
	}
	next := c.Due
	var res poll.Result
	cctx, cancel := s.claimContext(ctx, c)
	defer cancel()
	st, err := s.poller.State(cctx, src.ID)
	if err != nil {
		s.logger.Warn("read source state", "source", src.ID, "err", err)
	} else {
		st.NextDue = c.Due
		res = s.safePoll(cctx, src, st)
		if s.OnPoll != nil {
			s.OnPoll(res)
		}
		next = res.NextDue
		if s.wantsArticles(src, res) {
			actx, cancel := context.WithTimeout(cctx, s.articlePassBudget())
			s.poller.FetchArticles(actx, src)
			cancel()
		}
	}
	if next.IsZero() {
		next = nextFiring(s.Plan(src.ID).Schedule, s.now())
	}
	s.complete(ctx, dueset.Completion{SourceID: src.ID, Token: c.Token, Next: next})
	return res, err == nil
}

// complete writes one completion back at once (outside the loop).
func (s *Scheduler) complete(ctx context.Context, c dueset.Completion) {
	// The poll is recorded; write its due time even if ctx ended meanwhile.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), poll.WriteBackTimeout)
	defer cancel()
	if _, err := s.due.DueStep(ctx, []dueset.Completion{c}, s.now(), 0, s.leaseTTL(), s.token()); err != nil {
		s.logger.Warn("write next due time; the source is due again at its claim's deadline", "source", c.SourceID, "err", err)
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
