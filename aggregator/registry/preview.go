package registry

import (
	"cmp"
	"context"
	"errors"
	"strings"
	"time"

	"github.com/tributary-rss/tributary/aggregator/fetch"
	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/aggregator/parse"
	"github.com/tributary-rss/tributary/aggregator/store"
)

// DefaultPreviewTimeout bounds one discovery or preview of the admin API
// (a preview may fetch three documents: a page, the feed it advertises
// and an article), so the answer comes before the HTTP server's write
// timeout cuts the connection.
const DefaultPreviewTimeout = 45 * time.Second

// errNoPreviewer is a registry wired without Options.Preview.
var errNoPreviewer = errors.New("registry: no previewer configured")

// Discover says which feeds a URL offers (see preview.Previewer.Discover),
// under the same rules as adding it: an http(s) URL and, unless
// admin.allow_private is set, a public address (a 400 otherwise). A URL
// that cannot be fetched or offers nothing is no error: Discovery.Reason
// says why.
func (r *Registry) Discover(ctx context.Context, rawURL string) (model.Discovery, error) {
	if r.opts.Preview == nil {
		return model.Discovery{}, errNoPreviewer
	}
	if err := r.checkFetchable(ctx, &rawURL); err != nil {
		return model.Discovery{}, err
	}
	ctx, cancel := context.WithTimeout(ctx, r.previewTimeout())
	defer cancel()
	d, err := r.opts.Preview.Discover(ctx, rawURL, !r.opts.AllowPrivate)
	if errors.Is(err, fetch.ErrForbiddenAddress) {
		return model.Discovery{}, forbidden(d.Reason)
	}
	return d, nil
}

// Preview reads the source req describes once and says what a poll would
// store, storing nothing. It checks what Add checks of the source itself
// (url, title, timezone, scrape and content) and ignores id, sections and
// schedule, so a console can send the request it is about to add. A
// source that cannot be read is no error: Preview.Error says why.
func (r *Registry) Preview(ctx context.Context, req AddRequest) (model.Preview, error) {
	if r.opts.Preview == nil {
		return model.Preview{}, errNoPreviewer
	}
	if err := r.checkFetchable(ctx, &req.URL); err != nil {
		return model.Preview{}, err
	}
	if err := checkTitle(req.Title); err != nil {
		return model.Preview{}, err
	}
	if err := checkTimezone(req.Timezone); err != nil {
		return model.Preview{}, err
	}
	if err := checkRules(req.Scrape, req.Content); err != nil {
		return model.Preview{}, err
	}
	if err := checkTitleStrip(&req.TitleStrip); err != nil {
		return model.Preview{}, err
	}
	ctx, cancel := context.WithTimeout(ctx, r.previewTimeout())
	defer cancel()
	rec := recordOf(req)
	r.mu.Lock()
	src := apiSource(rec, nil, r.file, !r.opts.AllowPrivate)
	r.mu.Unlock()
	p, err := r.opts.Preview.Preview(ctx, src)
	if errors.Is(err, fetch.ErrForbiddenAddress) && p.FetchedURL == "" {
		// The source's own URL (a later document, such as an article on
		// another host, is reported in the preview instead).
		return model.Preview{}, forbidden(p.Error)
	}
	return p, nil
}

// checkOffersFeed refuses to add, without a scrape: block, an HTML page
// that advertises no feed and on which detection finds no list to read,
// or several too alike to choose from: every poll of it would fail with
// the same reason. A page advertising feeds is added as it is (polls
// resolve it, recording the effective URL), so is a page whose list
// detection finds (polls detect it and record the selectors), and a URL
// that cannot be fetched now is let in: the site may be down for a
// moment, and the source's status will say so.
func (r *Registry) checkOffersFeed(ctx context.Context, req *AddRequest) error {
	if req.Scrape != nil || r.opts.Preview == nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, r.previewTimeout())
	defer cancel()
	d, err := r.opts.Preview.Discover(ctx, req.URL, !r.opts.AllowPrivate)
	switch {
	case errors.Is(err, fetch.ErrForbiddenAddress):
		return forbidden(d.Reason)
	case err != nil || d.IsFeed || len(d.Feeds) > 0 || !strings.HasPrefix(d.Reason, parse.NoFeedReason):
		return nil
	case len(d.Lists) == 0:
		return invalid(model.KeyURLNoFeed, "url", "%s", d.Reason)
	}
	if why := parse.AmbiguityReason(d.Lists); why != "" {
		return invalid(model.KeyURLSeveralLists, "url", "%s; %s", parse.NoFeedReason, why)
	}
	return nil
}

// checkFetchable checks a URL the admin API is asked to fetch: http(s),
// bounded, and public unless admin.allow_private is set.
func (r *Registry) checkFetchable(ctx context.Context, raw *string) error {
	if err := checkURL(raw); err != nil {
		return err
	}
	if r.opts.AllowPrivate {
		return nil
	}
	return r.precheck(ctx, *raw)
}

func (r *Registry) previewTimeout() time.Duration {
	return cmp.Or(r.opts.PreviewTimeout, DefaultPreviewTimeout)
}

// forbidden is a connect-time refusal of a private address (the fetch's
// own check, which a name resolving differently than at precheck meets).
func forbidden(reason string) error {
	return invalid(model.KeyURLForbidden, "url", "%s; the admin API fetches only public addresses (set admin.allow_private to allow this)", reason)
}

// recordOf is the record Add stores for req (already checked): its
// Content with max_per_poll defaulted.
func recordOf(req AddRequest) store.APISource {
	return store.APISource{ID: cmp.Or(req.ID, model.SourceID(req.URL)), URL: req.URL, Title: req.Title, Sections: req.Sections,
		Schedule: req.Schedule, Timezone: req.Timezone, Scrape: req.Scrape, Content: withDefaults(req.Content),
		TitleStrip: nilIfEmpty(req.TitleStrip)}
}
