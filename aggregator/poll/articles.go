package poll

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net"
	"time"

	"github.com/tributary-rss/tributary/aggregator/doctype"
	"github.com/tributary-rss/tributary/aggregator/fetch"
	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/aggregator/parse"
	"github.com/tributary-rss/tributary/aggregator/store"
)

// DefaultArticleTimeout bounds one article (Poller.ArticleTimeout): a
// school's server sends an article page in a few seconds, and one that
// drips it byte by byte must not hold a worker for the fetch timeout.
const DefaultArticleTimeout = 15 * time.Second

// MaxArticleTries is how many fetches of an entry's article may fail
// before the entry keeps its source's summary for good (until its link
// changes).
const MaxArticleTries = 3

// ArticleStore is the store's side of fetching articles: which are wanted,
// storing one into its entry, and the counts the status page shows.
type ArticleStore interface {
	QueueArticles(ctx context.Context, sourceID string, refs []store.ArticleRef) (int, error)
	PendingArticles(ctx context.Context, sourceID string) ([]store.PendingArticle, error)
	SaveArticle(ctx context.Context, src model.Source, entryID string, a store.Article, now time.Time) (bool, error)
	SetArticleRecord(ctx context.Context, sourceID, entryID string, rec store.ArticleRecord) error
	RecordArticles(ctx context.Context, sourceID string, c store.ArticleCounts) error
}

var _ ArticleStore = (*store.Store)(nil)

// ArticleResult says what one pass of article fetching did.
type ArticleResult struct {
	SourceID string
	// Fetched counts the article pages requested; OK the articles stored;
	// Failed those given up in this pass; Retry those that failed and are
	// tried again later.
	Fetched, OK, Failed, Retry int
	// Pending is how many are still wanted after the pass.
	Pending int
	// Slow is set when an article timed out, which ended the pass.
	Slow bool
	// Err is a store failure that ended the pass early.
	Err error
}

// fetchesArticles reports whether src wants the article behind each entry.
func fetchesArticles(src model.Source) bool {
	return src.Content != nil && src.Content.Fetch
}

// FetchesArticles reports whether src wants the article behind each entry
// and this poller has a store to keep them in.
func (p *Poller) FetchesArticles(src model.Source) bool {
	return fetchesArticles(src) && p.articles != nil
}

// maxPerPoll is the most articles of src one pass fetches.
func maxPerPoll(src model.Source) int {
	if src.Content == nil || src.Content.MaxPerPoll <= 0 {
		return model.DefaultMaxPerPoll
	}
	return src.Content.MaxPerPoll
}

// queueArticles records, after an ingest, which entries of the poll want
// their article: those with a link that some section admits. The store
// keeps one record per entry and link, so each article is fetched once,
// and again only when the entry's link changes. A failure here costs only
// a delay: the next poll that changes something queues them again.
func (p *Poller) queueArticles(ctx context.Context, src model.Source, entries []model.Entry, res *Result) {
	if !fetchesArticles(src) || p.articles == nil {
		return
	}
	rules, err := p.rules(src)
	if err != nil {
		return // the ingest just failed with the same error
	}
	refs := make([]store.ArticleRef, 0, len(entries))
	for _, e := range entries {
		for _, sec := range rules.Sections {
			if e.Link != "" && rules.Admit(sec, e) {
				refs = append(refs, store.ArticleRef{ID: e.ID, Link: e.Link, Published: e.Published})
				break
			}
		}
	}
	n, err := p.articles.QueueArticles(ctx, src.ID, refs)
	if err != nil {
		p.logger.Warn("queue articles", "source", src.ID, "err", err)
		return
	}
	res.ArticlesPending = n
}

// FetchArticles fetches the articles src still wants, newest entry first,
// at most content.max_per_poll of them, one at a time, and stores each as
// its entry's content (see store.SaveArticle). A failed fetch keeps the
// entry as its source gave it and is tried again on a later pass, up to
// MaxArticleTries times. The fetches go through the poll's fetcher, so
// the per-host limit, timeouts, body limit and, for restricted sources,
// the address policy apply. It stops early, counting nothing against the
// articles, when ctx ends.
func (p *Poller) FetchArticles(ctx context.Context, src model.Source) ArticleResult {
	res := ArticleResult{SourceID: src.ID}
	if !fetchesArticles(src) || p.articles == nil {
		return res
	}
	pending, err := p.articles.PendingArticles(ctx, src.ID)
	if err != nil {
		res.Err = err
		return res
	}
	counts := store.ArticleCounts{}
	done := 0
	for _, pa := range pending {
		if res.Fetched == maxPerPoll(src) || ctx.Err() != nil || res.Err != nil || res.Slow {
			break
		}
		if p.articleStep(ctx, src, pa, &res, &counts) {
			done++
		}
	}
	counts.OK, counts.Failed = res.OK, res.Failed
	res.Pending = len(pending) - done + res.Retry
	counts.Pending, counts.At = res.Pending, p.Now()
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), WriteBackTimeout)
	defer cancel()
	if err := p.articles.RecordArticles(rctx, src.ID, counts); err != nil && res.Err == nil {
		res.Err = err
	}
	return res
}

