package registry

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/tributary-rss/tributary/aggregator/config"
	"github.com/tributary-rss/tributary/aggregator/fetch"
	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/aggregator/scheduler/dueset"
)

// Limits on what an admin request may add.
const (
	MaxTitleLen    = 200 // characters
	MaxSections    = 32
	maxURLLen      = 2048
	precheckLookup = 5 * time.Second
)

// AddRequest is a source to add through the admin API (see
// model.AddRequest).
type AddRequest = model.AddRequest

// Add checks req, stores it and makes every instance pick it up. The new
// source is polled at its first due time, which is at once.
func (r *Registry) Add(ctx context.Context, req AddRequest) (model.Source, error) {
	if err := r.checkAdd(ctx, &req); err != nil {
		return model.Source{}, err
	}
	rec := recordOf(req)
	rec.StaleAfter = req.StaleAfter
	rec.AddedAt = r.opts.Now().UTC().Truncate(time.Second)
	added, err := r.store.AddAPISource(ctx, rec)
	if err != nil {
		return model.Source{}, err
	}
	if !added {
		return model.Source{}, conflict(model.KeyIDAdded, "a source with id %q was added through the API already", req.ID)
	}
	if err := r.announce(ctx); err != nil {
		return model.Source{}, err
	}
	src, _ := r.find(req.ID)
	return src, nil
}

func (r *Registry) checkAdd(ctx context.Context, req *AddRequest) error {
	if err := checkURL(&req.URL); err != nil {
		return err
	}
	if req.ID == "" {
		req.ID = model.SourceID(req.URL)
	} else if err := config.CheckID(req.ID); err != nil {
		return invalid(model.KeyIDInvalid, "id", "%v", err)
	}
	if err := checkTitle(req.Title); err != nil {
		return err
	}
	if err := r.checkSections(req.Sections); err != nil {
		return err
	}
	if req.Schedule != "" {
		if err := config.ValidateSchedule(req.Schedule); err != nil {
			return invalid(model.KeyScheduleInvalid, "schedule", "%v", err)
		}
	}
	if err := checkTimezone(req.Timezone); err != nil {
		return err
	}
	if err := checkStaleAfter(req.StaleAfter); err != nil {
		return err
	}
	if err := checkRules(req.Scrape, req.Content); err != nil {
		return err
	}
	if err := checkTitleStrip(&req.TitleStrip); err != nil {
		return err
	}
	for _, src := range r.current() {
		switch {
		case src.URL == req.URL && src.Origin != model.OriginAPI:
			return conflict(model.KeySourceExists, "%s is already source %q (%s); add it to more sections with PATCH /api/v1/admin/sources/%s", req.URL, src.ID, originName(src), src.ID)
		case src.URL == req.URL:
			return conflict(model.KeySourceExists, "%s is already source %q (%s)", req.URL, src.ID, originName(src))
		case src.ID == req.ID:
			return conflict(model.KeyIDTaken, "source id %q is taken (%s source %s)", req.ID, originName(src), src.URL)
		}
	}
	if !r.opts.AllowPrivate {
		if err := r.precheck(ctx, req.URL); err != nil {
			return err
		}
	}
	return r.checkOffersFeed(ctx, req)
}

// checkURL trims *raw and checks it is an http(s) URL of bounded length.
func checkURL(raw *string) error {
	*raw = strings.TrimSpace(*raw)
	switch {
	case *raw == "":
		return invalid(model.KeyURLRequired, "url", "required")
	case len(*raw) > maxURLLen:
		return invalid(model.KeyURLTooLong, "url", "longer than %d bytes", maxURLLen)
	}
	if err := config.CheckFeedURL(*raw); err != nil {
		return invalid(model.KeyURLInvalid, "url", "%v", err)
	}
	return nil
}

func checkTimezone(name string) error {
	if name == "" {
		return nil
	}
	if err := config.CheckTimezone(name); err != nil {
		return invalid(model.KeyTimezoneInvalid, "timezone", "%v", err)
	}
	return nil
}

