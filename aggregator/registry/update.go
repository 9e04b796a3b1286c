package registry

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/tributary-rss/tributary/aggregator/config"
	"github.com/tributary-rss/tributary/aggregator/filter"
	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/aggregator/store"
)

// maxFilters bounds an include: or exclude: list of an admin request:
// every entry of the source is matched against each pattern.
const maxFilters = 64

// UpdateRequest is an edit of a source (see model.UpdateRequest).
type UpdateRequest = model.UpdateRequest

// Update edits a source and makes every instance apply the edit: the
// scheduler re-registers a source whose schedule changed, and the
// sections it leaves drop its entries unless req.KeepEntries. A source
// added through the API takes every field, checked as Add checks it. A
// source of the config file takes only Sections, and only to add
// sections beyond the file's (kept in the store); anything else is a
// conflict naming the file and line to edit.
func (r *Registry) Update(ctx context.Context, id string, req UpdateRequest) (model.Source, error) {
	src, ok := r.find(id)
	if !ok {
		return model.Source{}, notFound(model.KeySourceNotFound, "no source %q", id)
	}
	if err := r.checkUpdate(ctx, src, &req); err != nil {
		return model.Source{}, err
	}
	if req.Sections != nil && req.KeepEntries {
		if err := r.keepIn(ctx, id, leaving(src.SectionIDs, *req.Sections)); err != nil {
			return model.Source{}, err
		}
	}
	var err error
	if src.Origin == model.OriginAPI {
		err = r.updateAPISource(ctx, id, req)
	} else {
		err = r.store.SetExtraSections(ctx, id, leaving(*req.Sections, r.fileSections(id)))
	}
	if err != nil {
		return model.Source{}, err
	}
	if err := r.announce(ctx); err != nil {
		return model.Source{}, err
	}
	src, _ = r.find(id)
	return src, nil
}

func (r *Registry) updateAPISource(ctx context.Context, id string, req UpdateRequest) error {
	now := r.opts.Now().UTC().Truncate(time.Second)
	_, err := r.store.UpdateAPISource(ctx, id, func(rec *store.APISource) error {
		applyUpdate(rec, req)
		rec.UpdatedAt = now
		return nil
	})
	if errors.Is(err, store.ErrNoAPISource) {
		return notFound(model.KeySourceNotFound, "no source %q (removed meanwhile)", id)
	}
	return err
}

// applyUpdate sets the fields req names.
func applyUpdate(rec *store.APISource, req UpdateRequest) {
	set := func(dst *string, v *string) {
		if v != nil {
			*dst = *v
		}
	}
	set(&rec.Title, req.Title)
	set(&rec.Schedule, req.Schedule)
	set(&rec.Timezone, req.Timezone)
	set(&rec.StaleAfter, req.StaleAfter)
	if req.Sections != nil {
		rec.Sections = unique(*req.Sections)
	}
	if req.Include != nil {
		rec.Include = nilIfEmpty(*req.Include)
	}
	if req.Exclude != nil {
		rec.Exclude = nilIfEmpty(*req.Exclude)
	}
	if req.TitleStrip != nil {
		rec.TitleStrip = nilIfEmpty(*req.TitleStrip)
	}
	switch {
	case req.ClearScrape:
		rec.Scrape = nil
	case req.Scrape != nil:
		rec.Scrape = req.Scrape
	}
	switch {
	case req.ClearContent:
		rec.Content = nil
	case req.Content != nil:
		rec.Content = withDefaults(req.Content)
	}
}

// checkUpdate checks req for src as Add checks a new source.
func (r *Registry) checkUpdate(ctx context.Context, src model.Source, req *UpdateRequest) error {
	if src.Origin != model.OriginAPI {
		return r.checkFileUpdate(src, req)
	}
	if fields := req.Fields(); len(fields) == 0 {
		return invalid(model.KeyNothingChanged, "", "the request changes nothing: set at least one of title, sections, schedule, timezone, stale_after, include, exclude, scrape, content, title_strip, clear_scrape, clear_content")
	}
	checks := []func() error{
		func() error { return checkPtr(req.Title, checkTitle) },
		func() error {
			if req.Sections == nil {
				return nil
			}
			return r.checkSections(*req.Sections)
		},
		func() error {
			if req.Schedule == nil || *req.Schedule == "" {
				return nil
			}
			return checkSchedule(*req.Schedule)
		},
		func() error { return checkPtr(req.Timezone, checkTimezone) },
		func() error { return checkPtr(req.StaleAfter, checkStaleAfter) },
		func() error { return checkFilters("include", req.Include) },
		func() error { return checkFilters("exclude", req.Exclude) },
		func() error { return checkTitleStrip(req.TitleStrip) },
		func() error { return checkClear("scrape", req.ClearScrape, req.Scrape != nil) },
		func() error { return checkClear("content", req.ClearContent, req.Content != nil) },
		func() error { return checkRules(req.Scrape, req.Content) },
	}
	for _, check := range checks {
		if err := check(); err != nil {
			return err
		}
	}
	if req.ClearScrape {
		// Read as a feed from now on: the URL must offer one, as Add
		// requires of a page without a scrape: block.
		return r.checkOffersFeed(ctx, &AddRequest{URL: src.URL})
	}
	return nil
}

