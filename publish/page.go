package publish

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"html/template"
	"net/http"
	"net/url"
	"time"

	"github.com/tributary-rss/tributary/aggregator/model"
)

//go:embed templates/*.html static/style.css static/embed.css static/widget.js
var assets embed.FS

// contentSecurityPolicy allows no script at all and styles only from our
// own stylesheet; article images may come from anywhere.
const contentSecurityPolicy = "default-src 'none'; style-src 'self'; img-src 'self' https: http: data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

// pageSummaryRunes cuts summaries on the section page, like a portal's
// headline column; the feeds carry them whole.
const pageSummaryRunes = 160

// pages holds the parsed templates and the static assets.
type pages struct {
	tmpl     *template.Template
	css      staticAsset
	embedCSS staticAsset
	widget   []byte
}

// staticAsset is an embedded file and its ETag.
type staticAsset struct {
	body []byte
	etag string
}

func mustParsePages() *pages {
	tmpl := template.Must(template.ParseFS(assets, "templates/*.html"))
	widget, err := assets.ReadFile("static/widget.js")
	if err != nil {
		panic("publish: embedded widget missing: " + err.Error())
	}
	return &pages{
		tmpl:     tmpl,
		css:      mustAsset("static/style.css"),
		embedCSS: mustAsset("static/embed.css"),
		widget:   widget,
	}
}

func mustAsset(name string) staticAsset {
	b, err := assets.ReadFile(name)
	if err != nil {
		panic("publish: embedded asset missing: " + err.Error())
	}
	return staticAsset{body: b, etag: contentETag(b)}
}

func contentETag(b []byte) string {
	sum := sha256.Sum256(b)
	return `"` + hex.EncodeToString(sum[:8]) + `"`
}

// sectionLinks are the root-relative URLs of a section's page and feeds.
type sectionLinks struct {
	ID, Title, Description string
	Page, RSS, Atom, JSON  string
}

func (s *Server) sectionLinks(sec model.Section) sectionLinks {
	page := s.pathPrefix + "/sections/" + sec.ID
	title := sec.Title
	if title == "" {
		title = sec.ID
	}
	return sectionLinks{
		ID: sec.ID, Title: title, Description: sec.Description,
		Page: page, RSS: page + ".rss", Atom: page + ".atom", JSON: page + ".json",
	}
}

type indexView struct {
	Stylesheet, Generator, OPML string
	T                           uiText
	Sections                    []sectionLinks
}

// handleIndex renders the index on every request: it needs no store and
// costs a few microseconds.
func (s *Server) handleIndex(w http.ResponseWriter, r *http.Request) {
	v := indexView{
		Stylesheet: s.pathPrefix + "/static/style.css",
		Generator:  feedData{Version: s.opts.Version}.generator(),
		OPML:       s.pathPrefix + "/opml",
		T:          textFor(s.uiLang(r)),
	}
	for _, sec := range s.cat().list {
		v.Sections = append(v.Sections, s.sectionLinks(sec))
	}
	var buf bytes.Buffer
	if err := s.pages.tmpl.ExecuteTemplate(&buf, "index.html", v); err != nil {
		s.log.Error("render index", "error", err)
		writeText(w, http.StatusInternalServerError, "internal error")
		return
	}
	h := w.Header()
	for k, v := range s.headers[formatHTML] {
		h[k] = v
	}
	h.Set("Content-Type", formatHTML.contentType())
	_, _ = w.Write(buf.Bytes())
}

func (s *Server) handleStyle(w http.ResponseWriter, r *http.Request) {
	serveAsset(w, r, "style.css", "text/css; charset=utf-8", s.pages.css)
}

func (s *Server) handleEmbedStyle(w http.ResponseWriter, r *http.Request) {
	serveAsset(w, r, "embed.css", "text/css; charset=utf-8", s.pages.embedCSS)
}

// serveAsset serves an embedded file; ServeContent answers conditional and
// range requests from the ETag.
func serveAsset(w http.ResponseWriter, r *http.Request, name, ctype string, a staticAsset) {
	h := w.Header()
	h.Set("Content-Type", ctype)
	h.Set("Cache-Control", "public, max-age=86400")
	h.Set("ETag", a.etag)
	h.Set("X-Content-Type-Options", "nosniff")
	http.ServeContent(w, r, name, time.Time{}, bytes.NewReader(a.body))
}

type sectionView struct {
	Lang, Stylesheet, Index, Generator string
	T                                  uiText
	Section                            sectionLinks
	Entries                            []entryView
	// Next and Newest are the paging links; empty when not applicable.
	Next, Newest string
}

type entryView struct {
	Title, Link, Source, Summary string
	Date, DateTime               string
}

func (s *Server) renderSectionPage(d feedData) ([]byte, error) {
	links := s.sectionLinks(d.Section)
	v := sectionView{
		Lang:       d.language(),
		Stylesheet: s.pathPrefix + "/static/style.css",
		Index:      s.pathPrefix + "/",
		Generator:  d.generator(),
		T:          textFor(d.Lang),
		Section:    links,
		Entries:    s.entryViews(d, pageSummaryRunes),
	}
	if d.Next != nil {
		v.Next = withQuery(links.Page, d.Query.nextValues(*d.Next))
	}
	if d.Query.before != "" {
		v.Newest = withQuery(links.Page, d.Query.firstValues())
	}
	var buf bytes.Buffer
	if err := s.pages.tmpl.ExecuteTemplate(&buf, "section.html", v); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// entryViews prepares entries for a page: dates in the configured zone and
// the UI language's style, summaries cut to summaryRunes.
func (s *Server) entryViews(d feedData, summaryRunes int) []entryView {
	layout := textFor(d.Lang).DateLayout
	out := make([]entryView, 0, len(d.Entries))
	for _, e := range d.Entries {
		t := entryPublished(e).In(s.opts.Location)
		out = append(out, entryView{
			Title:    e.Title,
			Link:     e.Link,
			Source:   e.SourceTitle,
			Summary:  cutText(e.Summary, summaryRunes),
			Date:     t.Format(layout),
			DateTime: t.Format(time.RFC3339),
		})
	}
	return out
}

func withQuery(path string, v url.Values) string {
	if len(v) == 0 {
		return path
	}
	return path + "?" + v.Encode()
}
