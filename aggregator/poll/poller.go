package poll

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/tributary-rss/tributary/aggregator/curate"
	"github.com/tributary-rss/tributary/aggregator/fetch"
	"github.com/tributary-rss/tributary/aggregator/filter"
	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/aggregator/normalize"
	"github.com/tributary-rss/tributary/aggregator/parse"
	"github.com/tributary-rss/tributary/aggregator/scheduler/plan"
	"github.com/tributary-rss/tributary/aggregator/store"
)

// Fetcher is the HTTP side of a poll.
type Fetcher interface {
	Fetch(ctx context.Context, req fetch.Request) (*fetch.Response, error)
}

// Store is what a poll reads and writes.
type Store interface {
	SourceState(ctx context.Context, sourceID string) (model.SourceState, error)
	SaveSourceState(ctx context.Context, sourceID string, st model.SourceState) error
	// SaveSourceTransition saves st read as prev, counting a change of
	// state word (see model.SourceState.State) for /metrics.
	SaveSourceTransition(ctx context.Context, sourceID string, prev, st model.SourceState) error
	IngestRules(ctx context.Context, p store.Policy, entries []model.Entry, now time.Time) (store.IngestResult, error)
	Refresh(ctx context.Context, p store.Policy, now time.Time) ([]string, error)
}

var _ Store = (*store.Store)(nil)
var _ Fetcher = (*fetch.Fetcher)(nil)

// PollResult says what one poll did.
type Result struct {
	SourceID string
	URL      string
	// Status is the HTTP status, 0 when no response arrived.
	Status int
	// NotModified is true on a 304; SameBody when the body hashed the same
	// as last time and was neither parsed nor stored.
	NotModified bool
	SameBody    bool
	New         int
	Updated     int
	Unchanged   int
	Err         error
	Duration    time.Duration
	// Due is the due time the poll served (the source's score in the due
	// set when it was claimed) and NextDue the one it recorded.
	Due, NextDue time.Time
	// FetchURL is the URL fetched: the configured one, or the effective URL
	// after permanent redirects or feed discovery.
	FetchURL string
	// Discovered is the feed the configured page advertised, when this
	// poll followed it ("" otherwise).
	Discovered string
	// Skipped counts the items of a list page (scrape:) left out for
	// having no link.
	Skipped int
	// ArticlesPending is how many articles of the source (content.fetch)
	// are wanted after this poll; the scheduler fetches them after it.
	ArticlesPending int
	// Hints are the source's polling hints from this poll.
	Hints plan.Hints
	// Gone is true when the source answered 410 and is no longer polled.
	Gone bool
	// FetchDuration is the time spent in the HTTP fetch alone; Bytes is
	// the size of the body handed to the parser (0 on a 304 or an
	// unchanged body). A poll that follows a page to its feed counts both
	// fetches. Both feed the /metrics series.
	FetchDuration time.Duration
	Bytes         int64
	// ErrorsInRow is the source's failure streak after this poll (0 on a
	// success): a failure with ErrorsInRow > 0 backs off.
	ErrorsInRow int
	// Change is the source's state before and after this poll, set once
	// the poll's state is written (nil when writing failed); alerts are
	// decided from it.
	Change *StateChange
	// PageCut is the element bound a list page (scrape:) was cut at when
	// it held more (see parse.ListPage.CutAt): its items further down
	// were not read. 0 otherwise.
	PageCut int
	// Freshness is set when this poll's state write found the source
	// crossed its stale_after, either way (see FreshnessRecorder); nil
	// otherwise. Alerts are decided from it.
	Freshness *model.FreshnessCrossing
	// Held lists, per section with review, the entries this poll put in
	// its review queue (each once across instances); alerts announce
	// them.
	Held []model.ReviewHeld
	// permanentURL is where permanent redirects led ("" for none).
	permanentURL string
	// list is what this poll read of a list page (nil for a feed, or a
	// body not read); detected is set when detection chose its rules.
	list     *parse.ListPage
	detected bool
}

