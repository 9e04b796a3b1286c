package fetch

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"time"

	"github.com/tributary-rss/tributary/aggregator/charset"
)

// Defaults used by New for zero Options fields.
const (
	DefaultTimeout        = 30 * time.Second
	DefaultConnectTimeout = 10 * time.Second
	DefaultHeaderTimeout  = 20 * time.Second
	DefaultMaxBodyBytes   = 10 << 20
	// DefaultMaxHTMLBytes bounds an HTML page (fetch.max_html_bytes): its
	// DOM costs ten to thirty times its size, a feed's parse far less.
	DefaultMaxHTMLBytes = 4 << 20
)

// acceptHeader prefers feed types but takes anything: many sites serve feeds
// as text/html or application/octet-stream.
const acceptHeader = "application/rss+xml, application/atom+xml, application/feed+json, " +
	"application/xml;q=0.9, text/xml;q=0.8, */*;q=0.5"

// Options configures a Fetcher. The zero value is usable.
type Options struct {
	// Timeout bounds a whole request: connect, headers and body. 0 means
	// DefaultTimeout.
	Timeout time.Duration
	// ConnectTimeout bounds dialing (TCP, and the TLS handshake again);
	// HeaderTimeout bounds the wait for response headers once the request
	// is sent. 0 means DefaultConnectTimeout and DefaultHeaderTimeout. They
	// apply to the default transport only.
	ConnectTimeout, HeaderTimeout time.Duration
	// PerHost bounds concurrent fetches to one host; 0 means DefaultPerHost.
	PerHost int
	// Proxy picks the proxy of a request for the default transport; nil
	// means http.ProxyFromEnvironment (HTTP_PROXY, HTTPS_PROXY, NO_PROXY).
	Proxy func(*http.Request) (*url.URL, error)
	// MaxBodyBytes bounds the body both as received and after
	// decompression. 0 means DefaultMaxBodyBytes.
	MaxBodyBytes int64
	// MaxHTMLBytes bounds a body that is an HTML page (a list page, a page
	// advertising a feed, an article), once decompressed; a feed keeps
	// MaxBodyBytes. The page is recognised by its markup, not its
	// Content-Type: feeds are often sent as text/html. 0 means
	// DefaultMaxHTMLBytes.
	MaxHTMLBytes int64
	// UserAgent is sent on every request. "" means
	// "Tributary/<Version> (+https://github.com/tributary-rss/tributary)".
	UserAgent string
	// Version goes into the default UserAgent. "" means "dev".
	Version string
	// Transport performs the requests. nil means a tuned *http.Transport
	// (see NewTransport). Restricted requests never use it.
	Transport http.RoundTripper
	// Policy decides which addresses restricted requests (Request.
	// Restricted) may connect to; nil means DenyPrivate. Resolver looks
	// their host names up; nil means net.DefaultResolver.
	Policy   AddrPolicy
	Resolver Resolver
	// AllowListeners are listeners (address and port, exactly) that
	// restricted requests may connect to although Policy forbids their
	// address: `tributary demo` allows its own sample server on
	// loopback and nothing else. Another port of the same address stays
	// forbidden. Empty for every other use.
	AllowListeners []netip.AddrPort
}

// Request names a feed URL and the validators from its last successful fetch.
type Request struct {
	URL          string
	ETag         string
	LastModified string
	// Headers are extra request headers (a source's API key, a cookie).
	// They cannot replace the conditional-GET or encoding headers. They,
	// and any Cookie or Authorization, are sent only to URL's origin
	// (scheme, host and port): a redirect elsewhere drops them (see
	// checkRedirect). A User-Agent among them is kept everywhere.
	Headers map[string]string
	// BodyHash is the Response.BodyHash of the last body; a body hashing
	// the same is neither converted nor returned (Response.SameBody).
	BodyHash string
	// Restricted fetches connect only to addresses Options.Policy allows,
	// checked on the resolved address of every connection (redirects
	// included), and never through a proxy, whose own address the check
	// would see instead of the feed's. Sources added through the admin API
	// are fetched this way.
	Restricted bool
}

