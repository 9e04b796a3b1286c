package publish

import (
	"bytes"
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/publish/i18n"
)

//go:embed templates/*.html static/style.css static/embed.css static/widget.js static/embed-frame.js static/feed.xsl
var assets embed.FS

// contentSecurityPolicy allows no script at all and styles only from our
// own stylesheet; article images may come from anywhere. Pages add the
// operator's stylesheet to style-src (see pageSecurityPolicy).
const contentSecurityPolicy = "default-src 'none'; style-src 'self'; img-src 'self' https: http: data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

// pageSummaryRunes cuts summaries on the section page, like a portal's
// headline column; the feeds carry them whole.
const pageSummaryRunes = 160

// indexHeadlines is how many of each section's newest entries the index
// shows.
const indexHeadlines = 5

// formatIndex is a section's part of the index (its newest headlines and
// entry count): an HTML fragment cached per section like any render, so
// the index costs no store round trip while nothing changes. It has no URL
// of its own.
const formatIndex format = "index"

// pages holds the parsed templates and the static assets.
type pages struct {
	tmpl     *template.Template
	css      staticAsset
	embedCSS staticAsset
	frameJS  staticAsset
	feedXSL  staticAsset
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
		frameJS:  mustAsset("static/embed-frame.js"),
		feedXSL:  mustAsset("static/feed.xsl"),
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
	// Subscribe is the subscribe page (see subscribe.go).
	Subscribe string
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
		Subscribe: page + "/subscribe",
	}
}

// pageChrome is what every full HTML page shows around its content: the
// site's identity, the language and the way home.
type pageChrome struct {
	Stylesheet, Generator string
	L                     i18n.Lang
	Site                  siteView
	// Index is the index's URL, carrying ?lang when the request set it.
	Index string
}

func (s *Server) chrome(lang, langParam string) pageChrome {
	return pageChrome{
		Stylesheet: s.pathPrefix + "/static/style.css",
		Generator:  feedData{Version: s.opts.Version}.generator(),
		L:          i18n.Lang(lang),
		Site:       s.site,
		Index:      withLang(s.pathPrefix+"/", langParam),
	}
}

type indexView struct {
	pageChrome
	OPML     string
	Sections []indexSection
}

// indexSection is a section on the index: its links and, when the store
// answered, its newest headlines and entry count.
type indexSection struct {
	sectionLinks
	Headlines template.HTML
}

// headlinesView is a section's part of the index (formatIndex).
type headlinesView struct {
	L i18n.Lang
	// Count is the section's number of entries; -1 when the store cannot
	// count them.
	Count   int64
	Entries []entryView
}

// handleIndex renders the index: the site's identity, then each section
// with its newest headlines, from each section's cached fragment.
func (s *Server) handleIndex(w http.ResponseWriter, r *http.Request) {
	q, lang, err := s.pageLang(r)
	if err != nil {
		s.errorPage(w, r, http.StatusBadRequest, err.Error())
		return
	}
	langParam := q.Get("lang")
	v := indexView{pageChrome: s.chrome(lang, langParam), OPML: s.pathPrefix + "/opml"}
	// One wait for a render slot for the whole index, not one per
	// section: when renders are busy, the sections it cannot render in
	// time are listed without headlines.
	waitUntil := time.Now().Add(s.opts.RenderWait)
	for _, sec := range s.cat().list {
		links := s.sectionLinks(sec)
		links.Page = withLang(links.Page, langParam)
		links.Subscribe = withLang(links.Subscribe, langParam)
		v.Sections = append(v.Sections, indexSection{sectionLinks: links, Headlines: s.indexHeadlines(r, sec, lang, waitUntil)})
	}
	var buf bytes.Buffer
	if err := s.pages.tmpl.ExecuteTemplate(&buf, "index.html", v); err != nil {
		s.log.Error("render index", "error", err)
		s.errorPage(w, r, http.StatusInternalServerError, "internal error")
		return
	}
	h := w.Header()
	for k, v := range s.headers[formatHTML] {
		h[k] = v
	}
	h.Set("Content-Type", formatHTML.contentType())
	_, _ = w.Write(buf.Bytes())
}

// indexHeadlines is sec's cached fragment, or nothing when the store is
// down and nothing was cached, or no render slot was free by waitUntil:
// the index still lists the section.
func (s *Server) indexHeadlines(r *http.Request, sec model.Section, lang string, waitUntil time.Time) template.HTML {
	key := cacheKey{section: sec.ID, format: formatIndex, limit: indexHeadlines, lang: lang, year: s.currentYear(sec), conf: s.cat().conf[sec.ID]}
	pq := pageQuery{limit: indexHeadlines}
	rend, _, err := s.rendering(r.Context(), sec, key, pq, waitUntil)
	if err != nil {
		if !errors.Is(err, errRendersBusy) {
			// The gate logs its refusals once, not once per section.
			s.log.Warn("index without headlines", "section_id", sec.ID, "error", err)
		}
		return ""
	}
	// The fragment is our own html/template output.
	return template.HTML(rend.plain.body)
}

