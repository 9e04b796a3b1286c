package config

import (
	"fmt"
	"strings"
)

// Ingest and serving limits. They bound what one source or one client can
// make the daemon hold: every value is a cap on something a stranger
// controls.
const (
	// DefaultFetchMaxItems is how many items of one document are taken
	// (the newest): a feed of 100,000 items is a mistake or an attack, and
	// no section shows more than a few hundred.
	DefaultFetchMaxItems = 1000
	// DefaultTitleLength bounds titles and author names, in runes.
	DefaultTitleLength = 1000
	// DefaultContentBytes bounds an entry's HTML content (cut at an
	// element boundary).
	DefaultContentBytes = 256 << 10
	// DefaultHTMLDepth is the element nesting kept in content; deeper
	// elements are flattened into their ancestor at that depth.
	DefaultHTMLDepth = 100
	// DefaultMaxCategories and DefaultCategoryLength bound an entry's
	// categories (plain text, runes).
	DefaultMaxCategories  = 20
	DefaultCategoryLength = 100
	// DefaultRenderCacheBytes is the render cache's budget, identity and
	// gzip bytes together, across all sections.
	DefaultRenderCacheBytes = 64 << 20
	// DefaultMetricsPerSourceLimit is how many configured sources still
	// get per-source series on /metrics: two series a source cost a
	// scrape 15 MB and most of a second at 100,000 sources.
	DefaultMetricsPerSourceLimit = 5000
)

// LimitsConfig bounds what is kept of one entry at ingest.
type LimitsConfig struct {
	// TitleLength cuts titles and author names (runes, default 1000).
	TitleLength int `yaml:"title_length"`
	// ContentBytes cuts HTML content at an element boundary (default
	// 262144).
	ContentBytes int `yaml:"content_bytes"`
	// HTMLDepth flattens content nested deeper (default 100).
	HTMLDepth int `yaml:"html_depth"`
	// Categories and CategoryLength bound the categories kept (default
	// 20 of at most 100 runes).
	Categories     int `yaml:"categories"`
	CategoryLength int `yaml:"category_length"`
}

// MetricsConfig guards /metrics.
type MetricsConfig struct {
	// RequireToken serves /metrics only to requests bearing the admin
	// token (Authorization: Bearer); off by default so a Prometheus on
	// the same network scrapes without credentials.
	RequireToken bool `yaml:"require_token"`
	// PerSourceLimit is how many configured sources still get their own
	// series (last success, errors in a row); with more, those two
	// gauges are left out and tributary_sources{state} counts them
	// (default 5000).
	PerSourceLimit int `yaml:"per_source_limit"`
}

func (v *validator) limits(c *Config) {
	l := &c.Limits
	v.positive(&l.TitleLength, "title_length", int64(l.TitleLength))
	v.positive(&l.ContentBytes, "content_bytes", int64(l.ContentBytes))
	v.positive(&l.HTMLDepth, "html_depth", int64(l.HTMLDepth))
	v.positive(&l.Categories, "categories", int64(l.Categories))
	v.positive(&l.CategoryLength, "category_length", int64(l.CategoryLength))
	v.positive(&c.Fetch.MaxItems, "max_items", int64(c.Fetch.MaxItems))
	v.positive(&c.HTTP.RenderCacheBytes, "render_cache_bytes", c.HTTP.RenderCacheBytes)
	v.positive(&c.Metrics.PerSourceLimit, "per_source_limit", int64(c.Metrics.PerSourceLimit))
	if v.set(&c.HTTP.SecretParams) {
		v.check(&c.HTTP.SecretParams, "secret_params", checkParamNames(c.HTTP.SecretParams))
	}
	if c.Metrics.RequireToken && c.Admin.Token == "" && !v.failed(&c.Metrics.RequireToken) {
		v.check(&c.Metrics.RequireToken, "require_token", fmt.Errorf("needs admin.token (or TRIBUTARY_ADMIN_TOKEN) to be set"))
	}
}

// checkParamNames accepts query keys, or prefixes ending in "*".
func checkParamNames(names []string) error {
	for _, n := range names {
		k := strings.TrimSuffix(n, "*")
		if k == "" || strings.ContainsAny(k, "*&=#? ") {
			return fmt.Errorf("%q is not a query parameter name (write key or prefix*)", n)
		}
		// Names are compared by their letters and digits alone (see
		// urlsecret.NewParams): one without any would match nothing.
		if !strings.ContainsFunc(k, func(r rune) bool { return ('a' <= r && r <= 'z') || ('A' <= r && r <= 'Z') || ('0' <= r && r <= '9') }) {
			return fmt.Errorf("%q has no letter or digit: names are compared by their ASCII letters and digits", n)
		}
	}
	return nil
}

func applyLimitsDefaults(c *Config) {
	l := &c.Limits
	setZero(&l.TitleLength, DefaultTitleLength)
	setZero(&l.ContentBytes, DefaultContentBytes)
	setZero(&l.HTMLDepth, DefaultHTMLDepth)
	setZero(&l.Categories, DefaultMaxCategories)
	setZero(&l.CategoryLength, DefaultCategoryLength)
	setZero(&c.Fetch.MaxItems, DefaultFetchMaxItems)
	setZero(&c.HTTP.RenderCacheBytes, DefaultRenderCacheBytes)
	setZero(&c.Metrics.PerSourceLimit, DefaultMetricsPerSourceLimit)
}
