package config

import (
	"fmt"
	"maps"
	"net/http"
	"strings"

	"golang.org/x/net/http/httpguts"
)

// reservedHeaders are set by the fetcher itself: conditional GET and
// decompression depend on them, so a source may not override them.
var reservedHeaders = []string{"If-None-Match", "If-Modified-Since", "Accept-Encoding", "Host", "Content-Length", "Connection"}

// polling checks the keys that shape polling: timeouts, the per-host cap,
// backoff and hint bounds, and per-source headers.
func (v *validator) polling(c *Config) {
	v.positive(&c.Defaults.MaxInterval, "max_interval", int64(c.Defaults.MaxInterval))
	f := &c.Fetch
	v.positive(&f.ConnectTimeout, "connect_timeout", int64(f.ConnectTimeout))
	v.positive(&f.HeaderTimeout, "header_timeout", int64(f.HeaderTimeout))
	v.positive(&f.PerHost, "per_host", int64(f.PerHost))
	v.positive(&f.MaxBackoff, "max_backoff", int64(f.MaxBackoff))
	v.positive(&f.MaxHTMLBytes, "max_html_bytes", f.MaxHTMLBytes)
	for i := range c.SectionConfigs {
		for j := range c.SectionConfigs[i].Sources {
			s := &c.SectionConfigs[i].Sources[j]
			if v.set(&s.Headers) {
				v.check(&s.Headers, "headers", checkHeaders(s.Headers))
			}
		}
	}
	for _, g := range c.groups() {
		v.agreeHeaders(g)
	}
}

func checkHeaders(h map[string]string) error {
	for name, val := range h {
		if !httpguts.ValidHeaderFieldName(name) {
			return fmt.Errorf("%q is not a valid header name", name)
		}
		if !httpguts.ValidHeaderFieldValue(val) {
			return fmt.Errorf("%s: value holds characters not allowed in a header", name)
		}
		for _, r := range reservedHeaders {
			if strings.EqualFold(name, r) {
				return fmt.Errorf("%s is set by Tributary itself and cannot be overridden", http.CanonicalHeaderKey(name))
			}
		}
	}
	return nil
}

// agreeHeaders: a URL is fetched once for every section listing it, so its
// listings may not send different headers (an empty map inherits).
func (v *validator) agreeHeaders(g *sourceGroup) {
	var first *SourceConfig
	for _, s := range g.listings {
		switch {
		case len(s.Headers) == 0:
		case first == nil:
			first = s
		case !maps.Equal(s.Headers, first.Headers):
			v.probs.add(v.line(&s.Headers, s.Line), "headers: conflict with the headers for the same url at line %d",
				v.line(&first.Headers, first.Line))
		}
	}
}

// pickHeaders is the header map of the first listing that sets one.
func pickHeaders(g *sourceGroup) map[string]string {
	for _, s := range g.listings {
		if len(s.Headers) > 0 {
			return maps.Clone(s.Headers)
		}
	}
	return nil
}

func applyPollingDefaults(c *Config) {
	setZero(&c.Defaults.MaxInterval, DefaultMaxInterval)
	setZero(&c.Fetch.ConnectTimeout, DefaultConnectTimeout)
	setZero(&c.Fetch.HeaderTimeout, DefaultHeaderTimeout)
	setZero(&c.Fetch.PerHost, DefaultPerHost)
	setZero(&c.Fetch.MaxBackoff, DefaultMaxBackoff)
}
