package publish

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/tributary-rss/tributary/aggregator/model"
)

// handleSection serves /sections/{id}, /sections/{id}.{rss,atom,json} and
// /sections/{id}.opml. Section ids are [a-z0-9-]+, so the last dot of the
// segment separates the extension.
func (s *Server) handleSection(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	if id, ok := strings.CutSuffix(name, ".opml"); ok {
		s.handleSectionOPML(w, r, id)
		return
	}
	id, f, ok := splitSectionName(name)
	if !ok {
		writeText(w, http.StatusNotFound, "unknown feed format")
		return
	}
	s.serveSection(w, r, id, f)
}

// serveSection answers one section in format f from the render cache.
func (s *Server) serveSection(w http.ResponseWriter, r *http.Request, id string, f format) {
	fail := writeText
	if f.isPage() {
		fail = func(w http.ResponseWriter, code int, msg string) { s.formatErrorPage(w, r, f, code, msg) }
	}
	sec, ok := s.cat().sections[id]
	if !ok {
		fail(w, http.StatusNotFound, fmt.Sprintf("unknown section %q", id))
		return
	}
	key, pq, err := s.requestKey(r, sec, f)
	if err != nil {
		fail(w, http.StatusBadRequest, err.Error())
		return
	}
	rend, stale, err := s.rendering(r.Context(), sec, key, pq, time.Now().Add(s.opts.RenderWait))
	if err != nil {
		s.renderFailed(w, key, err, fail)
		return
	}
	writeRendering(w, r, rend, stale)
}

// renderFailed answers a request whose rendering failed: a cursor the
// store does not know is the client's mistake, a panic is ours, anything
// else is the store's.
func (s *Server) renderFailed(w http.ResponseWriter, key cacheKey, err error, writeText func(http.ResponseWriter, int, string)) {
	var pe *panicError
	var nse *noSourceEntriesError
	switch {
	case errors.Is(err, errRendersBusy):
		w.Header().Set("Retry-After", s.cache.gate.retryAfter())
		writeText(w, http.StatusServiceUnavailable, "busy rendering other pages, try again shortly")
	case errors.As(err, &nse):
		writeText(w, http.StatusNotFound, nse.Error())
	case errors.Is(err, model.ErrUnknownCursor):
		writeText(w, http.StatusBadRequest, queryError("before", "no such position in this section; follow a rel=\"next\" link").Error())
	case errors.As(err, &pe):
		// Every request that waited on the render gets this error; the
		// stack is logged once.
		if pe.report() {
			s.log.Error("render panicked", "section_id", key.section, "format", string(key.format),
				"panic", fmt.Sprint(pe.value), "stack", string(pe.stack))
		}
		writeText(w, http.StatusInternalServerError, "internal error while rendering")
	default:
		s.log.Error("serve section", "section_id", key.section, "format", string(key.format), "error", err)
		writeText(w, http.StatusServiceUnavailable, "store unavailable, try again later")
	}
}

// requestKey reads the query of r into a cache key. A request without a
// query string (the common case for readers) skips parsing it.
func (s *Server) requestKey(r *http.Request, sec model.Section, f format) (cacheKey, pageQuery, error) {
	var q url.Values
	if r.URL.RawQuery != "" {
		q = r.URL.Query()
	}
	pq, err := parsePageQuery(q, sec)
	if err != nil {
		return cacheKey{}, pq, err
	}
	key := cacheKey{section: sec.ID, format: f, limit: pq.limit, source: pq.source, before: pq.before, conf: s.cat().conf[sec.ID]}
	if f.isPage() {
		if key.lang, err = embedLang(q, s.uiLang(r)); err != nil {
			return cacheKey{}, pq, err
		}
		key.langParam = q.Get("lang")
	}
	if f == formatEmbed {
		if key.summary, err = parseSummary(q); err != nil {
			return cacheKey{}, pq, err
		}
		if key.theme, err = parseTheme(q); err != nil {
			return cacheKey{}, pq, err
		}
		if key.lines, err = parseLines(q); err != nil {
			return cacheKey{}, pq, err
		}
		if key.embed, err = parseEmbedStyle(q); err != nil {
			return cacheKey{}, pq, err
		}
	}
	if showsDates(f) {
		key.year = s.currentYear(sec)
	}
	return key, pq, nil
}

func splitSectionName(name string) (id string, f format, ok bool) {
	i := strings.LastIndexByte(name, '.')
	if i < 0 {
		return name, formatHTML, true
	}
	f, ok = formatByExt(name[i+1:])
	return name[:i], f, ok
}

