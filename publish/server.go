package publish

import (
	"context"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/tributary-rss/tributary/aggregator/model"
)

// DefaultLimit is how many entries a feed or page shows when the request
// sets no ?limit (capped by the section's MaxItems).
const DefaultLimit = 50

// DefaultLanguage is used for a section whose Language is empty, matching the
// config default; an empty xml:lang is invalid Atom.
const DefaultLanguage = "zh-CN"

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
	// Location formats dates on HTML pages; nil means UTC.
	Location *time.Location
}

// Server serves the HTML index, the section pages and feeds, and health.
// It is safe for concurrent use.
type Server struct {
	reader   EntryReader
	opts     Options
	log      *slog.Logger
	sections map[string]model.Section
	// pathPrefix is BaseURL's path, so HTML links stay same-origin (the CSP
	// allows only 'self' styles) yet work behind a path-prefix proxy.
	pathPrefix string
	pages      *pages
	cache      *renderCache
	mux        *http.ServeMux
}

// NewServer returns a Server reading from r. It panics only if the embedded
// templates do not parse, which the package tests rule out.
func NewServer(r EntryReader, opts Options) *Server {
	opts.BaseURL = strings.TrimRight(opts.BaseURL, "/")
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Location == nil {
		opts.Location = time.UTC
	}
	s := &Server{
		reader:     r,
		opts:       opts,
		log:        opts.Logger,
		sections:   make(map[string]model.Section, len(opts.Sections)),
		pathPrefix: basePath(opts.BaseURL),
		pages:      mustParsePages(),
		cache:      newRenderCache(),
	}
	for _, sec := range opts.Sections {
		s.sections[sec.ID] = sec
	}
	s.mux = s.routes()
	return s
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
	mux.HandleFunc("GET /static/style.css", s.handleStyle)
	mux.HandleFunc("GET /healthz", s.handleHealth)
	mux.HandleFunc("GET /readyz", s.handleReady)
	return mux
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
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

func (s *Server) handleReady(w http.ResponseWriter, r *http.Request) {
	if s.opts.Ready != nil {
		if err := s.opts.Ready(r.Context()); err != nil {
			writeText(w, http.StatusServiceUnavailable, "not ready: "+err.Error())
			return
		}
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
