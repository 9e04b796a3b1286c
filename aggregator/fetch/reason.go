package fetch

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"strings"
	"syscall"
	"time"
)

// Error is the error Fetch returns: the URL, a short human-readable Reason
// meant for operators (status pages, source state) and the cause, which
// errors.Is/As reach (StatusError, LimitError, ErrRedirect, context errors).
type Error struct {
	URL string
	// Reason says what went wrong in words an operator acts on: "timeout
	// after 30s", "connection refused", "TLS error: …", "HTTP 404 Not Found",
	// "body over the 10485760-byte limit", ….
	Reason string
	msg    string
	Err    error
}

func (e *Error) Error() string { return "fetch " + e.URL + ": " + e.msg }

func (e *Error) Unwrap() error { return e.Err }

// LimitError says a body was larger than the limit, as received or only
// once decompressed (a gzip bomb), or an HTML page larger than the HTML
// limit (HTML). It matches ErrBodyTooLarge.
type LimitError struct {
	Limit        int64
	Decompressed bool
	HTML         bool
	// Detail says how it was noticed ("content-length 123").
	Detail string
}

func (e *LimitError) Error() string { return ErrBodyTooLarge.Error() + ": " + e.Detail }

// Is makes errors.Is(err, ErrBodyTooLarge) true.
func (e *LimitError) Is(target error) bool { return target == ErrBodyTooLarge }

func (e *LimitError) reason() string {
	if e.HTML {
		return htmlLimitReason(e.Limit)
	}
	if e.Decompressed {
		return fmt.Sprintf("decompressed body over the %d-byte limit", e.Limit)
	}
	return fmt.Sprintf("body over the %d-byte limit", e.Limit)
}

// htmlLimitReason names the HTML limit by its config key, which is what an
// operator raises when a site's pages really are that large.
func htmlLimitReason(limit int64) string {
	return fmt.Sprintf("HTML page larger than %d bytes (fetch.max_html_bytes)", limit)
}

// timeouts are the limits a reason may name.
type timeouts struct {
	total, connect, header time.Duration
}

// classify names the cause of a failed fetch. ownDeadline is true when
// Fetch's total timeout fired (not the caller's deadline).
func classify(err error, ownDeadline bool, t timeouts) string {
	var (
		se  *StatusError
		le  *LimitError
		ae  *AddressError
		dns *net.DNSError
		ne  net.Error
	)
	switch {
	case ownDeadline:
		return "timeout after " + t.total.String()
	case errors.As(err, &se):
		return strings.Replace(se.Error(), "http", "HTTP", 1)
	case errors.As(err, &le):
		return le.reason()
	case errors.As(err, &ae):
		return ae.Error()
	case errors.Is(err, ErrRedirect):
		return err.Error()
	case errors.Is(err, syscall.ECONNREFUSED):
		return "connection refused"
	case errors.Is(err, syscall.ECONNRESET):
		return "connection reset by the server"
	case isTLSError(err):
		return "TLS error: " + err.Error()
	case errors.As(err, &dns):
		return "DNS lookup failed: " + dns.Err + " (" + dns.Name + ")"
	case errors.As(err, &ne) && ne.Timeout():
		return timeoutReason(err, t)
	case errors.Is(err, context.Canceled):
		return "cancelled"
	}
	return err.Error()
}

func timeoutReason(err error, t timeouts) string {
	var op *net.OpError
	msg := err.Error()
	switch {
	case strings.Contains(msg, "awaiting response headers"):
		return "timeout after " + t.header.String() + " waiting for response headers"
	case strings.Contains(msg, "TLS handshake timeout"):
		return "TLS error: handshake timeout"
	case errors.As(err, &op) && op.Op == "dial":
		return "connect timeout after " + t.connect.String()
	}
	return "timeout: " + msg
}

func isTLSError(err error) bool {
	var (
		rh    tls.RecordHeaderError
		alert tls.AlertError
		cv    *tls.CertificateVerificationError
		ua    x509.UnknownAuthorityError
		hn    x509.HostnameError
		ci    x509.CertificateInvalidError
	)
	return errors.As(err, &rh) || errors.As(err, &alert) || errors.As(err, &cv) ||
		errors.As(err, &ua) || errors.As(err, &hn) || errors.As(err, &ci) ||
		strings.HasPrefix(err.Error(), "tls: ")
}
