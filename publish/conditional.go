package publish

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// notModified reports whether a conditional GET can be answered with 304.
// If-None-Match wins over If-Modified-Since when both are sent (RFC 9110
// section 13.2.2), and uses the weak comparison that section 13.1.2 asks for.
func notModified(h http.Header, etag string, updated time.Time) bool {
	return notModifiedBy(h.Values("If-None-Match"), h.Get("If-Modified-Since"), etag, updated)
}

// notModifiedBy is notModified given the If-None-Match lines and the
// If-Modified-Since value.
func notModifiedBy(inm []string, ims, etag string, updated time.Time) bool {
	if len(inm) > 0 {
		return etagListMatches(inm, etag)
	}
	if ims == "" || updated.IsZero() {
		return false
	}
	t, err := http.ParseTime(ims)
	if err != nil {
		return false
	}
	return !updated.Truncate(time.Second).After(t)
}

func etagListMatches(values []string, etag string) bool {
	for _, v := range values {
		for v != "" {
			var tag string
			tag, v, _ = strings.Cut(v, ",")
			tag = strings.TrimSpace(tag)
			if tag == "*" || strings.TrimPrefix(tag, "W/") == etag {
				return true
			}
		}
	}
	return false
}

// acceptsGzip reports whether Accept-Encoding allows gzip: listed (or x-gzip,
// or covered by "*") with a non-zero q value. It runs on every cache hit, so
// it cuts strings instead of splitting them (no allocation).
func acceptsGzip(values []string) bool {
	star := false
	for _, v := range values {
		for v != "" {
			var part string
			part, v, _ = strings.Cut(v, ",")
			coding, q := parseCoding(part)
			switch coding {
			case "gzip", "x-gzip":
				return q > 0
			case "*":
				star = q > 0
			}
		}
	}
	return star
}

func parseCoding(part string) (coding string, q float64) {
	coding, params, _ := strings.Cut(part, ";")
	coding = strings.ToLower(strings.TrimSpace(coding))
	q = 1
	for params != "" {
		var p string
		p, params, _ = strings.Cut(params, ";")
		name, val, ok := strings.Cut(strings.TrimSpace(p), "=")
		if !ok || !strings.EqualFold(strings.TrimSpace(name), "q") {
			continue
		}
		f, err := strconv.ParseFloat(strings.TrimSpace(val), 64)
		if err != nil {
			return coding, 0
		}
		q = f
	}
	return coding, q
}
