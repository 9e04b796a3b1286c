package publish

import (
	"context"
	"log/slog"
	"net/http"
	"net/netip"
	"net/url"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/aggregator/urlsecret"
)

// DefaultLimit is how many entries a feed or page shows when the request
// sets no ?limit (capped by the section's MaxItems).
const DefaultLimit = 50

// DefaultLanguage is used for a section whose Language is empty, matching the
// config default; an empty xml:lang is invalid Atom.
const DefaultLanguage = "zh-CN"

// DefaultCacheMaxAge lets readers and proxies reuse a response for five
// minutes, about the shortest poll interval worth configuring.
const DefaultCacheMaxAge = 5 * time.Minute

// DefaultRecheckInterval is how often cached renders are checked against the
// store's section versions, to catch change events lost while the pub/sub
// connection was down.
const DefaultRecheckInterval = 5 * time.Second

// DefaultCORSOrigin lets any site read the JSON API and run the widget.
const DefaultCORSOrigin = "*"

// renderTimeout bounds one render. A render is shared by every request
// waiting on the same key, so it runs detached from the request that started
// it and needs its own deadline.
const renderTimeout = 10 * time.Second

// Options configures a Server.
type Options struct {
	// BaseURL is absolute, without a trailing slash: self links are
	// BaseURL + "/sections/<id>.<ext>".
	BaseURL string
	// Sections are served in this (display) order.
	Sections []model.Section
	// Logger receives reader errors; nil discards them.
	Logger *slog.Logger
	// Version is shown in generator elements.
	Version string
	// Ready backs /readyz; nil means always ready.
	Ready func(ctx context.Context) error
	// Location shows dates of sections without a zone of their own
	// (model.Section.Location); nil means UTC.
	Location *time.Location
	// DateFormat is the Go layout of entry dates on pages, embeds and the
	// widget's data; empty means DefaultDateFormat. DateFormatCurrentYear,
	// when set, replaces it for entries of the current year.
	DateFormat, DateFormatCurrentYear string
	// Site is the operator's identity on HTML pages (see site.go).
	Site Site
	// Now is the clock of relative times on operator pages ("3 minutes
	// ago"); nil means time.Now. Tests set it to render a fixed moment.
	Now func() time.Time
	// CacheMaxAge is the max-age of Cache-Control on feeds, pages and the
	// API; zero means DefaultCacheMaxAge.
	CacheMaxAge time.Duration
	// RecheckInterval is how often Run re-reads every section's version;
	// zero means DefaultRecheckInterval.
	RecheckInterval time.Duration
	// UILang is the language of HTML pages and embeds: "zh", "en", or
	// empty to follow each request's Accept-Language (Chinese when it
	// names neither).
	UILang string
	// CORSOrigin is the Access-Control-Allow-Origin of the API and the
	// widget; empty means DefaultCORSOrigin.
	CORSOrigin string
	// WebSubHub, when set, is advertised as rel="hub" in every feed.
	WebSubHub string
	// Sources are listed in OPML, grouped by the sections that list them,
	// and on the status page.
	Sources []model.Source
	// Status, when set, serves /status and /api/v1/sources (see
	// status.go).
	Status StatusReader
	// Activity, with Status, serves the freshness report: the console's
	// /admin/freshness and its CSV, and /api/v1/admin/freshness (see
	// freshness.go).
	Activity ActivityReader
	// Metrics, when set, serves /metrics and counts render cache hits
	// (see metrics.go). Requests are counted by wrapping the Server.
	Metrics *Metrics
	// Admin and AdminToken, both set, serve the admin API under
	// /api/v1/admin/ to requests bearing the token (see admin.go).
	// Admin also keeps the count of wrong tokens for the limit every
	// token check goes through (authlimit.go); without it each instance
	// counts on its own.
	Admin      Admin
	AdminToken string
	// TrustedProxies are the reverse proxies whose X-Forwarded-For names
	// the client (http.trusted_proxies, see clientaddr.go): for the limit
	// of wrong tokens, the audit log and log lines. Empty: the peer is
	// the client.
	TrustedProxies []netip.Prefix
	// RenderCacheBytes is the render cache's budget across all sections:
	// identity and gzip bytes plus a per-render overhead, fresh and stale
	// renders alike; zero means DefaultRenderCacheBytes.
	RenderCacheBytes int64
	// MaxPageBytes bounds one render of a feed, page or API answer:
	// entries past it go to the next page (see pagebytes.go); zero means
	// DefaultMaxPageBytes.
	MaxPageBytes int64
	// RenderConcurrency is how many uncached renders run at once; a
	// request that finds them all busy waits up to RenderWait, then gets
	// 503 with Retry-After (see rendergate.go). Zero means
	// DefaultRenderConcurrency and DefaultRenderWait.
	RenderConcurrency int
	RenderWait        time.Duration
	// SecretParams are query keys ("key" or "prefix*", case-insensitive)
	// removed from source URLs in every public output, on top of the
	// built-in list (see redact.go); user:password@ is always removed.
	// /status and /api/v1/sources show URLs whole once they are the
	// operator's (an admin token is set), redacted while they are public.
	SecretParams []string
	// FullSourceURLs keeps source URLs whole in OPML: only for the
	// operator's own export (tributary opml export), never a served
	// Server.
	FullSourceURLs bool
}

