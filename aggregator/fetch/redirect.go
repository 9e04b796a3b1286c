package fetch

import (
	"context"
	"errors"
	"fmt"
	"net/http"
)

// MaxRedirects is how many redirect hops a fetch follows; one more is an
// error.
const MaxRedirects = 5

// ErrRedirect is wrapped by Fetch's error for a redirect loop or a chain
// longer than MaxRedirects.
var ErrRedirect = errors.New("redirect")

// redirectLog records the hops of one fetch so the caller learns where a
// permanent redirect (301/308) points.
type redirectLog struct {
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

// checkRedirect is the client's CheckRedirect: it refuses loops and long
// chains (both are errors, not silently the last response) and logs each hop.
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