func checkTitle(title string) error {
	switch {
	case !utf8.ValidString(title):
		return invalid(model.KeyTitleInvalid, "title", "not valid UTF-8")
	case utf8.RuneCountInString(title) > MaxTitleLen:
		return invalid(model.KeyTitleTooLong, "title", "longer than %d characters", MaxTitleLen)
	case strings.ContainsFunc(title, unicode.IsControl):
		return invalid(model.KeyTitleInvalid, "title", "contains control characters")
	}
	return nil
}

func (r *Registry) checkSections(ids []string) error {
	if len(ids) == 0 {
		return invalid(model.KeySectionsNone, "sections", "name at least one section")
	}
	if len(ids) > MaxSections {
		return invalid(model.KeySectionsTooMany, "sections", "more than %d sections", MaxSections)
	}
	_, secs := r.Merged()
	for _, id := range ids {
		if !slices.ContainsFunc(secs, func(s model.Section) bool { return s.ID == id }) {
			return invalid(model.KeySectionUnknown, "sections", "no section %q in the config", id)
		}
	}
	return nil
}

// precheck turns away a URL whose host is, or resolves to, an address the
// policy forbids. A lookup that fails is let through: the host may come
// back, and the fetch checks again at every connect anyway.
func (r *Registry) precheck(ctx context.Context, raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return invalid(model.KeyURLInvalid, "url", "%v", err)
	}
	policy := r.opts.Policy
	if policy == nil {
		policy = fetch.DenyPrivate
	}
	host := u.Hostname()
	addrs := []netip.Addr{}
	if a, err := netip.ParseAddr(host); err == nil {
		addrs = append(addrs, a)
	} else {
		var res fetch.Resolver = net.DefaultResolver
		if r.opts.Resolver != nil {
			res = r.opts.Resolver
		}
		lctx, cancel := context.WithTimeout(ctx, precheckLookup)
		defer cancel()
		addrs, _ = res.LookupNetIP(lctx, "ip", host)
	}
	port := urlPort(u)
	for _, a := range addrs {
		if why := policy(a); why != "" && !fetch.Allowed(r.opts.AllowListeners, a, port) {
			return invalid(model.KeyURLPrivate, "url", "%s resolves to %s, a %s address; sources added through the admin API must be public (set admin.allow_private to allow this)", host, a, why)
		}
	}
	return nil
}

// Remove deletes an API source everywhere. Its entries leave the
// sections it fed, on every instance, unless keepEntries is set; either
// way they stay stored (other sources' sections may share them) and age
// out. Sources of the config file are removed by editing the file.
func (r *Registry) Remove(ctx context.Context, id string, keepEntries bool) error {
	src, ok := r.find(id)
	if ok && src.Origin != model.OriginAPI {
		return conflict(model.KeyConfigRemove, "source %q is defined in the config file (%s); remove it there", id, position(src))
	}
	if ok && keepEntries {
		if err := r.keepIn(ctx, id, src.SectionIDs); err != nil {
			return err
		}
	}
	removed, err := r.store.RemoveAPISource(ctx, id)
	if err != nil {
		return err
	}
	if !removed {
		return notFound(model.KeySourceNotFound, "no source %q", id)
	}
	return r.announce(ctx)
}

// Pause stops polling a source (file or API) until Resume; its entries
// stay published. The state lives in the store, so it holds for every
// instance and across restarts.
func (r *Registry) Pause(ctx context.Context, id string) error {
	if _, ok := r.find(id); !ok {
		return notFound(model.KeySourceNotFound, "no source %q", id)
	}
	return r.store.PauseSource(ctx, id, true)
}

