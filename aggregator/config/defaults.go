package config

import (
	"net"
	"path/filepath"
	"strings"
	"time"
)

// Defaults for keys the file leaves out. An empty string and a missing key
// are the same thing: both take the default.
const (
	DefaultListen           = "127.0.0.1:8080"
	DefaultRedisPrefix      = "trib:"
	DefaultSnapshot         = "./tributary.snapshot"
	DefaultSnapshotInterval = Duration(time.Minute)
	DefaultSchedule         = "@every 15m"
	DefaultTimezone         = "Asia/Shanghai"
	DefaultMaxItems         = 200
	DefaultLanguage         = "zh-CN"
	DefaultFetchTimeout     = Duration(30 * time.Second)
	DefaultMaxBodyBytes     = 10 << 20
	// DefaultMaxHTMLBytes bounds an HTML page: its DOM costs ten to thirty
	// times its bytes, so it gets a lower cap than a feed.
	DefaultMaxHTMLBytes   = 4 << 20
	DefaultConcurrency    = 8
	DefaultMaxInterval    = Duration(24 * time.Hour)
	DefaultConnectTimeout = Duration(10 * time.Second)
	DefaultHeaderTimeout  = Duration(20 * time.Second)
	DefaultPerHost        = 2
	DefaultMaxBackoff     = Duration(24 * time.Hour)
	DefaultSummaryLength  = 140
)

// applyDefaults fills every unset field of a validated config. Section
// language and max_items stay zero here: they inherit through Sections.
func applyDefaults(c *Config) {
	setString(&c.Listen, DefaultListen)
	setString(&c.BaseURL, defaultBaseURL(c.Listen))
	c.BaseURL = strings.TrimRight(c.BaseURL, "/")
	setString(&c.Redis.Prefix, DefaultRedisPrefix)
	setString(&c.Storage.Snapshot, DefaultSnapshot)
	if !filepath.IsAbs(c.Storage.Snapshot) {
		c.Storage.Snapshot = filepath.Join(filepath.Dir(c.Path), c.Storage.Snapshot)
	}
	setZero(&c.Storage.SnapshotInterval, DefaultSnapshotInterval)
	setString(&c.Defaults.Schedule, DefaultSchedule)
	setString(&c.Defaults.Timezone, DefaultTimezone)
	setZero(&c.Defaults.MaxItems, DefaultMaxItems)
	setString(&c.Defaults.Language, DefaultLanguage)
	setZero(&c.Defaults.SummaryLength, DefaultSummaryLength)
	setZero(&c.Fetch.Timeout, DefaultFetchTimeout)
	setZero(&c.Fetch.MaxBodyBytes, DefaultMaxBodyBytes)
	setZero(&c.Fetch.MaxHTMLBytes, DefaultMaxHTMLBytes)
	setZero(&c.Fetch.Concurrency, DefaultConcurrency)
	setZero(&c.Scheduler.Shards, DefaultSchedulerShards)
	applyPollingDefaults(c)
	applyPublishDefaults(c)
	applyLimitsDefaults(c)
	applyAlertsDefaults(c)
	setZero(&c.Freshness.StaleAfter, DefaultStaleAfter)
	for i := range c.SectionConfigs {
		setString(&c.SectionConfigs[i].Title, c.SectionConfigs[i].ID)
	}
}

func setString(p *string, def string) {
	if *p == "" {
		*p = def
	}
}

func setZero[T comparable](p *T, def T) {
	var zero T
	if *p == zero {
		*p = def
	}
}

// defaultBaseURL derives the public URL from the listen address. A wildcard
// host (":8080", "0.0.0.0:8080") is not an address anyone can fetch, so it
// becomes localhost.
func defaultBaseURL(listen string) string {
	host, port, err := net.SplitHostPort(listen)
	if err != nil {
		return "http://" + listen
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, port)
}