func (s *Server) renderIndexSection(d feedData) ([]byte, error) {
	v := headlinesView{L: i18n.Lang(d.Lang), Count: d.Count, Entries: s.entryViews(d, 0)}
	var buf bytes.Buffer
	buf.Grow(d.SizeHint)
	if err := s.pages.tmpl.ExecuteTemplate(&buf, "headlines", v); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
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
	pageChrome
	Lang    string
	Section sectionLinks
	Entries []entryView
	// Next and Newest are the paging links; empty when not applicable.
	Next, Newest string
}

// entryView is an entry as pages show it. Date is in the section's zone
// and the operator's layout; DateTime is the same instant in RFC 3339 with
// the zone's offset.
type entryView struct {
	Title, Link, Source, Summary string
	Date, DateTime               string
	// Pinned marks an entry an editor pinned to the top.
	Pinned bool
}

func (s *Server) renderSectionPage(d feedData) ([]byte, error) {
	links := s.sectionLinks(d.Section)
	v := sectionView{
		pageChrome: s.chrome(d.Lang, d.LangParam),
		Lang:       d.language(),
		Section:    links,
		Entries:    s.entryViews(d, pageSummaryRunes),
	}
	v.Generator = d.generator()
	v.Section.Subscribe = withLang(links.Subscribe, d.LangParam)
	if d.Next != nil {
		v.Next = withQuery(links.Page, withLangValues(d.Query.nextValues(*d.Next), d.LangParam))
	}
	if d.Query.before != "" {
		v.Newest = withQuery(links.Page, withLangValues(d.Query.firstValues(), d.LangParam))
	}
	var buf bytes.Buffer
	buf.Grow(d.SizeHint)
	if err := s.pages.tmpl.ExecuteTemplate(&buf, "section.html", v); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// entryViews prepares entries for a page: dates in the section's zone and
// the operator's layout, summaries cut to summaryRunes.
func (s *Server) entryViews(d feedData, summaryRunes int) []entryView {
	out := make([]entryView, 0, len(d.Entries))
	for _, e := range d.Entries {
		t := entryPublished(e)
		out = append(out, entryView{
			Title:    e.Title,
			Link:     d.pageLink(e),
			Source:   e.SourceTitle,
			Summary:  cutText(e.Summary, summaryRunes),
			Date:     d.Dates.format(t),
			DateTime: d.Dates.in(t).Format(time.RFC3339),
		})
	}
	for i := range min(d.Pinned, len(out)) {
		out[i].Pinned = true
	}
	return out
}

func withQuery(path string, v url.Values) string {
	if len(v) == 0 {
		return path
	}
	return path + "?" + v.Encode()
}

// withLang adds ?lang to a page link when the request chose the language
// in its URL, so following links keeps it.
func withLang(path, langParam string) string {
	if langParam == "" {
		return path
	}
	return path + "?lang=" + url.QueryEscape(langParam)
}

func withLangValues(v url.Values, langParam string) url.Values {
	if langParam != "" {
		v.Set("lang", langParam)
	}
	return v
}

// SectionSizer is what the index needs to show entry counts: the number
// of entries of each section in one round trip. The store implements it;
// a reader without it gives an index without counts.
type SectionSizer interface {
	SectionSizes(ctx context.Context, sectionIDs []string) (map[string]int64, error)
}

// sectionCount is the section's entry count, or -1 when it cannot be read
// (the headlines are still worth showing).
func (s *Server) sectionCount(ctx context.Context, id string) int64 {
	if s.sizer == nil {
		return -1
	}
	sizes, err := s.sizer.SectionSizes(ctx, []string{id})
	if err != nil {
		s.log.Warn("count section entries", "section_id", id, "error", err)
		return -1
	}
	return sizes[id]
}

func sizerOf(r EntryReader) SectionSizer {
	if z, ok := r.(SectionSizer); ok {
		return z
	}
	return nil
}

// cutText shortens s to at most n runes, ending in "…" when cut; n <= 0
// keeps it whole.
func cutText(s string, n int) string {
	if n <= 0 {
		return s
	}
	i := 0
	for pos := range s {
		if i == n {
			return strings.TrimSpace(s[:pos]) + "…"
		}
		i++
	}
	return s
}
