package publish

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"time"

	"github.com/tributary-rss/tributary/aggregator/model"
)

// An entry's article page, /sections/{id}/entries/{eid}, shows the whole
// entry on the portal, in the site's look: its title, its source (linked
// to the member's site), its date in the section's zone, its content (the
// fetched article when the source has content.fetch, else what the feed
// gave, else the summary) and the link to the original. A section with
// link_to: portal links its entries here from every output.
//
// The page is a render like a section's: cached per (section, entry,
// language) at the section's version within the render cache's budget,
// with the same ETag, 304 and gzip handling, and dropped when the section
// changes (an entry hidden or updated bumps the version), so a hit costs
// no store round trip. A miss reads the entry through the section, so an
// entry the section does not show (hidden, held for review, trimmed,
// another section's) is 404 like an unknown one.

// formatArticle is an entry's article page.
const formatArticle format = "article"

// maxEntryIDLen bounds the entry id of an article URL. Ids are 16 hex
// digits (model.EntryID); anything much longer is not worth a store
// round trip.
const maxEntryIDLen = 64

// ArticleReader reads one entry as a section shows it: model.ErrNoEntry
// for an entry the section does not show. The store implements it; a
// reader without it serves no article pages (404).
type ArticleReader interface {
	SectionEntry(ctx context.Context, sectionID, entryID string) (model.Entry, error)
}

// articleURL is the absolute URL of an entry's article page.
func articleURL(baseURL, sectionID, entryID string) string {
	return baseURL + "/sections/" + sectionID + "/entries/" + url.PathEscape(entryID)
}

// pageLink is where a page, the iframe or the index links e: as
// entryLink, and an article page keeps the request's ?lang.
func (d feedData) pageLink(e model.Entry) string {
	if d.Section.LinksToPortal() {
		return withLang(d.articleURL(e), d.LangParam)
	}
	return e.Link
}

// articleReader is the store behind the server's reader, when it can read
// one entry.
func (s *Server) articleReader() ArticleReader {
	r := EntryReader(s.reader)
	if pr, ok := r.(publicReader); ok {
		r = pr.EntryReader
	}
	ar, _ := r.(ArticleReader)
	return ar
}