// checkFileUpdate lets a config source's request through only when it
// names sections, all of those the file gives it among them.
func (r *Registry) checkFileUpdate(src model.Source, req *UpdateRequest) error {
	if fields := slices.DeleteFunc(req.Fields(), func(f string) bool { return f == "sections" }); len(fields) > 0 {
		return conflict(model.KeyConfigEdit, "source %q is defined in the config file: edit %s at %s; through the admin API it can only be added to more sections",
			src.ID, strings.Join(fields, ", "), position(src))
	}
	if req.Sections == nil {
		return invalid(model.KeyNothingChanged, "", "the request changes nothing: a source of the config file takes only sections")
	}
	for _, id := range r.fileSections(src.ID) {
		if !slices.Contains(*req.Sections, id) {
			return conflict(model.KeyConfigSection, "source %q is listed in section %q by the config file: remove it from that section at %s", src.ID, id, position(src))
		}
	}
	return r.checkSections(*req.Sections)
}

// fileSections are the sections the config file gives source id.
func (r *Registry) fileSections(id string) []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, src := range r.file.sources {
		if src.ID == id {
			return src.SectionIDs
		}
	}
	return nil
}

// keepIn records that source id's entries stay in the given sections
// after it leaves them.
func (r *Registry) keepIn(ctx context.Context, id string, sections []string) error {
	for _, sec := range sections {
		if err := r.store.KeepInSection(ctx, sec, id); err != nil {
			return err
		}
	}
	return nil
}

// Reconcile has every section drop the entries of sources that left it
// while no daemon watched (a config edited between two runs): see
// store.ReconcileSection. The daemon calls it once at start; a section
// that fails is tried again on the next Refresh.
func (r *Registry) Reconcile(ctx context.Context) {
	r.mu.Lock()
	defer r.mu.Unlock()
	ids := make([]string, len(r.secs))
	for i, sec := range r.secs {
		ids[i] = sec.ID
	}
	r.reconcileLocked(ctx, ids)
}

// recheckFor is how long sections a change reconciled are reconciled
// again on each Refresh: the longest a poll that began under the old
// config may take (fetch timeout, article fetches), well within the
// store's memory of departed sources (store.LeftMemory).
const recheckFor = 5 * time.Minute

// reconcileLocked reconciles the sections ids, those a change reconciled
// within recheckFor, and those that failed before. A failure is logged and remembered: the sources' entries then
// stay in the section until a later attempt succeeds.
func (r *Registry) reconcileLocked(ctx context.Context, ids []string) {
	if r.opts.ReadOnly {
		return
	}
	now := r.opts.Now()
	for _, id := range ids {
		r.recheck[id] = now.Add(recheckFor)
	}
	for id, until := range r.recheck {
		if now.After(until) {
			delete(r.recheck, id)
		} else if !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	for id := range r.retry {
		if !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	for _, id := range ids {
		i := slices.IndexFunc(r.secs, func(s model.Section) bool { return s.ID == id })
		if i < 0 {
			delete(r.retry, id) // the section is gone from the config
			continue
		}
		left, err := r.store.ReconcileSection(ctx, r.secs[i], r.opts.Now())
		if err != nil {
			if !r.retry[id] {
				r.opts.Logger.Warn("section keeps entries of sources that left it until the store answers", "section", id, "err", err)
			}
			r.retry[id] = true
			continue
		}
		delete(r.retry, id)
		if len(left) > 0 {
			r.opts.Logger.Info("entries of sources that left the section removed from it", "section", id, "sources", left)
		}
	}
}

func checkPtr(v *string, check func(string) error) error {
	if v == nil {
		return nil
	}
	return check(*v)
}

func checkClear(block string, clear, set bool) error {
	if clear && set {
		return invalid(model.KeyClearAndSet, "clear_"+block, "cannot clear %s and set it in one request", block)
	}
	return nil
}

func checkFilters(field string, list *[]string) error {
	if list == nil {
		return nil
	}
	if len(*list) > maxFilters {
		return invalid(model.KeyFiltersTooMany, field, "more than %d patterns", maxFilters)
	}
	for i, p := range *list {
		if err := filter.CheckPattern(p); err != nil {
			return invalid(model.KeyFilterInvalid, fmt.Sprintf("%s[%d]", field, i), "%v", err)
		}
	}
	return nil
}

// position is where a config source is written, "file:line".
func position(src model.Source) string {
	if src.ConfigFile == "" {
		return "the config file"
	}
	return fmt.Sprintf("%s:%d", src.ConfigFile, src.ConfigLine)
}

// leaving lists the ids of was that now lacks.
func leaving(was, now []string) []string {
	var out []string
	for _, id := range was {
		if !slices.Contains(now, id) {
			out = append(out, id)
		}
	}
	return out
}

func unique(ids []string) []string {
	var out []string
	for _, id := range ids {
		if !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}

func nilIfEmpty(list []string) []string {
	if len(list) == 0 {
		return nil
	}
	return list
}

func checkSchedule(spec string) error {
	if err := config.ValidateSchedule(spec); err != nil {
		return invalid(model.KeyScheduleInvalid, "schedule", "%v", err)
	}
	return nil
}
