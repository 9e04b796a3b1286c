package main

import (
	"time"

	"github.com/tributary-rss/tributary/aggregator/config"
	"github.com/tributary-rss/tributary/aggregator/fetch"
	"github.com/tributary-rss/tributary/aggregator/normalize"
)

// newNormalizer builds the normalizer with the config's summary length,
// tracking parameters and ingest limits (fetch.max_items, limits.*).
func newNormalizer(cfg *config.Config) *normalize.Normalizer {
	return normalize.New(normalize.Options{
		SummaryLen:     cfg.Defaults.SummaryLength,
		TrackingParams: cfg.Defaults.TrackingParams,
		MaxItems:       cfg.Fetch.MaxItems,
		TitleLen:       cfg.Limits.TitleLength,
		ContentBytes:   cfg.Limits.ContentBytes,
		HTMLDepth:      cfg.Limits.HTMLDepth,
		MaxCategories:  cfg.Limits.Categories,
		CategoryLen:    cfg.Limits.CategoryLength,
	})
}

// newFetcher is a fetcher with the config's user agent, timeouts, body
// limits and per-host limit. The poller has one, and the previews (discover,
// preview, the admin API's look at a URL) one of their own: a look at a
// site must not wait behind polls for a per-host slot.
func newFetcher(cfg *config.Config) *fetch.Fetcher {
	return fetch.New(fetch.Options{
		Timeout:        time.Duration(cfg.Fetch.Timeout),
		MaxBodyBytes:   cfg.Fetch.MaxBodyBytes,
		MaxHTMLBytes:   cfg.Fetch.MaxHTMLBytes,
		UserAgent:      cfg.Fetch.UserAgent,
		Version:        version,
		ConnectTimeout: time.Duration(cfg.Fetch.ConnectTimeout),
		HeaderTimeout:  time.Duration(cfg.Fetch.HeaderTimeout),
		PerHost:        cfg.Fetch.PerHost,
		AllowListeners: cfg.Fetch.AllowListeners,
	})
}