// validEntryID reports whether id can name an entry: ids are short and
// URL-safe, so anything else is 404 without asking the store.
func validEntryID(id string) bool {
	if id == "" || len(id) > maxEntryIDLen {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// handleArticle serves /sections/{id}/entries/{eid}.
func (s *Server) handleArticle(w http.ResponseWriter, r *http.Request) {
	fail := func(w http.ResponseWriter, code int, msg string) { s.errorPage(w, r, code, msg) }
	id, eid := r.PathValue("id"), r.PathValue("eid")
	sec, ok := s.cat().sections[id]
	if !ok {
		fail(w, http.StatusNotFound, fmt.Sprintf("unknown section %q", id))
		return
	}
	if !validEntryID(eid) || s.articleReader() == nil {
		fail(w, http.StatusNotFound, fmt.Sprintf("no entry %q in section %q", eid, id))
		return
	}
	q, lang, err := s.pageLang(r)
	if err != nil {
		fail(w, http.StatusBadRequest, err.Error())
		return
	}
	key := cacheKey{section: sec.ID, format: formatArticle, entry: eid, lang: lang, langParam: q.Get("lang"),
		year: s.currentYear(sec), conf: s.cat().conf[sec.ID]}
	rend, stale, err := s.articleRendering(r.Context(), sec, key, time.Now().Add(s.opts.RenderWait))
	if errors.Is(err, model.ErrNoEntry) {
		fail(w, http.StatusNotFound, fmt.Sprintf("no entry %q in section %q", eid, id))
		return
	}
	if err != nil {
		s.renderFailed(w, key, err, fail)
		return
	}
	writeRendering(w, r, rend, stale)
}

// articleRendering is rendering (section.go) for an article page: the
// cached render of key, else one render at the section's current version,
// else, when the store fails, any older render of it. An entry gone from
// the section is an answer, not a failure.
func (s *Server) articleRendering(ctx context.Context, sec model.Section, key cacheKey, waitUntil time.Time) (*rendering, bool, error) {
	if rend := s.cachedHit(key); rend != nil {
		return rend, false, nil
	}
	return s.renderMiss(ctx, sec, key, waitUntil,
		func(ctx context.Context, meta model.SectionMeta) (*rendering, error) {
			return s.renderArticle(ctx, sec, key, meta)
		},
		func(err error) bool { return errors.Is(err, model.ErrNoEntry) })
}

// articlePageView is what article.html shows.
type articlePageView struct {
	pageChrome
	// Lang is the section's language, the entry's text's.
	Lang    string
	Section sectionLinks
	Title   string
	// Source names the member; SourceHome links its site (empty: none).
	Source, SourceHome string
	// Author is shown when the entry names one besides its source.
	Author         string
	Date, DateTime string
	// Content is the entry's sanitized HTML; Summary is shown, as text,
	// when there is none. Image illustrates an entry without content.
	Content template.HTML
	Summary string
	Image   string
	// Original is the article on the member's site (empty: none).
	Original string
	// Cut is set when the content was left out as too large for a page.
	Cut bool
}

// renderArticle reads the entry through its section and renders its page.
func (s *Server) renderArticle(ctx context.Context, sec model.Section, key cacheKey, meta model.SectionMeta) (*rendering, error) {
	e, err := s.articleReader().SectionEntry(ctx, sec.ID, key.entry)
	if err != nil {
		return nil, fmt.Errorf("read entry %s of section %s: %w", key.entry, sec.ID, err)
	}
	// Every public output shows entries without the source's credentials.
	e = publicEntry(e, s.secret)
	v := s.newArticlePageView(sec, key, e)
	body, err := s.executeArticle(v)
	if err != nil {
		return nil, fmt.Errorf("render article %s of section %s: %w", e.ID, sec.ID, err)
	}
	if int64(len(body)) > s.opts.MaxPageBytes && v.Content != "" {
		// The ingest limits keep content far below the page bound by
		// default; an operator who set them the other way round gets the
		// summary and the way to the original rather than a page no
		// budget can hold.
		s.log.Warn("article over max_page_bytes, shown without its content", "section_id", sec.ID,
			"entry_id", e.ID, "bytes", len(body), "max_page_bytes", s.opts.MaxPageBytes)
		v.Content, v.Cut = "", true
		if body, err = s.executeArticle(v); err != nil {
			return nil, fmt.Errorf("render article %s of section %s: %w", e.ID, sec.ID, err)
		}
	}
	return newRendering(key, meta, body, s.headers[formatHTML])
}

func (s *Server) newArticlePageView(sec model.Section, key cacheKey, e model.Entry) articlePageView {
	d := feedData{Section: sec, BaseURL: s.opts.BaseURL, Version: s.opts.Version}
	dates := s.dateStyle(sec, key.year)
	links := s.sectionLinks(sec)
	links.Page = withLang(links.Page, key.langParam)
	t := entryPublished(e)
	v := articlePageView{
		pageChrome: s.chrome(key.lang, key.langParam),
		Lang:       d.language(),
		Section:    links,
		Title:      e.Title,
		Source:     e.SourceTitle,
		SourceHome: e.SourceLink,
		Date:       dates.format(t),
		DateTime:   dates.in(t).Format(time.RFC3339),
		// Content is sanitized at ingest (and scrubbed of the source's
		// credentials by publicEntry): it is shown as the HTML it is.
		Content:  template.HTML(e.Content),
		Original: e.Link,
	}
	v.Generator = d.generator()
	if e.Author != e.SourceTitle {
		v.Author = e.Author
	}
	// Shown only without content (template), or when it is cut.
	v.Summary, v.Image = e.Summary, e.Image
	if v.Title == "" {
		v.Title = v.L.T("article.untitled")
	}
	return v
}

func (s *Server) executeArticle(v articlePageView) ([]byte, error) {
	var buf bytes.Buffer
	if err := s.pages.tmpl.ExecuteTemplate(&buf, "article.html", v); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// listPageSources are the ids of the sources configured as list pages.
func listPageSources(sources []model.Source) map[string]bool {
	out := map[string]bool{}
	for _, src := range sources {
		if src.Scrape != nil {
			out[src.ID] = true
		}
	}
	return out
}

// articleLinkBytes bounds what linking an entry to its article page adds
// to a render of sec (see pagebytes.go): the URL, escaped and with ?lang,
// on pages once and in feeds twice, where the original stays as well.
func articleLinkBytes(baseURL string, sec model.Section) int64 {
	if !sec.LinksToPortal() {
		return 0
	}
	n := len(articleURL(baseURL, sec.ID, "")) + maxEntryIDLen + len("?lang=zh")
	return 2 * 6 * int64(n)
}
