package registry

import (
	"context"
	"errors"

	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/aggregator/store"
)

// MaxReviewBatch bounds the entries one review request decides: a page of
// the console's queue, not the whole queue.
const MaxReviewBatch = 200

// Review approves or rejects entries waiting in a section's review queue,
// for every instance at once (an approval bumps the section's version and
// announces it). It returns each decided entry's outcome, in order; the
// first refusal stops the run and is returned with the outcomes before
// it. Repeating a decision changes nothing and is not an error.
func (r *Registry) Review(ctx context.Context, req model.ReviewRequest) ([]model.ReviewOutcome, error) {
	sec, err := r.reviewedSection(req.SectionID)
	if err != nil {
		return nil, err
	}
	if err := checkReview(req); err != nil {
		return nil, err
	}
	now := r.opts.Now()
	var out []model.ReviewOutcome
	if req.Action == model.ActionApprove {
		out, err = r.store.Approve(ctx, sec, req.EntryIDs, now)
	} else {
		out, err = r.store.Reject(ctx, sec.ID, req.EntryIDs, now)
	}
	if err != nil {
		return out, reviewError(req, len(out), err)
	}
	return out, nil
}

// ReviewQueue lists the entries waiting in a section's queue, newest
// published first, at most limit (0: all), with how many wait in all.
// Entries of sources that left the section are left out: approving them
// would show nothing.
func (r *Registry) ReviewQueue(ctx context.Context, sectionID string, limit int) ([]model.PendingEntry, int, error) {
	sec, err := r.reviewedSection(sectionID)
	if err != nil {
		return nil, 0, err
	}
	all, _, err := r.store.ReviewQueue(ctx, sec.ID, 0)
	if err != nil {
		return nil, 0, err
	}
	member := make(map[string]bool, len(sec.SourceIDs))
	for _, id := range sec.SourceIDs {
		member[id] = true
	}
	out := make([]model.PendingEntry, 0, len(all))
	for _, p := range all {
		if member[p.Entry.SourceID] {
			out = append(out, p)
		}
	}
	total := len(out)
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out, total, nil
}

// PendingCounts returns how many entries wait in the queue of each
// section with review (sections without review are absent).
func (r *Registry) PendingCounts(ctx context.Context) (map[string]int, error) {
	_, secs := r.Merged()
	var ids []string
	for _, s := range secs {
		if s.Review {
			ids = append(ids, s.ID)
		}
	}
	if len(ids) == 0 {
		return map[string]int{}, nil
	}
	return r.store.PendingCounts(ctx, ids)
}

// reviewedSection is the section id names, refused when unknown or
// without review.
func (r *Registry) reviewedSection(id string) (model.Section, error) {
	sec, err := r.moderatedSection(id)
	if err != nil {
		return sec, err
	}
	if !sec.Review {
		return sec, conflict(model.KeyReviewOff, "section %q does not review its entries (set review: true on it in the config)", id)
	}
	return sec, nil
}

// checkReview validates what the store cannot: the action, how many
// entries and each id's form.
func checkReview(req model.ReviewRequest) error {
	switch req.Action {
	case model.ActionApprove, model.ActionReject:
	default:
		return invalid(model.KeyActionUnknown, "action", "unknown action %q: approve or reject", req.Action)
	}
	if len(req.EntryIDs) == 0 {
		return invalid(model.KeyReviewNone, "entries", "no entry chosen")
	}
	if len(req.EntryIDs) > MaxReviewBatch {
		return invalid(model.KeyReviewTooMany, "entries", "at most %d entries at once", MaxReviewBatch)
	}
	for _, id := range req.EntryIDs {
		if !isEntryID(id) {
			return invalid(model.KeyEntryInvalid, "entry", "%q is not an entry id (lower-case hex, as in the \"id\" of the section's entries)", clip(id, 80))
		}
	}
	return nil
}

// reviewError turns the store's refusal of the entry at index done into a
// request error.
func reviewError(req model.ReviewRequest, done int, err error) error {
	id := ""
	if done < len(req.EntryIDs) {
		id = req.EntryIDs[done]
	}
	switch {
	case errors.Is(err, store.ErrNotQueued):
		return notFound(model.KeyEntryNotQueued, "entry %s is not waiting for review in section %q", id, req.SectionID)
	case errors.Is(err, store.ErrRejected):
		return conflict(model.KeyEntryRejected, "entry %s was rejected in section %q; a rejection is final", id, req.SectionID)
	case errors.Is(err, store.ErrPublished):
		return conflict(model.KeyEntryPublished, "entry %s is published in section %q; hide it instead", id, req.SectionID)
	}
	return err
}
