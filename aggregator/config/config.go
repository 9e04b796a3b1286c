// Package config owns Tributary's YAML configuration: it reads the file,
// applies the TRIBUTARY_LISTEN, TRIBUTARY_REDIS_{URL,ADDRS,PASSWORD},
// TRIBUTARY_ADMIN_TOKEN and TRIBUTARY_ALERTS_{WEBHOOK_URL,SECRET}
// overrides, fills defaults and validates everything,
// reporting every problem at once as "path:line: message" lines.
//
// It never touches the network, Redis or the clock, and it never resolves
// TRIBUTARY_CONFIG (choosing the file is the caller's job). A *Config that
// Load or Parse returned without error is complete: every default is filled
// and Sources and Sections cannot fail.
package config

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/netip"
	"os"
	"path/filepath"
)

// Config is the whole configuration file after defaults are applied.
type Config struct {
	// Path is the file the config came from, used in messages and to resolve
	// relative paths such as Storage.Snapshot.
	Path string `yaml:"-"`
	// Files are the included files, in the order read.
	Files []string `yaml:"-"`
	spans []fileSpan
	// groupsMemo holds the listing groups while Parse checks the file
	// (see groups).
	groupsMemo []*sourceGroup
	// Listen is the HTTP listen address (default 127.0.0.1:8080).
	Listen string `yaml:"listen"`
	// BaseURL prefixes absolute URLs in feeds. It defaults to "http://" +
	// Listen and never ends in a slash.
	BaseURL  string        `yaml:"base_url"`
	Redis    RedisConfig   `yaml:"redis"`
	Storage  StorageConfig `yaml:"storage"`
	Defaults Defaults      `yaml:"defaults"`
	Fetch    FetchConfig   `yaml:"fetch"`
	// Scheduler tunes the shared due set (see validate_scheduler.go).
	Scheduler SchedulerConfig `yaml:"scheduler"`
	// HTTP, UI and WebSub configure publishing (see validate_publish.go).
	HTTP   HTTPConfig   `yaml:"http"`
	UI     UIConfig     `yaml:"ui"`
	WebSub WebSubConfig `yaml:"websub"`
	// Site is what visitors see of the operator: title, logo, stylesheet
	// and footer (see validate_site.go).
	Site SiteConfig `yaml:"site"`
	// Log configures the daemon's log output (see validate_log.go).
	Log LogConfig `yaml:"log"`
	// Admin turns on the admin API (see validate_admin.go).
	Admin AdminConfig `yaml:"admin"`
	// Limits bound what is kept of each entry; Metrics guards /metrics
	// (see validate_limits.go).
	Limits  LimitsConfig  `yaml:"limits"`
	Metrics MetricsConfig `yaml:"metrics"`
	// Alerts sends a webhook when a source turns failing, recovers or is
	// gone (see validate_alerts.go).
	Alerts AlertsConfig `yaml:"alerts"`
	// Freshness says when a source that publishes nothing is stale (see
	// validate_freshness.go).
	Freshness FreshnessConfig `yaml:"freshness"`
	// Include names further files (paths, globs or directories, relative
	// to Path) holding more sections, or more sources of a section (see
	// include.go).
	Include []string `yaml:"include"`
	// SectionConfigs are the sections as written. It cannot be called
	// Sections: Go allows no field and method of one name, and the
	// Sections method (model types, defaults inherited) is what most
	// callers want.
	SectionConfigs []SectionConfig `yaml:"sections"`
}

// RedisConfig says where entries are cached: URL for one Redis, or Addrs
// with Cluster or MasterName for a Redis Cluster or a Sentinel-managed
// master (see validate_redis.go); neither selects the embedded store.
type RedisConfig struct {
	// URL is a redis:// or rediss:// URL; empty selects the embedded store.
	URL string `yaml:"url"`
	// Prefix starts every key (default "trib:").
	Prefix string `yaml:"prefix"`
	// Addrs are host:port addresses: one Redis, the seed nodes of a
	// Cluster, or the Sentinels when MasterName is set.
	Addrs []string `yaml:"addrs"`
	// MasterName is the master's name as the Sentinels know it.
	MasterName string `yaml:"master_name"`
	// Cluster says Addrs are Redis Cluster nodes.
	Cluster bool `yaml:"cluster"`
	// Username and Password authenticate to Redis (ACL user or
	// requirepass); SentinelPassword to the Sentinels.
	Username         string `yaml:"username"`
	Password         string `yaml:"password"`
	SentinelPassword string `yaml:"sentinel_password"`
	// DB is the database number; a Cluster has only database 0.
	DB int `yaml:"db"`
	// TLS encrypts the connections to Redis: every node, the Sentinels.
	TLS RedisTLS `yaml:"tls"`
}

// StorageConfig configures the embedded store's snapshots.
type StorageConfig struct {
	// Snapshot is the snapshot file; a relative path is resolved against the
	// config file's directory so the daemon's working directory does not
	// matter. Unset, it is $STATE_DIRECTORY/tributary.snapshot when that
	// variable holds an absolute path (see applyStateDirectory), else
	// DefaultSnapshot.
	Snapshot string `yaml:"snapshot"`
	// SnapshotInterval is how often the snapshot is written (default 1m).
	SnapshotInterval Duration `yaml:"snapshot_interval"`
}

