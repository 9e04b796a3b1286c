package main

import (
	"github.com/tributary-rss/tributary/aggregator/config"
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