// rendering returns the cached render of key, which is trusted until the
// section is invalidated, so a hit makes no store round trip. On a miss it
// reads the section's version and renders once however many requests ask
// at the same time, once a render slot is free (errRendersBusy when none
// is by waitUntil). When the store fails it falls back to any cached
// render and reports it as stale.
func (s *Server) rendering(ctx context.Context, sec model.Section, key cacheKey, pq pageQuery, waitUntil time.Time) (*rendering, bool, error) {
	if rend := s.cachedHit(key); rend != nil {
		return rend, false, nil
	}
	return s.renderMiss(ctx, sec, key, waitUntil,
		func(ctx context.Context, meta model.SectionMeta) (*rendering, error) {
			return s.render(ctx, sec, key, pq, meta)
		},
		// An older render is no answer to a bad cursor or to a source
		// without entries in the section.
		func(err error) bool {
			return errors.Is(err, model.ErrUnknownCursor) || errors.As(err, new(*noSourceEntriesError))
		})
}

// cachedHit is the cached render of key, counted as a hit, or nil
// (counted as a miss).
func (s *Server) cachedHit(key cacheKey) *rendering {
	if rend := s.cache.get(key); rend != nil {
		s.opts.Metrics.cacheHit()
		return rend
	}
	s.opts.Metrics.cacheMiss()
	return nil
}

// renderMiss renders key with render at the section's current version,
// once however many requests ask at the same time. Only the store's
// failures fall back to an older render of key (reported as stale): a
// bug, a busy server, or an error that is the answer itself (answer)
// is returned as it is.
func (s *Server) renderMiss(ctx context.Context, sec model.Section, key cacheKey, waitUntil time.Time,
	render func(context.Context, model.SectionMeta) (*rendering, error), answer func(error) bool) (*rendering, bool, error) {
	meta, err := s.reader.SectionMeta(ctx, sec.ID)
	if err != nil {
		return s.staleOr(key, fmt.Errorf("read meta of section %s: %w", sec.ID, err))
	}
	rend, err := s.cache.load(ctx, key, meta.Version, waitUntil, func() (*rendering, error) {
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), renderTimeout)
		defer cancel()
		return render(rctx, meta)
	})
	if err != nil && !answer(err) && !errors.As(err, new(*panicError)) && !errors.Is(err, errRendersBusy) {
		return s.staleOr(key, err)
	}
	return rend, false, err
}

func (s *Server) staleOr(key cacheKey, err error) (*rendering, bool, error) {
	rend := s.cache.any(key)
	if rend == nil {
		return nil, false, err
	}
	s.log.Warn("serving stale render", "section_id", key.section, "format", string(key.format), "error", err)
	return rend, true, nil
}

// render reads one page of entries, as many as fit the page's bytes, and
// renders one format, plus its gzip copy.
func (s *Server) render(ctx context.Context, sec model.Section, key cacheKey, pq pageQuery, meta model.SectionMeta) (*rendering, error) {
	budget := s.pageBudget(sec, key)
	page, err := s.readPage(ctx, sec, pq, budget)
	if err != nil {
		return nil, fmt.Errorf("read entries of section %s: %w", sec.ID, err)
	}
	if err := pq.checkFound(sec, page); err != nil {
		return nil, err
	}
	pins, err := s.pinPage(ctx, sec, key, pq, page, budget)
	if err != nil {
		return nil, err
	}
	d := feedData{
		Section: sec,
		Meta:    meta,
		Pinned:  pins.pinned,
		BaseURL: s.opts.BaseURL,
		Version: s.opts.Version,
		Hub:     s.opts.WebSubHub,
		Query:   pq,
		Lang:    key.lang,
		Summary: key.summary,
		Dates:   s.dateStyle(sec, key.year),
		Count:   -1,
	}
	d.PageSources = s.cat().pageSources
	d.LangParam, d.Theme, d.Lines = key.langParam, key.theme, key.lines
	if key.format == formatIndex {
		d.Count = s.sectionCount(ctx, sec.ID)
	}
	d.Embed = key.embed
	body, pins, err := s.renderWithin(key.format, d, pins, budget)
	if err != nil {
		return nil, fmt.Errorf("render %s of section %s: %w", string(key.format), sec.ID, err)
	}
	if key.format == formatIndex {
		// A fragment of the index is only ever read by handleIndex, never
		// served on its own: it needs no gzip copy and no headers.
		// Its pins make it expire like a page's render does.
		return &rendering{key: key, version: meta.Version, updated: meta.UpdatedAt, plain: variant{body: clip(body)}, expires: pins.expires}, nil
	}
	return pinnedRendering(key, meta, pins, body, s.headers[key.format])
}

func (s *Server) renderFormat(f format, d feedData) ([]byte, error) {
	switch f {
	case formatRSS:
		return renderRSS(d)
	case formatAtom:
		return renderAtom(d)
	case formatJSON:
		return renderJSON(d)
	case formatAPI:
		return renderAPIEntries(d)
	case formatEmbed:
		return s.renderEmbedPage(d)
	case formatIndex:
		return s.renderIndexSection(d)
	default:
		return s.renderSectionPage(d)
	}
}