// Defaults holds the values sections and sources inherit.
type Defaults struct {
	// Schedule is a robfig/cron spec or "@every <duration>".
	Schedule string `yaml:"schedule"`
	// Timezone is an IANA zone name for dates that carry no zone.
	Timezone string `yaml:"timezone"`
	// MaxItems bounds each section that sets no max_items.
	MaxItems int `yaml:"max_items"`
	// Language is a BCP 47 tag for sections that set none.
	Language string `yaml:"language"`
	// MaxInterval bounds how far a source's own hints (Cache-Control,
	// Expires, <ttl>, sy:updatePeriod, skipHours/skipDays) may push its
	// next poll (default 24h).
	MaxInterval Duration `yaml:"max_interval"`
	// SummaryLength bounds entry summaries in characters (runes; default
	// 140).
	SummaryLength int `yaml:"summary_length"`
	// TrackingParams are query keys removed from entry links on top of
	// the normalizer's built-in list ("key", or "prefix*").
	TrackingParams []string `yaml:"tracking_params"`
	// MaxAge drops entries published longer ago from sections that set no
	// max_age (0: no limit).
	MaxAge Duration `yaml:"max_age"`
}

// FetchConfig bounds the HTTP side of polling.
type FetchConfig struct {
	// Timeout bounds one whole request, body included.
	Timeout Duration `yaml:"timeout"`
	// MaxBodyBytes is the largest feed body read.
	MaxBodyBytes int64 `yaml:"max_body_bytes"`
	// Concurrency is how many sources are fetched at once.
	Concurrency int `yaml:"concurrency"`
	// UserAgent is sent with every request; empty lets package fetch
	// supply its own.
	UserAgent string `yaml:"user_agent"`
	// ConnectTimeout bounds connecting (TCP and TLS, default 10s);
	// HeaderTimeout the wait for response headers (default 20s).
	ConnectTimeout Duration `yaml:"connect_timeout"`
	HeaderTimeout  Duration `yaml:"header_timeout"`
	// PerHost is how many fetches may run against one host at once
	// (default 2).
	PerHost int `yaml:"per_host"`
	// MaxBackoff caps the exponential backoff of a failing source
	// (default 24h).
	MaxBackoff Duration `yaml:"max_backoff"`
	// MaxItems is how many items of one document are taken, the newest
	// first (default 1000).
	MaxItems int `yaml:"max_items"`
	// MaxHTMLBytes is the largest HTML page read (list pages, pages
	// advertising a feed, articles; default 4 MiB): an HTML page costs
	// many times its size once parsed, a feed does not.
	MaxHTMLBytes int64 `yaml:"max_html_bytes"`
	// AllowListeners are listeners (address and port) that sources
	// added through the admin API may reach although they are private:
	// `tributary demo` sets its own sample server, so its console can
	// add what it serves. No config key sets it; admin.allow_private is
	// the operator's switch.
	AllowListeners []netip.AddrPort `yaml:"-"`
}

// SectionConfig is one merged feed as written in the file. Zero MaxItems
// and empty Language inherit from Defaults (see Config.Sections).
type SectionConfig struct {
	ID          string         `yaml:"id"`
	Title       string         `yaml:"title"`
	Description string         `yaml:"description"`
	Language    string         `yaml:"language"`
	MaxItems    int            `yaml:"max_items"`
	Sources     []SourceConfig `yaml:"sources"`
	// Include and Exclude filter what the section holds (see package
	// aggregator/filter); MaxAge overrides defaults.max_age; DedupTitles
	// also merges entries of different sources with identical titles.
	Include     []string `yaml:"include"`
	Exclude     []string `yaml:"exclude"`
	MaxAge      Duration `yaml:"max_age"`
	DedupTitles bool     `yaml:"dedup_titles"`
	// PinsInFeeds puts pinned entries first in the RSS, Atom and JSON
	// feeds too; by default feeds keep date order and only the page,
	// widget, iframe and API show pins first.
	PinsInFeeds bool `yaml:"pins_in_feeds"`
	// Review holds the section's new entries until an editor approves
	// them (see validate_review.go); a listing's Trusted skips it.
	Review bool `yaml:"review"`
	// Timezone is the IANA zone the section's dates are shown in on
	// pages, embeds and the widget; empty inherits defaults.timezone.
	Timezone string `yaml:"timezone"`
	// StaleAfter overrides freshness.stale_after for the section's
	// sources (a source's own overrides it).
	StaleAfter Duration `yaml:"stale_after"`
	// LinkTo is where the section's pages, embeds, API and feeds link
	// each entry: "original" (the default, the member's site) or
	// "portal" (the entry's article page here; see validate_linkto.go).
	LinkTo string `yaml:"link_to"`
	// Line is where the section starts in the file.
	Line int `yaml:"-"`
}

