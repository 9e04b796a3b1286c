package poll

import (
	"context"
	"log/slog"
	"time"

	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/aggregator/store"
)

// PollRecorder is a Store that also keeps a short history of each
// source's polls, written with the poll's state (see store.SavePoll).
type PollRecorder interface {
	SavePoll(ctx context.Context, sourceID string, prev, st model.SourceState, rec model.PollRecord) error
}

var _ PollRecorder = (*store.Store)(nil)

// StateChange is a source's state before and after one poll, as written
// to the store; alerts are decided from it.
type StateChange struct {
	Prev, Next model.SourceState
}

// Poll history results, the values of model.PollRecord.Result.
const (
	PollRecordOK          = "ok"
	PollRecordNotModified = "not_modified"
	PollRecordError       = "error"
)

// save writes the poll's state, with its record in the source's history
// when the store keeps one (and the source's freshness when it keeps
// that), and sets res.Change once it is written: a poll whose state was
// not written changed nothing, and the next poll, starting from the old
// state, decides again.
func (p *Poller) save(ctx context.Context, log *slog.Logger, src model.Source, prev, st model.SourceState, res *Result, start time.Time) {
	var err error
	if fr, ok := p.store.(FreshnessRecorder); ok {
		err = p.saveFreshness(ctx, fr, log, src, prev, st, res, start)
	} else if rec, ok := p.store.(PollRecorder); ok {
		err = rec.SavePoll(ctx, src.ID, prev, st, pollRecord(st, res, start, p.Now()))
	} else {
		err = p.store.SaveSourceTransition(ctx, src.ID, prev, st)
	}
	if err != nil {
		log.Error("save source state", "err", err)
		return
	}
	res.Change = &StateChange{Prev: prev, Next: st}
}

// pollRecord is the history's line for a poll that started at start and
// ends at end.
func pollRecord(st model.SourceState, res *Result, start, end time.Time) model.PollRecord {
	rec := model.PollRecord{Time: start, Duration: end.Sub(start), Result: PollRecordOK, Status: res.Status,
		New: res.New, Updated: res.Updated}
	switch {
	case res.Err != nil:
		rec.Result, rec.Error = PollRecordError, st.LastError
	case res.NotModified || res.SameBody:
		rec.Result = PollRecordNotModified
	}
	return rec
}
