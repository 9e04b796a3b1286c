package config

import (
	"fmt"
	"net/netip"
	"net/url"
	"strings"
	"time"
)

// Publishing defaults.
const (
	// DefaultCacheMaxAge is the max-age of Cache-Control on feeds, pages
	// and the API.
	DefaultCacheMaxAge = Duration(5 * time.Minute)
	// DefaultCORSOrigin lets any site use the JSON API and the widget.
	DefaultCORSOrigin = "*"
	// DefaultMaxPageBytes bounds one rendered page: 200 entries of the
	// largest content ingest keeps would otherwise render to some 120 MB.
	DefaultMaxPageBytes = 8 << 20
	// DefaultRenderConcurrency is how many uncached renders run at once.
	DefaultRenderConcurrency = 4
)

// HTTPConfig tunes the answers of the HTTP server.
type HTTPConfig struct {
	// CacheMaxAge is the max-age of Cache-Control (default 5m).
	CacheMaxAge Duration `yaml:"cache_max_age"`
	// CORSOrigin is the Access-Control-Allow-Origin of the API, the feeds
	// and the widget: "*" (default) or one origin such as
	// "https://www.example.edu.cn".
	CORSOrigin string `yaml:"cors_origin"`
	// RenderCacheBytes is the render cache's byte budget across all
	// sections, identity and gzip bytes counted (default 64 MiB).
	RenderCacheBytes int64 `yaml:"render_cache_bytes"`
	// SecretParams are query keys ("key" or "prefix*") removed from
	// source URLs in every public output, on top of the built-in list.
	SecretParams []string `yaml:"secret_params"`
	// MaxPageBytes bounds one rendered page of a feed, page or API answer
	// (default 8 MiB): entries past it go to the next page, reached by the
	// usual next link.
	MaxPageBytes int64 `yaml:"max_page_bytes"`
	// RenderConcurrency is how many uncached renders run at once (default
	// 4); a request that finds them all busy waits briefly, then gets 503
	// with Retry-After.
	RenderConcurrency int `yaml:"render_concurrency"`
	// TrustedProxies are the CIDRs of reverse proxies whose
	// X-Forwarded-For names the real client; from any other peer the
	// header is ignored (default none).
	TrustedProxies []string `yaml:"trusted_proxies"`
}

// UIConfig configures HTML pages and embeds.
type UIConfig struct {
	// Lang is "zh" or "en"; empty follows each request's Accept-Language,
	// falling back to Chinese.
	Lang string `yaml:"lang"`
	// DateFormat is the Go layout of entry dates on pages, embeds and the
	// widget, in either language (default DefaultDateFormat); it must
	// show the year. DateFormatCurrentYear, when set, is used instead for
	// entries of the current year (say "01-02 15:04").
	DateFormat            string `yaml:"date_format"`
	DateFormatCurrentYear string `yaml:"date_format_current_year"`
}

// WebSubConfig names a WebSub hub to notify when a section changes.
type WebSubConfig struct {
	// Hub is the hub's absolute http(s) URL; empty disables WebSub.
	Hub string `yaml:"hub"`
}

func (v *validator) publishing(c *Config) {
	v.positive(&c.HTTP.CacheMaxAge, "cache_max_age", int64(c.HTTP.CacheMaxAge))
	if v.filled(&c.HTTP.CORSOrigin) {
		v.check(&c.HTTP.CORSOrigin, "cors_origin", checkOrigin(c.HTTP.CORSOrigin))
	}
	if v.filled(&c.UI.Lang) && c.UI.Lang != "zh" && c.UI.Lang != "en" {
		v.check(&c.UI.Lang, "lang", fmt.Errorf(`must be "zh" or "en" (or empty to follow Accept-Language), got %q`, c.UI.Lang))
	}
	if v.filled(&c.WebSub.Hub) {
		v.check(&c.WebSub.Hub, "hub", checkBaseURL(c.WebSub.Hub))
	}
	v.positive(&c.HTTP.MaxPageBytes, "max_page_bytes", c.HTTP.MaxPageBytes)
	v.positive(&c.HTTP.RenderConcurrency, "render_concurrency", int64(c.HTTP.RenderConcurrency))
	if v.set(&c.HTTP.TrustedProxies) {
		v.check(&c.HTTP.TrustedProxies, "trusted_proxies", checkCIDRs(c.HTTP.TrustedProxies))
	}
	v.site(c)
}

// checkCIDRs accepts CIDR prefixes ("10.0.0.0/8", "fd00::/8") and single
// addresses, which stand for themselves.
func checkCIDRs(list []string) error {
	for _, s := range list {
		if _, err := ParseTrustedProxy(s); err != nil {
			return err
		}
	}
	return nil
}

// ParseTrustedProxy reads one entry of http.trusted_proxies: a CIDR
// prefix, or a bare address meaning that address alone.
func ParseTrustedProxy(s string) (netip.Prefix, error) {
	s = strings.TrimSpace(s)
	if strings.Contains(s, "/") {
		p, err := netip.ParsePrefix(s)
		if err != nil {
			return netip.Prefix{}, fmt.Errorf("%q is not a CIDR prefix such as 10.0.0.0/8 or fd00::/8", s)
		}
		return p.Masked(), nil
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Prefix{}, fmt.Errorf("%q is not an address or a CIDR prefix such as 10.0.0.0/8", s)
	}
	a = a.Unmap()
	return netip.PrefixFrom(a, a.BitLen()), nil
}

// checkOrigin accepts "*" or a serialized origin: scheme, host and optional
// port, nothing else (browsers compare it byte for byte).
func checkOrigin(raw string) error {
	if raw == "*" {
		return nil
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" ||
		u.Path != "" || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return fmt.Errorf(`must be "*" or an origin like https://www.example.org, got %q`, raw)
	}
	return nil
}

func applyPublishDefaults(c *Config) {
	setZero(&c.HTTP.CacheMaxAge, DefaultCacheMaxAge)
	setString(&c.HTTP.CORSOrigin, DefaultCORSOrigin)
	setZero(&c.HTTP.MaxPageBytes, DefaultMaxPageBytes)
	setZero(&c.HTTP.RenderConcurrency, DefaultRenderConcurrency)
	applySiteDefaults(c)
}
