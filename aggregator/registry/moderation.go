package registry

import (
	"context"
	"errors"
	"slices"

	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/aggregator/store"
)

// maxEntryID bounds an entry id in a request: ids are hex digests
// (model.EntryID), far shorter.
const maxEntryID = 64

// Moderate hides, unhides, pins or unpins an entry of a section, for every
// instance at once (the store bumps the section's version and announces
// it). Hiding unpins; a hidden entry cannot be pinned (a conflict: unhide
// it first); an entry the section neither holds nor hides is not found.
// Repeating a decision changes nothing and is not an error.
func (r *Registry) Moderate(ctx context.Context, req model.ModerationRequest) error {
	sec, err := r.moderatedSection(req.SectionID)
	if err != nil {
		return err
	}
	if err := r.checkModeration(req); err != nil {
		return err
	}
	now := r.opts.Now()
	switch req.Action {
	case model.ActionHide:
		err = r.store.Hide(ctx, sec.ID, req.EntryID, now)
	case model.ActionUnhide:
		err = r.store.Unhide(ctx, sec, req.EntryID, now)
	case model.ActionPin:
		err = r.store.Pin(ctx, sec.ID, req.EntryID, req.Until, now)
	case model.ActionUnpin:
		err = r.store.Unpin(ctx, sec.ID, req.EntryID, now)
	}
	return moderationError(req, err)
}

// Moderation lists what editors hid in a section and what is pinned there
// now.
func (r *Registry) Moderation(ctx context.Context, sectionID string) (model.SectionModeration, error) {
	sec, err := r.moderatedSection(sectionID)
	if err != nil {
		return model.SectionModeration{}, err
	}
	return r.store.Moderation(ctx, sec.ID, r.opts.Now())
}

func (r *Registry) moderatedSection(id string) (model.Section, error) {
	_, secs := r.Merged()
	i := slices.IndexFunc(secs, func(s model.Section) bool { return s.ID == id })
	if i < 0 {
		return model.Section{}, notFound(model.KeySectionNotFound, "no section %q", id)
	}
	return secs[i], nil
}

// checkModeration validates what the store cannot: the action, the entry
// id's form and a pin's expiry.
func (r *Registry) checkModeration(req model.ModerationRequest) error {
	switch req.Action {
	case model.ActionHide, model.ActionUnhide, model.ActionPin, model.ActionUnpin:
	default:
		return invalid(model.KeyActionUnknown, "action", "unknown action %q: hide, unhide, pin or unpin", req.Action)
	}
	if !isEntryID(req.EntryID) {
		return invalid(model.KeyEntryInvalid, "entry", "%q is not an entry id (lower-case hex, as in the \"id\" of the section's entries)", clip(req.EntryID, 80))
	}
	if req.Until.IsZero() {
		return nil
	}
	if req.Action != model.ActionPin {
		return invalid(model.KeyUntilNotPin, "until", "only a pin takes an expiry")
	}
	if !req.Until.After(r.opts.Now()) {
		return invalid(model.KeyUntilPast, "until", "%s is not in the future", req.Until.UTC().Format("2006-01-02T15:04:05Z"))
	}
	return nil
}

// moderationError turns the store's refusals into request errors.
func moderationError(req model.ModerationRequest, err error) error {
	switch {
	case errors.Is(err, store.ErrNotInSection):
		return notFound(model.KeyEntryNotIn, "entry %s is not in section %q (nor hidden there)", req.EntryID, req.SectionID)
	case errors.Is(err, store.ErrHidden):
		return conflict(model.KeyEntryHidden, "entry %s is hidden in section %q; unhide it before pinning", req.EntryID, req.SectionID)
	case errors.Is(err, store.ErrModerationFull) && req.Action == model.ActionPin:
		return conflict(model.KeyPinsFull, "section %q already has %d pins; unpin one first", req.SectionID, store.PinCap)
	case errors.Is(err, store.ErrModerationFull):
		return conflict(model.KeyHiddenFull, "section %q already hides %d entries that still exist; unhide some first", req.SectionID, store.HiddenCap)
	}
	return err
}

func isEntryID(s string) bool {
	if s == "" || len(s) > maxEntryID {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// clip shortens s to at most n bytes for an error message.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