// Server serves the HTML index, the section pages and feeds, and health.
// It is safe for concurrent use.
type Server struct {
	reader EntryReader
	// secret tells which query parameters of a source URL are
	// credentials (the reader redacts entries with it).
	secret urlsecret.Params
	opts   Options
	log    *slog.Logger
	// catalog holds what the config's sections and sources decide; a
	// reload swaps it whole (SetSections), so a request sees one config.
	catalog atomic.Pointer[catalog]
	// pathPrefix is BaseURL's path, so HTML links stay same-origin (the CSP
	// allows only 'self' styles) yet work behind a path-prefix proxy.
	pathPrefix string
	pages      *pages
	cache      *renderCache
	mux        *http.ServeMux
	// widget is the same for every config, built once.
	widget *rendering
	// headers holds, per format, the headers every answer carries; built
	// once so a cache hit allocates nothing for them.
	headers map[format]http.Header
	// ready runs Options.Ready; refusals logs requests refused for want
	// of the admin token (see ready.go, refusals.go).
	ready    *readiness
	refusals *refusalLog
	// opml is the served OPML with the feeds' own titles (see opml.go).
	opml liveOPML
	// confBase is what every render depends on from the server's own
	// settings (see conftag.go).
	confBase string
	// token is the admin token, swapped whole by SetAdminToken; admin
	// serves /api/v1/admin/ (see admin.go).
	token atomic.Pointer[adminToken]
	admin *adminAPI
	// clients finds a request's client; limiter limits its wrong tokens
	// (see clientaddr.go, authlimit.go).
	clients clientAddrs
	limiter *authLimiter
	// site is Options.Site as pages show it; sizer counts entries for
	// the index when the reader can (see page.go).
	site  siteView
	sizer SectionSizer
}