// Poller runs single polls. It is safe for concurrent use on different
// sources; the Scheduler's claims make sure one source is never polled
// twice at once.
type Poller struct {
	store Store
	// articles is the store's side of fetching articles (content.fetch);
	// nil when the store given to NewPoller keeps none.
	articles   ArticleStore
	fetcher    Fetcher
	normalizer *normalize.Normalizer
	sections   map[string]model.Section
	sectionsMu sync.RWMutex // guards sections and filters, replaced by SetSections on reload
	// filters compiles each distinct pattern list once; a reload starts a
	// new cache, so lists no longer configured are dropped with it.
	filters *filter.Cache
	// applied maps a source id to the curate.Fingerprint its entries
	// were last indexed with by this poller (see refresh).
	applied sync.Map
	logger  *slog.Logger
	// Now is the clock; tests replace it.
	Now func() time.Time
	// ArticleTimeout bounds fetching and storing one article (0:
	// DefaultArticleTimeout).
	ArticleTimeout time.Duration
	// HTML bounds the HTML parses of list pages and articles (how many at
	// once, elements per page, selector time). NewPoller gives the poller
	// a limiter of its own; a daemon shares one between its poller and
	// its previews.
	HTML *parse.Limiter
	// cutPages holds the ids of the sources whose list page was last cut
	// (see PollResult.PageCut), so that the cut is logged once.
	cutPages sync.Map
}

// NewPoller builds a Poller for the given sections (their MaxItems bound
// what ingest keeps).
func New(st Store, f Fetcher, n *normalize.Normalizer, sections []model.Section, logger *slog.Logger) *Poller {
	bySection := make(map[string]model.Section, len(sections))
	for _, sec := range sections {
		bySection[sec.ID] = sec
	}
	articles, _ := st.(ArticleStore)
	return &Poller{store: st, articles: articles, fetcher: f, normalizer: n, sections: bySection, filters: &filter.Cache{}, logger: logger, Now: time.Now,
		HTML: parse.NewLimiter(parse.DefaultConcurrency)}
}

// Poll fetches src once, stores what is new or changed and records the
// outcome, with the next due time decided by plan from the outcome.
// Failures are recorded in the source state and returned in the result;
// they never remove entries.
func (p *Poller) Poll(ctx context.Context, src model.Source, plan plan.Plan) Result {
	st, err := p.store.SourceState(ctx, src.ID)
	if err != nil {
		return Result{SourceID: src.ID, URL: src.URL, Err: fmt.Errorf("poll %s: read state: %w", src.URL, err)}
	}
	return p.PollState(ctx, src, st, plan)
}

// PollState is Poll with the source's state already read (the scheduler
// reads it once per poll, to skip paused sources, and sets NextDue to the
// due time the poll serves).
func (p *Poller) PollState(ctx context.Context, src model.Source, st model.SourceState, plan plan.Plan) Result {
	start := p.Now()
	res := Result{SourceID: src.ID, URL: src.URL, Due: st.NextDue}
	prev := st
	configChanged(src, &st)
	rulesChanged(src, &st)
	res.Err = withCause(ctx, p.poll(ctx, src, &st, &res))
	// The outcome is recorded even when ctx ended the poll (a claim about
	// to lapse, a shutdown): a poll cut short is a failed poll, and its
	// next due time must still be planned.
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), WriteBackTimeout)
	defer cancel()
	p.record(rctx, src, prev, &st, &res, start, plan)
	res.Duration = p.Now().Sub(start)
	return res
}

// withCause says why ctx ended when it ended err's work with a cause of
// its own (see Scheduler.claimContext): "context deadline exceeded"
// alone does not tell an operator that the poll outlasted its claim.
func withCause(ctx context.Context, err error) error {
	if err == nil || ctx.Err() == nil {
		return err
	}
	if cause := context.Cause(ctx); cause != nil && cause != ctx.Err() && !errors.Is(err, cause) {
		return fmt.Errorf("%w: %w", cause, err)
	}
	return err
}

