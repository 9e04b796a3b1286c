package preview

import (
	"fmt"
	"strings"
	"time"

	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/aggregator/parse"
)

// ScrapeKeys are the scrape: keys Overrides.Scrape sets, in the config's
// order.
var ScrapeKeys = []string{"items", "title", "link", "date", "date_attr", "summary", "image", "skip"}

// Overrides are rules tried on a source without editing the config
// (tributary preview's selector flags). A nil or absent field leaves the
// source's own.
type Overrides struct {
	// Scrape sets scrape: keys (see ScrapeKeys); "" clears one. Setting
	// any reads the URL as a list page: without items (in the source's
	// block or here) the list is detected and the other keys kept.
	Scrape map[string]string
	// ContentSelector sets content.selector and turns content.fetch on;
	// ContentFetch sets content.fetch (after ContentSelector).
	ContentSelector *string
	ContentFetch    *bool
	// Timezone is the zone of dates without one, an IANA name.
	Timezone *string
}

// OverrideError says which key of Overrides is invalid: "scrape.items",
// "scrape.date_attr", "content.selector" or "timezone".
type OverrideError struct {
	Key string
	Err error
}

func (e *OverrideError) Error() string { return e.Key + ": " + e.Err.Error() }

func (e *OverrideError) Unwrap() error { return e.Err }

// Apply sets o's rules on src, copying its blocks rather than changing
// the ones it shares with the config. Every selector must compile and
// date_attr name an attribute; the first invalid key is an
// *OverrideError.
func (o Overrides) Apply(src *model.Source) error {
	if err := o.applyScrape(src); err != nil {
		return err
	}
	if o.ContentSelector != nil || o.ContentFetch != nil {
		cc := model.Content{MaxPerPoll: model.DefaultMaxPerPoll}
		if src.Content != nil {
			cc = *src.Content
		}
		if o.ContentSelector != nil {
			if err := parse.CheckSelector(*o.ContentSelector); err != nil {
				return &OverrideError{Key: "content.selector", Err: err}
			}
			cc.Selector, cc.Fetch = *o.ContentSelector, true
		}
		if o.ContentFetch != nil {
			cc.Fetch = *o.ContentFetch
		}
		src.Content = &cc
	}
	if o.Timezone != nil {
		loc, err := time.LoadLocation(*o.Timezone)
		if err != nil || *o.Timezone == "" {
			return &OverrideError{Key: "timezone", Err: fmt.Errorf("%q is not a known IANA time zone", *o.Timezone)}
		}
		src.Location = loc
	}
	return nil
}

func (o Overrides) applyScrape(src *model.Source) error {
	var sc model.Scrape
	if src.Scrape != nil {
		sc = *src.Scrape
	}
	fields := map[string]*string{"items": &sc.Items, "title": &sc.Title, "link": &sc.Link, "date": &sc.Date,
		"date_attr": &sc.DateAttr, "summary": &sc.Summary, "image": &sc.Image, "skip": &sc.Skip}
	changed := false
	for _, key := range ScrapeKeys {
		v, ok := o.Scrape[key]
		if !ok {
			continue
		}
		changed = true
		switch {
		case key == "date_attr" && strings.ContainsAny(v, " \t\n\"'=<>/"):
			return &OverrideError{Key: "scrape." + key, Err: fmt.Errorf("%q is not an attribute name", v)}
		case key != "date_attr" && v != "":
			if err := parse.CheckSelector(v); err != nil {
				return &OverrideError{Key: "scrape." + key, Err: err}
			}
		}
		*fields[key] = v
	}
	if changed {
		src.Scrape = &sc
	}
	return nil
}
