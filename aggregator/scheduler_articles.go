package aggregator

import (
	"context"
	"sync"
	"time"

	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/aggregator/store"
)

// DefaultArticleWorkers bounds the article passes (see
// Poller.FetchArticles) running at once, across all sources.
const DefaultArticleWorkers = 2

// articleQueueLen bounds the article passes waiting for a worker. A poll
// that finds the queue full gives its claim back as usual: its source's
// articles stay pending in the store, and its next poll offers them again.
const articleQueueLen = 64

// minArticleBudget is the least time left on a claim worth starting an
// article pass in.
const minArticleBudget = 5 * time.Second

// articleRunner fetches articles after polls, on workers of their own.
// Articles are not fetched inside the poll: a poll worker busy with twenty
// article pages of one slow school server would hold back every other
// source's poll. Nor are they fetched under a claim of their own: a
// source on a short schedule is claimed again by its next poll as soon as
// the last one is written back, and the pass would wait for ever. So the
// poll hands its claim over: the poll worker is free at once, the pass runs
// with the source still claimed (no poll of it, on any instance, writes
// its entries meanwhile), and the pass gives the claim back with the due
// time the poll planned.
type articleRunner struct {
	queue chan articleJob
	wg    sync.WaitGroup
}

// articleJob is a claimed source whose poll left articles to fetch.
type articleJob struct {
	src   model.Source
	claim store.Claim
	// next is the due time the poll planned, written back after the pass;
	// deadline is when the pass must end, well within the claim's lease.
	next, deadline time.Time
}

func newArticleRunner() *articleRunner {
	return &articleRunner{queue: make(chan articleJob, articleQueueLen)}
}

// articleWorkers is how many article passes run at once.
func (s *Scheduler) articleWorkers() int {
	if s.ArticleWorkers <= 0 {
		return DefaultArticleWorkers
	}
	return s.ArticleWorkers
}

// startArticleWorkers starts the article workers; they run until Stop
// closes their queue.
func (s *Scheduler) startArticleWorkers() {
	for range s.articleWorkers() {
		s.articles.wg.Go(s.articleWorker)
	}
}

// stopArticleWorkers closes the queue once no poll can hand a claim over
// any more (the poll workers have exited) and waits for the workers, which
// give back every claim left in it.
func (s *Scheduler) stopArticleWorkers() {
	close(s.articles.queue)
	s.articles.wg.Wait()
}

// wantsArticles reports whether a poll of src leaves articles to fetch: it
// stored something, or an earlier pass left some pending.
func (s *Scheduler) wantsArticles(src model.Source, res PollResult) bool {
	return fetchesArticles(src) && s.poller.articles != nil && (res.New+res.Updated > 0 || res.ArticlesPending > 0)
}

// handOver passes a polled claim to the article workers, unless the claim
// has too little time left, the queue is full or the scheduler is
// stopping; false means the caller finishes the claim itself.
func (s *Scheduler) handOver(src model.Source, c store.Claim, next, pollStart time.Time) bool {
	deadline := pollStart.Add(s.leaseTTL() / 2)
	if s.stopping.Load() || time.Until(deadline) < minArticleBudget {
		return false
	}
	select {
	case s.articles.queue <- articleJob{src: src, claim: c, next: next, deadline: deadline}:
	default:
		return false
	}
	// The poll is done as far as the loop's claiming is concerned.
	if left := s.inflight.Add(-1); s.backlog.Load() && left <= int64(s.workers) {
		s.signal()
	}
	return true
}

// articleWorker runs the article passes handed over until the queue
// closes. Once the scheduler is stopping, a pass ends at once and those
// still queued only give their claims back.
func (s *Scheduler) articleWorker() {
	for job := range s.articles.queue {
		if !s.stopping.Load() {
			s.articlePass(job)
		}
		s.addDone(job.src, store.Completion{SourceID: job.src.ID, Token: job.claim.Token, Next: job.next})
		s.signal()
	}
}

// articlePass fetches one source's pending articles before the job's
// deadline; what it leaves is fetched after a later poll.
func (s *Scheduler) articlePass(job articleJob) {
	ctx, cancel := context.WithDeadline(s.pollCtx, job.deadline)
	defer cancel()
	defer context.AfterFunc(s.loopCtx, cancel)()
	res := s.poller.FetchArticles(ctx, job.src)
	if res.Err != nil {
		s.logger.Warn("fetch articles", "source", job.src.ID, "err", res.Err)
	} else if res.Fetched > 0 {
		s.logger.Debug("fetched articles", "source", job.src.ID, "ok", res.OK, "failed", res.Failed, "retry", res.Retry, "pending", res.Pending)
	}
	if s.OnArticles != nil {
		s.OnArticles(res)
	}
}