// Resume undoes Pause (and a 410's "gone") and has the source polled at
// once rather than at its next firing, which may be hours away.
func (r *Registry) Resume(ctx context.Context, id string) error {
	if _, ok := r.find(id); !ok {
		return notFound(model.KeySourceNotFound, "no source %q", id)
	}
	if err := r.store.ReenableSource(ctx, id); err != nil {
		return err
	}
	return r.publishPoll(ctx, "source", id, []string{id})
}

// RequestPoll asks whichever instance polls to poll a source (kind
// "source") or every unpaused source of a section ("section") now. It
// returns the source ids that will be polled.
func (r *Registry) RequestPoll(ctx context.Context, kind, id string) ([]string, error) {
	ids, err := r.pollTargets(ctx, kind, id)
	if err != nil {
		return nil, err
	}
	if err := r.publishPoll(ctx, kind, id, ids); err != nil {
		return nil, err
	}
	return ids, nil
}

// publishPoll marks ids as requested, then tells every instance: each
// polling instance hears it, and the one that takes a source's mark polls
// it (scheduler.Scheduler.Trigger).
func (r *Registry) publishPoll(ctx context.Context, kind, id string, ids []string) error {
	if err := r.due.RequestPolls(ctx, ids, dueset.DefaultPollRequestTTL); err != nil {
		return err
	}
	return r.store.PublishAdmin(ctx, "poll "+kind+" "+id)
}

func (r *Registry) pollTargets(ctx context.Context, kind, id string) ([]string, error) {
	var ids []string
	switch kind {
	case "source":
		if _, ok := r.find(id); !ok {
			return nil, notFound(model.KeySourceNotFound, "no source %q", id)
		}
		st, err := r.store.SourceState(ctx, id)
		if err != nil {
			return nil, err
		}
		if st.Paused {
			return nil, conflict(model.KeySourcePaused, "source %q is paused; resume it first", id)
		}
		return []string{id}, nil
	case "section":
		sources, secs := r.Merged()
		i := slices.IndexFunc(secs, func(s model.Section) bool { return s.ID == id })
		if i < 0 {
			return nil, notFound(model.KeySectionNotFound, "no section %q", id)
		}
		var members []model.Source
		for _, src := range sources {
			if slices.Contains(secs[i].SourceIDs, src.ID) {
				members = append(members, src)
			}
		}
		// One pipelined read for the section, not a round trip per source.
		statuses, err := r.store.SourceStatuses(ctx, members)
		if err != nil {
			return nil, err
		}
		for _, st := range statuses {
			if !st.Paused {
				ids = append(ids, st.ID)
			}
		}
		return ids, nil
	}
	return nil, errors.New("poll kind must be source or section")
}

// Statuses returns the status of every source, file sources first.
func (r *Registry) Statuses(ctx context.Context) ([]model.SourceStatus, error) {
	sources, _ := r.Merged()
	return r.store.SourceStatuses(ctx, sources)
}

// Status returns one source's status.
func (r *Registry) Status(ctx context.Context, id string) (model.SourceStatus, error) {
	src, ok := r.find(id)
	if !ok {
		return model.SourceStatus{}, notFound(model.KeySourceNotFound, "no source %q", id)
	}
	list, err := r.store.SourceStatuses(ctx, []model.Source{src})
	if err != nil {
		return model.SourceStatus{}, err
	}
	return list[0], nil
}

// announce applies the stored API sources here, then tells the other
// instances to do the same.
func (r *Registry) announce(ctx context.Context) error {
	if err := r.Refresh(ctx); err != nil {
		return err
	}
	return r.store.PublishAdmin(ctx, msgSources)
}

func (r *Registry) current() []model.Source {
	sources, _ := r.Merged()
	return sources
}

func (r *Registry) find(id string) (model.Source, bool) {
	for _, src := range r.current() {
		if src.ID == id {
			return src, true
		}
	}
	return model.Source{}, false
}

func originName(src model.Source) string {
	if src.Origin == model.OriginAPI {
		return "an API"
	}
	return "a config file"
}
