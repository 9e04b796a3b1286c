package fetch

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// CacheHints are what a response says about how long it stays fresh
// (RFC 9111 §5.2.2.1 max-age, §5.3 Expires). A scheduler must not poll again
// before they run out.
type CacheHints struct {
	// MaxAge is Cache-Control max-age (s-maxage wins: we are a shared
	// cache); 0 when absent.
	MaxAge time.Duration
	// Expires is the Expires header, zero when absent or unreadable. It is
	// ignored when max-age is present, as RFC 9111 §5.3 requires.
	Expires time.Time
	// NoCache is true for Cache-Control no-cache/no-store: no hint.
	NoCache bool
}

// parseCacheHints reads Cache-Control and Expires.
func parseCacheHints(h http.Header) CacheHints {
	var c CacheHints
	var maxAge, sMaxAge time.Duration
	for _, part := range strings.Split(strings.Join(h.Values("Cache-Control"), ","), ",") {
		name, val, _ := strings.Cut(strings.TrimSpace(part), "=")
		switch strings.ToLower(name) {
		case "max-age":
			maxAge = parseSeconds(val)
		case "s-maxage":
			sMaxAge = parseSeconds(val)
		case "no-cache", "no-store":
			c.NoCache = true
		}
	}
	c.MaxAge = max(maxAge, sMaxAge)
	if c.MaxAge == 0 && !c.NoCache {
		if t, err := http.ParseTime(h.Get("Expires")); err == nil {
			c.Expires = t
		}
	}
	return c
}

func parseSeconds(v string) time.Duration {
	n, err := strconv.ParseInt(strings.Trim(strings.TrimSpace(v), `"`), 10, 64)
	if err != nil || n <= 0 {
		return 0
	}
	// A year is more than any feed means; it also keeps the product in range.
	return time.Duration(min(n, 365*24*3600)) * time.Second
}