func (p *Poller) poll(ctx context.Context, src model.Source, st *model.SourceState, res *Result) error {
	res.ArticlesPending = st.Articles.Pending
	rd, err := p.read(ctx, src, st, res)
	if err != nil {
		return err
	}
	if rd.Unchanged {
		// 304, or the same body (of the page or of the feed it
		// advertises): nothing to ingest.
		return p.Refresh(ctx, src)
	}
	feed, resp := rd.Feed, rd.Resp
	hash := resp.BodyHash
	fetchedAt := p.Now()
	entries, dates := p.normalizer.EntriesWithDates(feed, src, resp.URL, fetchedAt)
	ir, err := p.ingest(ctx, src, entries, fetchedAt)
	if err != nil {
		return err
	}
	p.reportDates(ctx, src, dates, fetchedAt)
	res.New, res.Updated, res.Unchanged = ir.New, ir.Updated, ir.Unchanged
	res.Held = ir.Held
	// Validators and the body hash are kept only once the entries are
	// stored, so a failed ingest is retried in full on the next poll.
	st.ETag, st.LastModified, st.BodyHash = resp.ETag, resp.LastModified, hash
	// The title is shown on the status page and in /api/v1/sources as
	// text, like entry titles: plain text, whatever the feed sent.
	st.Title, st.Link = normalize.PlainText(feed.Title), feed.Link
	p.keepList(src, st, res, entries, dates, fetchedAt)
	p.queueArticles(ctx, src, entries, res)
	return nil
}

// record writes the poll's outcome into the source state.
func (p *Poller) record(ctx context.Context, src model.Source, prev model.SourceState, st *model.SourceState, res *Result, start time.Time, plan plan.Plan) {
	st.URL = src.URL
	st.LastAttempt = start
	st.LastStatus = res.Status
	log := p.logger.With("source", src.ID, "url", src.URL)
	prevErrors := st.ErrorsInRow
	p.planNext(st, res, start, plan)
	res.ErrorsInRow = st.ErrorsInRow
	if res.Err != nil {
		st.LastError = Reason(res.Err)
		// Every failure at warn, as operators grep for them: backoff keeps
		// a dead source to a few lines a day, not one per firing.
		log.Warn("poll failed", "err", res.Err, "errors_in_row", st.ErrorsInRow)
	} else {
		if prevErrors > 0 {
			log.Info("source recovered", "after_errors", prevErrors)
		}
		st.LastError = ""
		st.LastSuccess = start
		log.Debug("polled", "status", res.Status, "new", res.New, "updated", res.Updated,
			"not_modified", res.NotModified, "same_body", res.SameBody)
		p.trackDiscovery(log, src, st, res)
		if moved := trackRedirect(st, res.permanentURL); moved {
			log.Info("source moved permanently", "effective_url", st.EffectiveURL)
		}
	}
	if res.Gone {
		log.Warn("source is gone (410); not polling it until its URL changes or it is re-enabled")
	}
	p.save(ctx, log, src, prev, *st, res, start)
}

// Clock reads Now: the scheduler plans by the poller's clock, so a test
// that replaces Now moves both.
func (p *Poller) Clock() time.Time { return p.Now() }

// SetSections replaces the sections polls ingest into (a config reload);
// polls already running finish with the ones they started with.
func (p *Poller) SetSections(sections []model.Section) {
	bySection := make(map[string]model.Section, len(sections))
	for _, sec := range sections {
		bySection[sec.ID] = sec
	}
	p.sectionsMu.Lock()
	p.sections = bySection
	p.filters = &filter.Cache{}
	p.sectionsMu.Unlock()
}

// rules snapshots the sections listing src and compiles its policy, once
// per poll: every step of the poll then sees the same sections, even if a
// reload replaces them meanwhile.
func (p *Poller) rules(src model.Source) (*curate.Rules, error) {
	secs, filters := p.snapshot(src)
	return curate.New(src, secs, filters)
}

// snapshot returns the sections listing src and the filter cache, as one
// reload left them.
func (p *Poller) snapshot(src model.Source) ([]model.Section, *filter.Cache) {
	p.sectionsMu.RLock()
	defer p.sectionsMu.RUnlock()
	secs := make([]model.Section, 0, len(src.SectionIDs))
	for _, id := range src.SectionIDs {
		if sec, ok := p.sections[id]; ok {
			secs = append(secs, sec)
		}
	}
	return secs, p.filters
}