// articleStep fetches and stores one pending article within the
// article timeout and records its outcome in res and counts; it reports
// whether the article is done with for this pass (stored, or its try
// counted). A timeout marks the pass slow, which ends it: a host that let
// one article time out will most likely let the next ones time out too.
func (p *Poller) articleStep(ctx context.Context, src model.Source, pa store.PendingArticle, res *ArticleResult, counts *store.ArticleCounts) bool {
	actx, cancel := context.WithTimeout(ctx, p.articleTimeout())
	defer cancel()
	saved, err := p.fetchArticle(actx, src, pa, res)
	var se *articleStoreError
	switch {
	case err == nil:
		if saved {
			res.OK++
		}
		return true
	case ctx.Err() != nil:
		return false
	case errors.As(err, &se):
		res.Err = err
		return false
	}
	if actx.Err() != nil || isTimeout(err) {
		res.Slow = true
		if actx.Err() != nil {
			err = fmt.Errorf("article took longer than %s: %w", p.articleTimeout(), err)
		}
	}
	counts.LastError = p.articleFailed(ctx, src, pa, err, res)
	return true
}

// articleTimeout bounds one article: its fetch (the wait for a slot of
// its host included), parsing and storing.
func (p *Poller) articleTimeout() time.Duration {
	if p.ArticleTimeout > 0 {
		return p.ArticleTimeout
	}
	return DefaultArticleTimeout
}

// isTimeout reports whether err is a timeout: a deadline of ours, or the
// network's.
func isTimeout(err error) bool {
	var ne net.Error
	return errors.Is(err, context.DeadlineExceeded) || errors.As(err, &ne) && ne.Timeout()
}

// fetchArticle fetches one article and stores it; saved is false when the
// entry changed meanwhile (gone, or another link).
func (p *Poller) fetchArticle(ctx context.Context, src model.Source, pa store.PendingArticle, res *ArticleResult) (saved bool, err error) {
	link := pa.Record.Link
	if ext := parse.DocumentExt(link); ext != "" {
		return false, &permanentError{reason: "links to a " + ext + " document, not an article page"}
	}
	res.Fetched++
	resp, err := p.fetcher.Fetch(ctx, fetch.Request{URL: link, Headers: fetch.HeadersFor(src.Headers, src.URL, link), Restricted: src.Restricted})
	if err != nil {
		return false, err
	}
	if !doctype.IsHTML(resp.Body, resp.ContentType) {
		return false, &permanentError{reason: "not an HTML page (" + cmp.Or(doctype.MediaType(resp.ContentType), "no Content-Type") + ")"}
	}
	page, err := parse.Article(ctx, p.HTML, resp.Body, resp.ContentType, resp.URL, *src.Content)
	if err != nil {
		return false, err
	}
	art := p.normalizer.Article(page, src, resp.URL, p.Now())
	if art.Content == "" {
		return false, fmt.Errorf("article is empty once sanitized: %w", parse.ErrNoArticle)
	}
	a := store.Article{Link: link, Content: art.Content, Summary: art.Summary, Image: art.Image, Meta: art.Meta}
	saved, err = p.articles.SaveArticle(ctx, src, pa.Entry.ID, a, p.Now())
	if err != nil {
		return false, &articleStoreError{err: err}
	}
	return saved, nil
}

// articleFailed records a failed try of an article, giving up after
// MaxArticleTries or at once for a permanent failure, and returns its
// reason.
func (p *Poller) articleFailed(ctx context.Context, src model.Source, pa store.PendingArticle, err error, res *ArticleResult) string {
	rec := pa.Record
	rec.Tries++
	rec.Error = Reason(err)
	var pe *permanentError
	if rec.Tries >= MaxArticleTries || errors.As(err, &pe) {
		rec.State = store.ArticleFailed
		res.Failed++
	} else {
		res.Retry++
	}
	p.logger.Debug("article fetch failed", "source", src.ID, "link", rec.Link, "tries", rec.Tries, "err", err)
	if err := p.articles.SetArticleRecord(ctx, src.ID, pa.Entry.ID, rec); err != nil {
		p.logger.Warn("record article failure", "source", src.ID, "err", err)
	}
	return rec.Error
}

// permanentError is an article failure no retry can fix.
type permanentError struct{ reason string }

func (e *permanentError) Error() string { return e.reason }

// articleStoreError is a store failure while saving an article: not the
// article's fault, so it ends the pass without counting a try.
type articleStoreError struct{ err error }

func (e *articleStoreError) Error() string { return "save article: " + e.err.Error() }

func (e *articleStoreError) Unwrap() error { return e.err }
