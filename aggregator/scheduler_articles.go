package aggregator

import (
	"context"
	"sync"

	"github.com/tributary-rss/tributary/aggregator/store"
)

// DefaultArticleWorkers bounds the article passes (see
// Poller.FetchArticles) running at once, across all sources.
const DefaultArticleWorkers = 2

// articleQueueLen bounds the sources waiting for an article pass. A source
// that finds the queue full loses nothing: its articles stay pending in the
// store, and its next poll queues it again.
const articleQueueLen = 256

// articleRunner hands sources whose articles are wanted to a few workers
// of their own. Articles are fetched after the poll, not inside it: a
// poll worker busy with twenty article pages of one slow school server
// would hold back every other source's poll. The workers claim the source
// in the due set like a poll does, so an article pass never runs beside a
// poll of the same source on any instance (both write its entries), and
// they give the claim back with the due time the poll set.
type articleRunner struct {
	queue chan string
	mu    sync.Mutex
	// queued holds the ids in queue, so a source is queued once however
	// often it is polled meanwhile.
	queued map[string]bool
}

func newArticleRunner() *articleRunner {
	return &articleRunner{queue: make(chan string, articleQueueLen), queued: map[string]bool{}}
}

// offer queues a source unless it is queued already or the queue is full.
func (r *articleRunner) offer(id string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.queued[id] {
		return
	}
	select {
	case r.queue <- id:
		r.queued[id] = true
	default:
	}
}

// take marks a source taken off the queue: a poll may queue it again.
func (r *articleRunner) take(id string) {
	r.mu.Lock()
	delete(r.queued, id)
	r.mu.Unlock()
}

// wantArticles queues an article pass after a poll of a source with
// content.fetch that stored something or left articles pending.
func (s *Scheduler) wantArticles(res PollResult) {
	src, _, ok := s.lookup(res.SourceID)
	if !ok || !fetchesArticles(src) || s.poller.articles == nil {
		return
	}
	if res.New+res.Updated > 0 || res.ArticlesPending > 0 {
		s.articles.offer(src.ID)
	}
}

// articleWorkers is how many article passes run at once.
func (s *Scheduler) articleWorkers() int {
	if s.ArticleWorkers <= 0 {
		return DefaultArticleWorkers
	}
	return s.ArticleWorkers
}

// articleWorker runs article passes until the scheduler stops.
func (s *Scheduler) articleWorker() {
	for {
		select {
		case <-s.loopCtx.Done():
			return
		case id := <-s.articles.queue:
			s.articles.take(id)
			s.articlePass(id)
		}
	}
}

// articlePass fetches one source's pending articles under a claim on the
// source. It must end before the claim does, so it gets three quarters of
// the lease; what it leaves is fetched after a later poll. Stopping the
// scheduler cancels it at once: unfetched articles stay pending.
func (s *Scheduler) articlePass(id string) {
	src, _, ok := s.lookup(id)
	if !ok || !fetchesArticles(src) {
		return
	}
	ctx, cancel := context.WithTimeout(s.pollCtx, s.leaseTTL()*3/4)
	defer cancel()
	defer context.AfterFunc(s.loopCtx, cancel)()
	// The poll that queued the source may not have written its claim back
	// yet; claimWhenFree waits for that.
	c, ok := s.claimWhenFree(ctx, id, "fetch articles", "a later poll queues them again")
	if !ok {
		return
	}
	res := s.poller.FetchArticles(ctx, src)
	if res.Err != nil {
		s.logger.Warn("fetch articles", "source", id, "err", res.Err)
	} else if res.Fetched > 0 {
		s.logger.Debug("fetched articles", "source", id, "ok", res.OK, "failed", res.Failed, "retry", res.Retry, "pending", res.Pending)
	}
	if s.OnArticles != nil {
		s.OnArticles(res)
	}
	// The claim took any poll an operator asked for meanwhile: make the
	// source due now so that poll still happens.
	next := c.Due
	if next.IsZero() || c.Requested {
		next = s.now()
	}
	s.complete(ctx, store.Completion{SourceID: id, Token: c.Token, Next: next})
}
