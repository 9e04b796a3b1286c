package fetch

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// StatusError is a response that is neither 2xx nor 304. Callers use Code to
// tell a gone feed (404, 410) from a struggling server (429, 5xx), and
// RetryAfter to back off as the server asks.
type StatusError struct {
	Code int
	// Status is the status as received, e.g. "503 Service Unavailable".
	Status string
	// RetryAfter is the raw Retry-After header (RFC 9110 §10.2.3): delay
	// seconds or an HTTP date; "" when absent. See RetryDelay.
	RetryAfter string
}

func newStatusError(resp *http.Response) *StatusError {
	return &StatusError{
		Code:       resp.StatusCode,
		Status:     resp.Status,
		RetryAfter: resp.Header.Get("Retry-After"),
	}
}

// Error reads like "http 503 Service Unavailable".
func (e *StatusError) Error() string {
	if strings.HasPrefix(e.Status, strconv.Itoa(e.Code)) {
		return "http " + e.Status
	}
	return "http " + strconv.Itoa(e.Code) + " " + http.StatusText(e.Code)
}

// RetryDelay interprets RetryAfter relative to now. ok is false when the
// header is absent or unreadable; a date in the past gives 0.
func (e *StatusError) RetryDelay(now time.Time) (d time.Duration, ok bool) {
	v := strings.TrimSpace(e.RetryAfter)
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs < 0 {
			return 0, false
		}
		return time.Duration(secs) * time.Second, true
	}
	at, err := http.ParseTime(v)
	if err != nil {
		return 0, false
	}
	return max(at.Sub(now), 0), true
}