// Response is the outcome of a successful (2xx or 304) fetch.
type Response struct {
	// URL is the final URL after redirects.
	URL        string
	StatusCode int
	// NotModified is true on a 304; Body is then nil.
	NotModified bool
	// Body is UTF-8, its XML declaration's encoding says utf-8 and it holds
	// no characters illegal in XML 1.0. An HTML page is decoded as browsers
	// do (its <meta charset> counts) and keeps its declarations as written.
	Body []byte
	// ETag and LastModified are the validators to send next time. On a 304
	// without them, the request's validators are kept.
	ETag         string
	LastModified string
	ContentType  string
	// Charset is the charset the body was converted from ("utf-8" when it
	// already was UTF-8); empty on a 304.
	Charset string
	// PermanentURL is where the leading run of permanent redirects
	// (301/308) led; "" when the first hop was temporary or there was none.
	PermanentURL string
	// Cache holds the freshness hints of the response (also on a 304).
	Cache CacheHints
	// BodyHash is the hex SHA-256 of the body as received (after gzip
	// decompression, before charset conversion); empty on a 304.
	BodyHash string
	// SameBody is true when BodyHash equals Request.BodyHash: many
	// servers ignore validators, and an identical body cannot hold news,
	// so Body is nil and no conversion was done.
	SameBody bool
}

// Fetcher does bounded conditional GETs. It is safe for concurrent use.
type Fetcher struct {
	client    *http.Client
	guarded   *http.Client // for Request.Restricted
	timeouts  timeouts
	maxBody   int64
	maxHTML   int64
	userAgent string
	hosts     *HostLimiter
}

// New returns a Fetcher with opts' zero fields set to their defaults.
func New(opts Options) *Fetcher {
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultTimeout
	}
	if opts.ConnectTimeout <= 0 {
		opts.ConnectTimeout = DefaultConnectTimeout
	}
	if opts.HeaderTimeout <= 0 {
		opts.HeaderTimeout = DefaultHeaderTimeout
	}
	if opts.PerHost <= 0 {
		opts.PerHost = DefaultPerHost
	}
	if opts.MaxBodyBytes <= 0 {
		opts.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if opts.MaxHTMLBytes <= 0 {
		opts.MaxHTMLBytes = DefaultMaxHTMLBytes
	}
	if opts.Version == "" {
		opts.Version = "dev"
	}
	if opts.UserAgent == "" {
		opts.UserAgent = "Tributary/" + opts.Version + " (+https://github.com/tributary-rss/tributary)"
	}
	if opts.Transport == nil {
		opts.Transport = newTransport(opts)
	}
	guarded := newTransport(opts)
	guarded.Proxy = nil
	gd := newGuardedDialer(opts.ConnectTimeout, opts.Resolver, opts.Policy)
	gd.allow = opts.AllowListeners
	guarded.DialContext = gd.DialContext
	return &Fetcher{
		client:    &http.Client{Transport: opts.Transport, CheckRedirect: checkRedirect},
		guarded:   &http.Client{Transport: guarded, CheckRedirect: checkRedirect},
		timeouts:  timeouts{total: opts.Timeout, connect: opts.ConnectTimeout, header: opts.HeaderTimeout},
		maxBody:   opts.MaxBodyBytes,
		maxHTML:   opts.MaxHTMLBytes,
		userAgent: opts.UserAgent,
		hosts:     NewHostLimiter(opts.PerHost),
	}
}

// newTransport is the transport New uses. Compression is disabled because
// Fetch asks for gzip and decompresses itself, so that MaxBodyBytes also
// bounds the decompressed size (a gzip bomb is cut off).
func newTransport(opts Options) *http.Transport {
	proxy := opts.Proxy
	if proxy == nil {
		proxy = http.ProxyFromEnvironment
	}
	connect := cmp.Or(opts.ConnectTimeout, DefaultConnectTimeout)
	return &http.Transport{
		Proxy:                 proxy,
		DialContext:           (&net.Dialer{Timeout: connect, KeepAlive: 30 * time.Second}).DialContext,
		ForceAttemptHTTP2:     true, // a custom DialContext turns HTTP/2 off otherwise
		TLSHandshakeTimeout:   connect,
		ResponseHeaderTimeout: cmp.Or(opts.HeaderTimeout, DefaultHeaderTimeout),
		MaxIdleConnsPerHost:   cmp.Or(opts.PerHost, DefaultPerHost),
		IdleConnTimeout:       90 * time.Second,
		DisableCompression:    true,
	}
}

