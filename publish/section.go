package publish

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/tributary-rss/tributary/aggregator/model"
)

// handleSection serves /sections/{id} and /sections/{id}.{ext}. Section ids
// are [a-z0-9-]+, so the last dot of the segment separates the extension.
func (s *Server) handleSection(w http.ResponseWriter, r *http.Request) {
	id, f, ok := splitSectionName(r.PathValue("name"))
	if !ok {
		writeText(w, http.StatusNotFound, "unknown feed format")
		return
	}
	sec, ok := s.sections[id]
	if !ok {
		writeText(w, http.StatusNotFound, fmt.Sprintf("unknown section %q", id))
		return
	}
	limit, err := parseLimit(r.URL.Query(), sec)
	if err != nil {
		writeText(w, http.StatusBadRequest, err.Error())
		return
	}
	key := cacheKey{section: id, format: f, limit: limit}
	rend, stale, err := s.rendering(r.Context(), sec, key)
	if err != nil {
		s.log.Error("serve section", "section_id", id, "format", string(f), "error", err)
		writeText(w, http.StatusServiceUnavailable, "store unavailable, try again later")
		return
	}
	writeRendering(w, r, rend, stale)
}

func splitSectionName(name string) (id string, f format, ok bool) {
	i := strings.LastIndexByte(name, '.')
	if i < 0 {
		return name, formatHTML, true
	}
	f, ok = formatByExt(name[i+1:])
	return name[:i], f, ok
}

// rendering returns the render of key at the section's current version,
// rendering it once however many requests ask at the same time. When the
// store fails it falls back to any cached render and reports it as stale.
func (s *Server) rendering(ctx context.Context, sec model.Section, key cacheKey) (*rendering, bool, error) {
	meta, err := s.reader.SectionMeta(ctx, sec.ID)
	if err != nil {
		return s.staleOr(key, fmt.Errorf("read meta of section %s: %w", sec.ID, err))
	}
	if rend := s.cache.get(key, meta.Version); rend != nil {
		return rend, false, nil
	}
	rend, err := s.cache.load(ctx, key, meta.Version, func() (*rendering, error) {
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), renderTimeout)
		defer cancel()
		return s.render(rctx, sec, key, meta)
	})
	if err != nil {
		return s.staleOr(key, err)
	}
	return rend, false, nil
}

func (s *Server) staleOr(key cacheKey, err error) (*rendering, bool, error) {
	rend := s.cache.any(key)
	if rend == nil {
		return nil, false, err
	}
	s.log.Warn("serving stale render", "section_id", key.section, "format", string(key.format), "error", err)
	return rend, true, nil
}

// render reads the entries and renders one format, plus its gzip copy.
func (s *Server) render(ctx context.Context, sec model.Section, key cacheKey, meta model.SectionMeta) (*rendering, error) {
	entries, err := s.reader.SectionEntries(ctx, sec.ID, key.limit)
	if err != nil {
		return nil, fmt.Errorf("read entries of section %s: %w", sec.ID, err)
	}
	if len(entries) > key.limit {
		entries = entries[:key.limit]
	}
	d := feedData{
		Section: sec,
		Meta:    meta,
		Entries: entries,
		BaseURL: s.opts.BaseURL,
		Version: s.opts.Version,
	}
	body, err := s.renderFormat(key.format, d)
	if err != nil {
		return nil, fmt.Errorf("render %s of section %s: %w", string(key.format), sec.ID, err)
	}
	return newRendering(key, meta, body)
}

func (s *Server) renderFormat(f format, d feedData) ([]byte, error) {
	switch f {
	case formatRSS:
		return renderRSS(d)
	case formatAtom:
		return renderAtom(d)
	case formatJSON:
		return renderJSON(d)
	default:
		return s.renderSectionPage(d)
	}
}
