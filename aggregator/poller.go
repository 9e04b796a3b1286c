// Package aggregator ties the polling stages together: for one source it
// fetches (aggregator/fetch), parses (gofeed), normalizes
// (aggregator/normalize) and ingests (aggregator/store), recording the
// outcome in the source's state; the Scheduler decides when each source is
// polled. It never serves HTTP: publishing lives in package publish.
//
// The domain types live in the leaf package aggregator/model rather than
// here, because every stage imports them and this package imports every
// stage.
package aggregator

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/mmcdole/gofeed"

	"github.com/tributary-rss/tributary/aggregator/fetch"
	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/aggregator/normalize"
	"github.com/tributary-rss/tributary/aggregator/store"
)

// Fetcher is the HTTP side of a poll.
type Fetcher interface {
	Fetch(ctx context.Context, req fetch.Request) (*fetch.Response, error)
}

// Store is what a poll reads and writes.
type Store interface {
	SourceState(ctx context.Context, sourceID string) (store.SourceState, error)
	SaveSourceState(ctx context.Context, sourceID string, st store.SourceState) error
	Ingest(ctx context.Context, src model.Source, sections []model.Section, entries []model.Entry, now time.Time) (store.IngestResult, error)
}

var _ Store = (*store.Store)(nil)
var _ Fetcher = (*fetch.Fetcher)(nil)

// PollResult says what one poll did.
type PollResult struct {
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
}

// Poller runs single polls. It is safe for concurrent use on different
// sources; the Scheduler makes sure one source is never polled twice at once.
type Poller struct {
	store      Store
	fetcher    Fetcher
	normalizer *normalize.Normalizer
	sections   map[string]model.Section
	logger     *slog.Logger
	// Now is the clock; tests replace it.
	Now func() time.Time
}

// NewPoller builds a Poller for the given sections (their MaxItems bound
// what ingest keeps).
func NewPoller(st Store, f Fetcher, n *normalize.Normalizer, sections []model.Section, logger *slog.Logger) *Poller {
	bySection := make(map[string]model.Section, len(sections))
	for _, sec := range sections {
		bySection[sec.ID] = sec
	}
	return &Poller{store: st, fetcher: f, normalizer: n, sections: bySection, logger: logger, Now: time.Now}
}

// Poll fetches src once, stores what is new or changed and records the
// outcome, with nextDue as the source's next due time. Failures are
// recorded in the source state and returned in the result; they never
// remove entries.
func (p *Poller) Poll(ctx context.Context, src model.Source, nextDue time.Time) PollResult {
	start := p.Now()
	res := PollResult{SourceID: src.ID, URL: src.URL}
	st, err := p.store.SourceState(ctx, src.ID)
	if err != nil {
		res.Err = fmt.Errorf("poll %s: read state: %w", src.URL, err)
		res.Duration = p.Now().Sub(start)
		return res
	}
	res.Err = p.poll(ctx, src, &st, &res)
	p.record(ctx, src, &st, res, start, nextDue)
	res.Duration = p.Now().Sub(start)
	return res
}

func (p *Poller) poll(ctx context.Context, src model.Source, st *store.SourceState, res *PollResult) error {
	resp, err := p.fetcher.Fetch(ctx, fetch.Request{URL: src.URL, ETag: st.ETag, LastModified: st.LastModified})
	if err != nil {
		var se *fetch.StatusError
		if errors.As(err, &se) {
			res.Status = se.Code
		}
		return err
	}
	res.Status = resp.StatusCode
	if resp.NotModified {
		res.NotModified = true
		return nil
	}
	sum := sha256.Sum256(resp.Body)
	hash := hex.EncodeToString(sum[:])
	if hash == st.BodyHash {
		// Many sources ignore validators; an identical body cannot hold news.
		res.SameBody = true
		return nil
	}
	feed, err := gofeed.NewParser().Parse(bytes.NewReader(resp.Body))
	if err != nil {
		return fmt.Errorf("parse %s: %w", src.URL, err)
	}
	fetchedAt := p.Now()
	entries := p.normalizer.Entries(feed, src, resp.URL, fetchedAt)
	ir, err := p.store.Ingest(ctx, src, p.sectionsOf(src), entries, fetchedAt)
	if err != nil {
		return fmt.Errorf("store %s: %w", src.URL, err)
	}
	res.New, res.Updated, res.Unchanged = ir.New, ir.Updated, ir.Unchanged
	// Validators and the body hash are kept only once the entries are
	// stored, so a failed ingest is retried in full on the next poll.
	st.ETag, st.LastModified, st.BodyHash = resp.ETag, resp.LastModified, hash
	st.Title, st.Link = strings.TrimSpace(feed.Title), feed.Link
	return nil
}

// record writes the poll's outcome into the source state.
func (p *Poller) record(ctx context.Context, src model.Source, st *store.SourceState, res PollResult, start, nextDue time.Time) {
	st.URL = src.URL
	st.LastFetch = start
	st.LastStatus = res.Status
	st.NextDue = nextDue
	log := p.logger.With("source", src.ID, "url", src.URL)
	if res.Err != nil {
		st.ErrorsInRow++
		st.LastError = res.Err.Error()
		// A failing source logs on the first failure, then only every tenth,
		// not on every poll.
		if st.ErrorsInRow == 1 || st.ErrorsInRow%10 == 0 {
			log.Warn("poll failed", "err", res.Err, "errors_in_row", st.ErrorsInRow)
		}
	} else {
		if st.ErrorsInRow > 0 {
			log.Info("source recovered", "after_errors", st.ErrorsInRow)
		}
		st.ErrorsInRow = 0
		st.LastError = ""
		st.LastSuccess = start
		log.Debug("polled", "status", res.Status, "new", res.New, "updated", res.Updated,
			"not_modified", res.NotModified, "same_body", res.SameBody)
	}
	if err := p.store.SaveSourceState(ctx, src.ID, *st); err != nil {
		log.Error("save source state", "err", err)
	}
}

func (p *Poller) sectionsOf(src model.Source) []model.Section {
	out := make([]model.Section, 0, len(src.SectionIDs))
	for _, id := range src.SectionIDs {
		if sec, ok := p.sections[id]; ok {
			out = append(out, sec)
		}
	}
	return out
}
