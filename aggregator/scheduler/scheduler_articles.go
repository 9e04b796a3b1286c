package scheduler

import (
	"context"
	"sync"
	"time"

	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/aggregator/poll"
	"github.com/tributary-rss/tributary/aggregator/scheduler/dueset"
)

// DefaultArticleWorkers bounds the article passes (see
// Poller.FetchArticles) of sources whose article hosts answer in time
// running at once, across all sources; the passes of slow sources run on
// half as many workers of their own (at least one).
const DefaultArticleWorkers = 2

// articleQueueLen bounds the article passes waiting for a worker in each
// lane. A source whose pass finds its lane full keeps its articles
// pending in the store, and its next poll offers them again.
const articleQueueLen = 64

// DefaultArticlePassBudget bounds one article pass: a source with many
// articles to fetch takes them over several passes rather than holding a
// worker (and its claim) for long.
const DefaultArticlePassBudget = 30 * time.Second

// minArticleBudget is the least time worth starting an article pass in.
const minArticleBudget = 2 * time.Second

// articleRunner fetches articles after polls, on workers of their own.
// Articles are not fetched inside the poll: a poll worker busy with twenty
// article pages of one slow school server would hold back every other
// source's poll. The poll gives its claim back as usual and queues the
// source here; the pass claims the source again when a worker takes it
// (so no poll of it, on any instance, writes its entries meanwhile), and
// gives it back with its due time unchanged. A source whose poll is
// running when its pass would start is skipped: that poll queues it
// again. Waiting in the queue therefore delays neither the source's polls
// nor, being bounded by the pass's own start, its pass.
//
// One source's slow article host must not starve the others: each
// article has a total timeout (Poller.ArticleTimeout), a pass ends at its
// first timeout and at its budget, and a source whose last pass ended so
// is queued in the slow lane, served by workers of its own, until a pass
// of it runs clean.
type articleRunner struct {
	fast, slow chan model.Source
	mu         sync.Mutex
	// queued holds the sources waiting in either lane or in a pass, so a
	// source is never queued twice; slowIDs those whose last pass was
	// slow.
	queued  map[string]bool
	slowIDs map[string]bool
	wg      sync.WaitGroup
}

func newArticleRunner() *articleRunner {
	return &articleRunner{
		fast:    make(chan model.Source, articleQueueLen),
		slow:    make(chan model.Source, articleQueueLen),
		queued:  map[string]bool{},
		slowIDs: map[string]bool{},
	}
}

// articleWorkers is how many passes of the fast lane run at once.
func (s *Scheduler) articleWorkers() int {
	if s.ArticleWorkers <= 0 {
		return DefaultArticleWorkers
	}
	return s.ArticleWorkers
}

func (s *Scheduler) articlePassBudget() time.Duration {
	return orDefault(s.ArticlePassBudget, DefaultArticlePassBudget)
}

// startArticleWorkers starts the workers of both lanes; they run until
// Stop closes the lanes.
func (s *Scheduler) startArticleWorkers() {
	for range s.articleWorkers() {
		s.articles.wg.Go(func() { s.articleWorker(s.articles.fast) })
	}
	for range max(1, s.articleWorkers()/2) {
		s.articles.wg.Go(func() { s.articleWorker(s.articles.slow) })
	}
}

// stopArticleWorkers closes the lanes once no poll can queue a pass any
// more (the poll workers have exited) and waits for the workers.
func (s *Scheduler) stopArticleWorkers() {
	close(s.articles.fast)
	close(s.articles.slow)
	s.articles.wg.Wait()
}

// wantsArticles reports whether a poll of src leaves articles to fetch: it
// stored something, or an earlier pass left some pending.
func (s *Scheduler) wantsArticles(src model.Source, res poll.Result) bool {
	return s.poller.FetchesArticles(src) && (res.New+res.Updated > 0 || res.ArticlesPending > 0)
}

// queueArticlePass queues an article pass of src in its lane, unless one
// is queued or running already or the lane is full.
func (s *Scheduler) queueArticlePass(src model.Source) {
	r := s.articles
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.queued[src.ID] || s.stopping.Load() {
		return
	}
	lane := r.fast
	if r.slowIDs[src.ID] {
		lane = r.slow
	}
	select {
	case lane <- src:
		r.queued[src.ID] = true
	default:
	}
}

// articleWorker runs the passes of one lane until it closes. Once the
// scheduler is stopping, the passes still queued are dropped: their
// articles stay pending in the store.
func (s *Scheduler) articleWorker(lane <-chan model.Source) {
	for src := range lane {
		slow, ran := false, false
		if !s.stopping.Load() {
			slow, ran = s.articlePass(src)
		}
		s.articles.passDone(src.ID, slow, ran)
	}
}

// passDone lets src be queued again and files it in the lane its pass
// earned; a pass that did not run leaves its lane as it was.
func (r *articleRunner) passDone(id string, slow, ran bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.queued, id)
	switch {
	case !ran:
	case slow:
		r.slowIDs[id] = true
	default:
		delete(r.slowIDs, id)
	}
}

// forget drops what the runner knows of a source no longer configured.
func (r *articleRunner) forget(id string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.slowIDs, id)
}

// articlePass claims a source and fetches its pending articles, within
// the pass budget and the claim; slow reports that the pass ended at an
// article's timeout or at its budget with articles left, ran that it ran
// at all.
func (s *Scheduler) articlePass(queued model.Source) (slow, ran bool) {
	src, _, ok := s.lookup(queued.ID)
	if !ok || !s.poller.FetchesArticles(src) {
		return false, false
	}
	c, ok, err := s.due.ClaimSource(s.pollCtx, src.ID, s.now(), s.leaseTTL(), s.token())
	if err != nil {
		s.logger.Warn("fetch articles: claim source", "source", src.ID, "err", err)
		return false, false
	}
	if !ok {
		return false, false // a poll of it runs now, and queues it again
	}
	defer s.complete(s.pollCtx, dueset.Completion{SourceID: src.ID, Token: c.Token, Next: s.afterPass(c)})
	ctx, cancel := s.claimContext(s.pollCtx, c)
	defer cancel()
	ctx, cancelBudget := context.WithTimeout(ctx, s.articlePassBudget())
	defer cancelBudget()
	defer context.AfterFunc(s.loopCtx, cancelBudget)()
	if d, ok := ctx.Deadline(); ok && time.Until(d) < minArticleBudget {
		return false, false
	}
	res := s.poller.FetchArticles(ctx, src)
	if res.Err != nil {
		s.logger.Warn("fetch articles", "source", src.ID, "err", res.Err)
	} else if res.Fetched > 0 {
		s.logger.Debug("fetched articles", "source", src.ID, "ok", res.OK, "failed", res.Failed, "retry", res.Retry,
			"pending", res.Pending, "slow", res.Slow)
	}
	if s.OnArticles != nil {
		s.OnArticles(res)
	}
	budgetSpent := ctx.Err() != nil && s.loopCtx.Err() == nil && res.Pending > 0
	return res.Slow || budgetSpent, true
}

// afterPass is when a source whose article pass held claim c is due: its
// due time as the pass found it, at once when an operator's poll request
// was taken with the claim, and at once when it had none (it was not in
// the due set; leaving it out would stop its polls).
func (s *Scheduler) afterPass(c dueset.Claim) time.Time {
	if c.Requested || c.Due.IsZero() {
		return s.now()
	}
	return c.Due
}