// NewServer returns a Server reading from r. It panics only if the embedded
// templates do not parse or the config-only documents cannot be rendered,
// which the package tests rule out.
func NewServer(r EntryReader, opts Options) *Server {
	opts.BaseURL = strings.TrimRight(opts.BaseURL, "/")
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Location == nil {
		opts.Location = time.UTC
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.CacheMaxAge <= 0 {
		opts.CacheMaxAge = DefaultCacheMaxAge
	}
	if opts.RecheckInterval <= 0 {
		opts.RecheckInterval = DefaultRecheckInterval
	}
	if opts.CORSOrigin == "" {
		opts.CORSOrigin = DefaultCORSOrigin
	}
	if opts.RenderCacheBytes <= 0 {
		opts.RenderCacheBytes = DefaultRenderCacheBytes
	}
	opts = withRenderLimits(opts)
	secret := newSecretParams(opts.SecretParams)
	s := &Server{
		reader:     publicReader{EntryReader: r, secret: secret},
		secret:     secret,
		opts:       opts,
		log:        opts.Logger,
		pathPrefix: basePath(opts.BaseURL),
		pages:      mustParsePages(),
		cache:      newRenderCache(opts.RenderCacheBytes),
	}
	s.cache.now = opts.Now
	s.cache.gate = newRenderGate(opts.RenderConcurrency, opts.RenderWait, opts.Logger)
	s.headers = buildHeaders(opts)
	s.site, s.sizer = newSiteView(opts.Site), sizerOf(r)
	if s.opts.DateFormat == "" {
		s.opts.DateFormat = DefaultDateFormat
	}
	s.ready, s.refusals = newReadiness(opts.Ready, opts.Logger), newRefusalLog(opts.Logger)
	s.initTokenLimit()
	s.confBase = serverConfTag(s.opts)
	s.SetAdminToken(opts.AdminToken)
	if err := s.buildStatic(); err != nil {
		panic("publish: " + err.Error())
	}
	if err := s.SetSections(opts.Sections, opts.Sources); err != nil {
		panic("publish: " + err.Error())
	}
	s.mux = s.routes()
	return s
}

func (s *Server) buildStatic() error {
	var err error
	s.widget, err = newStaticRendering(formatScript, s.pages.widget, s.headers[formatScript])
	return err
}

func basePath(baseURL string) string {
	u, err := url.Parse(baseURL)
	if err != nil {
		return ""
	}
	return strings.TrimRight(u.Path, "/")
}

func (s *Server) routes() *http.ServeMux {
	mux := http.NewServeMux()
	// A GET pattern also matches HEAD; net/http drops the body for HEAD.
	mux.HandleFunc("GET /{$}", s.handleIndex)
	mux.HandleFunc("GET /sections/{name}", s.handleSection)
	mux.HandleFunc("GET /sections/{id}/entries/{eid}", s.handleArticle)
	mux.HandleFunc("GET /static/style.css", s.handleStyle)
	mux.HandleFunc("GET /static/embed.css", s.handleEmbedStyle)
	mux.HandleFunc("GET /static/embed-frame.js", s.handleFrameScript)
	mux.HandleFunc("GET /static/feed.xsl", s.handleFeedXSL)
	mux.HandleFunc("GET /embed/{name}", s.handleEmbed)
	mux.HandleFunc("GET /sections/{id}/subscribe", s.handleSubscribe)
	mux.HandleFunc("GET /sections/{id}/qr.svg", s.handleQR)
	mux.HandleFunc("GET /static/subscribe.js", s.handleSubscribeScript)
	mux.HandleFunc("GET /static/subscribe.css", s.handleSubscribeStyle)
	mux.HandleFunc("GET /api/v1/sections", s.handleAPISections)
	mux.HandleFunc("GET /api/v1/sections/{id}/entries", s.handleAPIEntries)
	mux.HandleFunc("OPTIONS /api/v1/", s.handlePreflight)
	// OPTIONS too, so preflights get no CORS grant here: other sites'
	// scripts have no business with the admin API.
	s.admin = newAdminAPI(s)
	for _, m := range adminMethods {
		mux.Handle(m+" "+adminPath, s.admin)
	}
	// The web console (console.go) checks the token on every request, so
	// it is routed even while no token is set and answers 404 then.
	console := newConsole(s)
	mux.Handle("/admin", console)
	mux.Handle("/admin/", console)
	mux.HandleFunc("GET /opml", s.handleOPML)
	mux.HandleFunc("GET /healthz", s.handleHealth)
	mux.HandleFunc("GET /readyz", s.handleReady)
	s.routeMetrics(mux)
	if s.opts.Status != nil {
		mux.HandleFunc("GET /status", s.operatorOnly(s.handleStatus))
		mux.HandleFunc("GET /static/status.css", s.handleStatusStyle)
		mux.HandleFunc("GET /api/v1/sources", s.operatorOnly(s.handleAPISources))
	}
	return mux
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, adminPath) && !slices.Contains(adminMethods, r.Method) {
		// A method no pattern names would get the mux's plain-text 405;
		// the admin API answers it in JSON.
		s.admin.ServeHTTP(w, r)
		return
	}
	if s.notFoundPage(w, r) {
		return
	}
	s.mux.ServeHTTP(w, r)
}

// Invalidate drops every cached render of a section. The caller wires it to
// store change events so instances drop renders without a version check.
func (s *Server) Invalidate(sectionID string) {
	s.cache.invalidate(sectionID)
}

func (s *Server) handleHealth(w http.ResponseWriter, _ *http.Request) {
	writeText(w, http.StatusOK, "ok")
}

// handleReady answers /readyz. It is public, so a failure says only
// notReadyText or a ReadyError's reason; the error itself is logged (see
// readiness) and shown on /status.
func (s *Server) handleReady(w http.ResponseWriter, r *http.Request) {
	if err := s.ready.probe(r.Context()); err != nil {
		writeText(w, http.StatusServiceUnavailable, notReadyBody(err))
		return
	}
	writeText(w, http.StatusOK, "ok")
}

func writeText(w http.ResponseWriter, code int, msg string) {
	h := w.Header()
	h.Set("Content-Type", "text/plain; charset=utf-8")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	_, _ = w.Write([]byte(msg + "\n"))
}
