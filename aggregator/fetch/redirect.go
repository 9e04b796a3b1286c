package fetch

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// MaxRedirects is how many redirect hops a fetch follows; one more is an
// error.
const MaxRedirects = 5

// ErrRedirect is wrapped by Fetch's error for a redirect loop or a chain
// longer than MaxRedirects.
var ErrRedirect = errors.New("redirect")

// redirectLog records the hops of one fetch so the caller learns where a
// permanent redirect (301/308) points, and names the headers that must not
// leave the fetch's origin.
type redirectLog struct {
	// private are the Request.Headers a hop to another origin drops.
	private []string
	// permanent is the URL reached through the leading run of permanent
	// hops; "" when the first hop was temporary or there was none.
	permanent string
	// broken is set once a temporary hop is seen: later 301s are relative
	// to a URL the source may stop redirecting through.
	broken bool
}

type redirectLogKey struct{}

func withRedirectLog(ctx context.Context, log *redirectLog) context.Context {
	return context.WithValue(ctx, redirectLogKey{}, log)
}

// credentialHeaders are dropped on a hop to another origin whatever the
// request set. net/http drops them only when the host name changes to one
// outside the original's domain: another port, another scheme or a
// sibling subdomain still get them.
var credentialHeaders = []string{"Authorization", "Proxy-Authorization", "Cookie", "Cookie2"}

// privateHeaders are the names of a request's extra headers that stay with
// its origin: all of them but those the fetcher sets itself (it replaces
// any value given for them) and User-Agent, which identifies the client
// rather than carrying a secret.
func privateHeaders(h map[string]string) []string {
	var out []string
	for k := range h {
		switch http.CanonicalHeaderKey(k) {
		case "User-Agent", "Accept", "Accept-Encoding", "If-None-Match", "If-Modified-Since":
			continue
		}
		out = append(out, k)
	}
	return out
}

// SameOrigin reports whether a request's own headers may go from URL from
// to URL to: both have the same scheme, host (ignoring case) and port (the
// scheme's default when none is written), or to is from upgraded to
// HTTPS on the same host and default ports, where a key is no less safe.
// A source's headers are sent only to its own origin.
func SameOrigin(from, to string) bool {
	a, errA := url.Parse(from)
	b, errB := url.Parse(to)
	return errA == nil && errB == nil && sameOrigin(a, b)
}

// HeadersFor is a source's extra request headers when target is on the
// origin of the source's URL (see SameOrigin), else none: they often
// carry a key or a cookie, which a feed or an article hosted elsewhere
// must not receive. Polls and previews send them this way to every URL a
// source leads to, and Fetch drops them again on a redirect leaving the
// origin.
func HeadersFor(headers map[string]string, sourceURL, target string) map[string]string {
	if len(headers) == 0 || !SameOrigin(sourceURL, target) {
		return nil
	}
	return headers
}

func sameOrigin(from, to *url.URL) bool {
	if !strings.EqualFold(from.Hostname(), to.Hostname()) {
		return false
	}
	pf, pt := effectivePort(from), effectivePort(to)
	if strings.EqualFold(from.Scheme, to.Scheme) {
		return pf == pt
	}
	return strings.EqualFold(from.Scheme, "http") && strings.EqualFold(to.Scheme, "https") && pf == "80" && pt == "443"
}

func effectivePort(u *url.URL) string {
	if p := u.Port(); p != "" {
		return p
	}
	switch strings.ToLower(u.Scheme) {
	case "http":
		return "80"
	case "https":
		return "443"
	}
	return ""
}

// checkRedirect is the client's CheckRedirect: it refuses loops and long
// chains (both are errors, not silently the last response), keeps the
// source's headers and credentials with the origin the fetch started at
// (net/http copies every header of the first request onto each hop) and
// logs each hop.
func checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) > MaxRedirects {
		return fmt.Errorf("%w: more than %d hops", ErrRedirect, MaxRedirects)
	}
	next := req.URL.String()
	for _, prev := range via {
		if prev.URL.String() == next {
			return fmt.Errorf("%w: loop back to %s", ErrRedirect, next)
		}
	}
	log, _ := req.Context().Value(redirectLogKey{}).(*redirectLog)
	if !sameOrigin(via[0].URL, req.URL) {
		stripPrivate(req.Header, log)
	}
	if log == nil || req.Response == nil || log.broken {
		return nil
	}
	switch req.Response.StatusCode {
	case http.StatusMovedPermanently, http.StatusPermanentRedirect:
		log.permanent = next
	default:
		log.broken = true
	}
	return nil
}

// stripPrivate removes the credentials and the request's own headers (see
// redirectLog.private) from a hop leaving the fetch's origin.
func stripPrivate(h http.Header, log *redirectLog) {
	for _, k := range credentialHeaders {
		h.Del(k)
	}
	if log == nil {
		return
	}
	for _, k := range log.private {
		h.Del(k)
	}
}
