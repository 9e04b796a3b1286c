package config

import (
	"fmt"
	"net"
	"net/url"
	"regexp"
	"strconv"

	"golang.org/x/text/language"
)

// MaxIDLen bounds section and source ids: they end up in URLs and Redis
// keys.
const MaxIDLen = 64

var idPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`)

// validator checks a decoded Config before defaults are applied, so that an
// explicit `max_items: 0` is told apart from a missing key.
type validator struct {
	probs  *problemList
	fields map[any]fieldInfo
	env    map[any]string
	// dir is the config file's directory, against which relative paths
	// in it are resolved.
	dir string
}

// set reports whether the field at ptr was given (in the file or the
// environment) and decoded cleanly; only such fields are checked.
func (v *validator) set(ptr any) bool {
	info, ok := v.fields[ptr]
	return ok && !info.bad
}

// filled reports whether a string field holds a cleanly decoded value. An
// empty string counts as unset, like a missing key.
func (v *validator) filled(p *string) bool {
	return *p != "" && !v.failed(p)
}

// failed reports whether the value failed to decode, which was reported
// already.
func (v *validator) failed(ptr any) bool {
	return v.fields[ptr].bad
}

func (v *validator) line(ptr any, fallback int) int {
	if info, ok := v.fields[ptr]; ok && info.line > 0 {
		return info.line
	}
	return fallback
}

// check reports err at the field's line as "key: err", or names the
// environment variable that set the field.
func (v *validator) check(ptr any, key string, err error) {
	if err == nil {
		return
	}
	if name, ok := v.env[ptr]; ok {
		v.probs.add(0, "%s: %v", name, err)
		return
	}
	v.probs.add(v.line(ptr, 0), "%s: %v", key, err)
}

// checkSchedule reports a bad schedule as is: its message names it already.
func (v *validator) checkSchedule(p *string) {
	if !v.filled(p) {
		return
	}
	if err := ValidateSchedule(*p); err != nil {
		v.probs.add(v.line(p, 0), "%v", err)
	}
}

func (v *validator) config(c *Config) {
	if v.filled(&c.Listen) {
		v.check(&c.Listen, "listen", checkListen(c.Listen))
	}
	if v.filled(&c.BaseURL) {
		v.check(&c.BaseURL, "base_url", checkBaseURL(c.BaseURL))
	}
	v.redis(&c.Redis)
	v.positive(&c.Storage.SnapshotInterval, "snapshot_interval", int64(c.Storage.SnapshotInterval))
	v.defaults(&c.Defaults)
	v.fetch(&c.Fetch)
	v.scheduler(&c.Scheduler)
	v.sections(c)
	v.linkTargets(c)
	v.publishing(c)
	v.entryRules(c)
	v.polling(c)
	v.logging(&c.Log)
	v.admin(&c.Admin)
	v.alerts(&c.Alerts)
	v.freshness(c)
	v.limits(c)
	v.scraping(c)
	v.review(c)
}

func (v *validator) defaults(d *Defaults) {
	v.checkSchedule(&d.Schedule)
	if v.filled(&d.Timezone) {
		v.check(&d.Timezone, "timezone", checkTimezone(d.Timezone))
	}
	v.positive(&d.MaxItems, "max_items", int64(d.MaxItems))
	if v.filled(&d.Language) {
		v.check(&d.Language, "language", checkLanguage(d.Language))
	}
}

func (v *validator) fetch(f *FetchConfig) {
	v.positive(&f.Timeout, "timeout", int64(f.Timeout))
	v.positive(&f.MaxBodyBytes, "max_body_bytes", f.MaxBodyBytes)
	v.positive(&f.Concurrency, "concurrency", int64(f.Concurrency))
}

// positive checks a number or duration that was given is at least 1 (for a
// duration, more than zero).
func (v *validator) positive(ptr any, key string, n int64) {
	if !v.set(ptr) || n >= 1 {
		return
	}
	if d, ok := ptr.(*Duration); ok {
		v.check(ptr, key, fmt.Errorf("must be more than zero, got %s", *d))
		return
	}
	v.check(ptr, key, fmt.Errorf("must be at least 1, got %d", n))
}

func checkListen(addr string) error {
	_, port, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("%q is not host:port", addr)
	}
	if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		return fmt.Errorf("%q has no valid port number", addr)
	}
	return nil
}

func checkBaseURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("must be an absolute http or https URL, got %q", raw)
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return fmt.Errorf("must not have a query or fragment, got %q", raw)
	}
	return nil
}

// checkRedisURL never quotes the URL back: it may carry a password.
func checkRedisURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("not a valid URL")
	}
	if u.Scheme != "redis" && u.Scheme != "rediss" {
		return fmt.Errorf("scheme must be redis or rediss, got %q", u.Scheme)
	}
	if u.Host == "" {
		return fmt.Errorf("missing host")
	}
	return nil
}

func checkFeedURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Hostname() == "" {
		return fmt.Errorf("%q must be an absolute http or https URL with a host", raw)
	}
	return nil
}

func checkTimezone(name string) error {
	if _, err := location(name); err != nil {
		return fmt.Errorf("%q is not a known IANA time zone", name)
	}
	return nil
}

func checkLanguage(tag string) error {
	if _, err := language.Parse(tag); err != nil {
		return fmt.Errorf("%q is not a BCP 47 language tag like zh-CN or en", tag)
	}
	return nil
}

func checkID(id string) error {
	if len(id) > MaxIDLen {
		return fmt.Errorf("%q is longer than %d characters", id, MaxIDLen)
	}
	if !idPattern.MatchString(id) {
		return fmt.Errorf("%q must be lower-case letters, digits and hyphens, starting with a letter or digit", id)
	}
	return nil
}