// SourceConfig is one listing of a feed URL inside a section. Empty
// Schedule and Timezone inherit from Defaults.
type SourceConfig struct {
	// ID optionally pins the source id (same syntax as a section id), so the
	// URL can change without losing the stored entries.
	ID       string `yaml:"id"`
	URL      string `yaml:"url"`
	Title    string `yaml:"title"`
	Schedule string `yaml:"schedule"`
	Timezone string `yaml:"timezone"`
	// Headers are extra HTTP request headers sent to this source (an API
	// key, a cookie); listings of one URL must not set different ones.
	Headers map[string]string `yaml:"headers"`
	// Include and Exclude filter the source's entries in every section
	// that lists it; listings of one URL must not set different lists.
	Include []string `yaml:"include"`
	Exclude []string `yaml:"exclude"`
	// Scrape reads the URL as a list page rather than a feed; Content
	// fetches each new entry's article (see validate_scrape.go). Listings
	// of one URL must not set different ones.
	Scrape  *ScrapeConfig  `yaml:"scrape"`
	Content *ContentConfig `yaml:"content"`
	// TitleStrip are labels removed from the source's titles ("[置顶]",
	// or "/re/"; see validate_title.go); listings of one URL must not set
	// different lists.
	TitleStrip []string `yaml:"title_strip"`
	// StaleAfter is how long the source may publish nothing before it is
	// stale, over its sections' and freshness.stale_after; listings of
	// one URL must not set different ones.
	StaleAfter Duration `yaml:"stale_after"`
	// Trusted publishes this listing's entries in its section at once,
	// though the section has review: true. Listings of one URL in
	// several sections may differ: trust is per section.
	Trusted bool `yaml:"trusted"`
	// Line is where the source starts in the file.
	Line int `yaml:"-"`
}

// MaxFileBytes is the largest config file Load reads; anything bigger is a
// mistake (or /dev/zero), not a config.
const MaxFileBytes = 4 << 20

// Load reads the file at path and returns it parsed, overridden from getenv,
// defaulted and validated. A file that cannot be read gives "path: reason";
// anything wrong inside it gives an *Error.
func Load(path string, getenv func(string) string) (*Config, error) {
	data, err := readFile(path)
	if err != nil {
		return nil, err
	}
	return Parse(path, data, getenv)
}

func readFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, unwrapPath(err))
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxFileBytes+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, unwrapPath(err))
	}
	if len(data) > MaxFileBytes {
		return nil, fmt.Errorf("%s: file is larger than %d bytes", path, MaxFileBytes)
	}
	return data, nil
}

// unwrapPath drops the *fs.PathError layer, which would repeat the path.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// Parse is Load without reading a file: path is only used in messages and
// to resolve relative paths. getenv may be nil (no overrides).
func Parse(path string, data []byte, getenv func(string) string) (*Config, error) {
	probs := &problemList{}
	root := parseYAML(data, probs)
	if len(probs.items) > 0 {
		return nil, probs.err(path)
	}
	probs.spans = includes(path, root, probs)
	if len(probs.items) > 0 {
		return nil, probs.err(path)
	}
	c := &Config{Path: path}
	c.spans = probs.spans
	for _, s := range probs.spans {
		c.Files = append(c.Files, s.path)
	}
	d := newDecoder(probs)
	if !d.decodeRoot(root, c) {
		return nil, probs.err(path)
	}
	env := applyEnv(c, getenv, d.fields)
	v := &validator{probs: probs, fields: d.fields, env: env, dir: filepath.Dir(path)}
	// The checks walk the sources' listing groups several times; they
	// are computed once for them (the file's sections do not change
	// while it is checked), and afresh for any later caller.
	c.groupsMemo = c.buildGroups()
	v.config(c)
	c.groupsMemo = nil
	if len(probs.items) > 0 {
		return nil, probs.err(path)
	}
	applyDefaults(c)
	return c, nil
}

// applyEnv lets the environment override the file, as the deployment
// contract promises. It returns which fields came from which variable so
// messages about them name the variable, not a line.
func applyEnv(c *Config, getenv func(string) string, fields map[any]fieldInfo) map[any]string {
	env := map[any]string{}
	if getenv == nil {
		return env
	}
	set := func(name string, dst *string) {
		if val := getenv(name); val != "" {
			*dst = val
			fields[dst] = fieldInfo{}
			env[dst] = name
		}
	}
	set("TRIBUTARY_LISTEN", &c.Listen)
	set("TRIBUTARY_REDIS_URL", &c.Redis.URL)
	set("TRIBUTARY_REDIS_PASSWORD", &c.Redis.Password)
	set("TRIBUTARY_ADMIN_TOKEN", &c.Admin.Token)
	set("TRIBUTARY_ALERTS_WEBHOOK_URL", &c.Alerts.Webhook.URL)
	set("TRIBUTARY_ALERTS_SECRET", &c.Alerts.Webhook.Secret)
	applyAddrsEnv(c, getenv, fields, env)
	applyStateDirectory(c, getenv)
	return env
}