// Fetch GETs req.URL, sending req's validators. A 304 returns a Response with
// NotModified set; any other non-2xx status returns an error wrapping a
// *StatusError; a body over the limit returns an error wrapping
// ErrBodyTooLarge. Errors read "fetch <url>: ...".
//
// It waits for a slot of the URL's host first (Options.PerHost); the
// timeout starts once it has one.
func (f *Fetcher) Fetch(ctx context.Context, req Request) (*Response, error) {
	parent := ctx
	u, err := url.Parse(req.URL)
	if err != nil {
		return nil, &Error{URL: req.URL, Reason: "bad URL: " + err.Error(), msg: err.Error(), Err: err}
	}
	release, err := f.hosts.Acquire(ctx, u.Host)
	if err != nil {
		return nil, f.wrapErr(parent, ctx, req.URL, err)
	}
	defer release()
	ctx, cancel := context.WithTimeout(ctx, f.timeouts.total)
	defer cancel()
	redirects := &redirectLog{private: privateHeaders(req.Headers)}
	httpReq, err := f.newRequest(withRedirectLog(ctx, redirects), req)
	if err != nil {
		return nil, &Error{URL: req.URL, Reason: err.Error(), msg: err.Error(), Err: err}
	}
	client := f.client
	if req.Restricted {
		client = f.guarded
	}
	resp, err := client.Do(httpReq)
	if err != nil {
		return nil, f.wrapErr(parent, ctx, req.URL, err)
	}
	defer drainAndClose(resp.Body)
	res, err := f.handle(resp, req)
	if err != nil {
		return nil, f.wrapErr(parent, ctx, req.URL, err)
	}
	res.PermanentURL = redirects.permanent
	return res, nil
}

func (f *Fetcher) newRequest(ctx context.Context, req Request) (*http.Request, error) {
	httpReq, err := http.NewRequestWithContext(ctx, http.MethodGet, req.URL, nil)
	if err != nil {
		return nil, err
	}
	h := httpReq.Header
	for k, v := range req.Headers {
		h.Set(k, v)
	}
	h.Set("User-Agent", cmp.Or(req.Headers["User-Agent"], f.userAgent))
	h.Set("Accept", acceptHeader)
	h.Set("Accept-Encoding", "gzip")
	if req.ETag != "" {
		h.Set("If-None-Match", req.ETag)
	}
	if req.LastModified != "" {
		h.Set("If-Modified-Since", req.LastModified)
	}
	return httpReq, nil
}

func (f *Fetcher) handle(resp *http.Response, req Request) (*Response, error) {
	res := &Response{
		URL:          resp.Request.URL.String(),
		StatusCode:   resp.StatusCode,
		ETag:         resp.Header.Get("ETag"),
		LastModified: resp.Header.Get("Last-Modified"),
		ContentType:  resp.Header.Get("Content-Type"),
		Cache:        parseCacheHints(resp.Header),
	}
	if resp.StatusCode == http.StatusNotModified {
		res.NotModified = true
		// RFC 9110 §15.4.5 asks servers to repeat validators on a 304, but
		// not all do; keeping the old ones lets callers store res as is.
		res.ETag = cmp.Or(res.ETag, req.ETag)
		res.LastModified = cmp.Or(res.LastModified, req.LastModified)
		return res, nil
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return nil, newStatusError(resp)
	}
	raw, err := readBody(resp, f.maxBody)
	if err != nil {
		return nil, err
	}
	if int64(len(raw)) > f.maxHTML && charset.DecodesAsHTML(raw, res.ContentType) {
		return nil, &LimitError{Limit: f.maxHTML, HTML: true, Detail: htmlLimitReason(f.maxHTML)}
	}
	sum := sha256.Sum256(raw)
	res.BodyHash = hex.EncodeToString(sum[:])
	if req.BodyHash != "" && res.BodyHash == req.BodyHash {
		res.SameBody = true
		return res, nil
	}
	body, cs, err := charset.Decode(raw, res.ContentType)
	if err != nil {
		return nil, err
	}
	res.Body = StripInvalidXML(body)
	res.Charset = cs
	return res, nil
}

// wrapErr adds the URL and, when Fetch's own deadline fired (rather than the
// caller's deadline or cancellation), says so plainly. The *url.Error layer
// is dropped: it repeats the URL and the method.
func (f *Fetcher) wrapErr(parent, ctx context.Context, rawURL string, err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	own := parent.Err() == nil && errors.Is(ctx.Err(), context.DeadlineExceeded)
	e := &Error{URL: rawURL, Reason: classify(err, own, f.timeouts), msg: err.Error(), Err: err}
	if own {
		e.msg = fmt.Sprintf("timeout after %s: %v", f.timeouts.total, err)
	}
	return e
}

// drainAndClose reads a little of what is left so the connection can be
// reused, without reading an unbounded body.
func drainAndClose(body io.ReadCloser) {
	_, _ = io.Copy(io.Discard, io.LimitReader(body, 4<<10))
	_ = body.Close()
}
