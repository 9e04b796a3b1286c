package publish

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"html/template"
	"net/http"
	"strings"
	"time"

	"github.com/tributary-rss/tributary/aggregator/model"
)

//go:embed templates/*.html static/style.css
var assets embed.FS

// contentSecurityPolicy allows no script at all and styles only from our
// own stylesheet; article images may come from anywhere.
const contentSecurityPolicy = "default-src 'none'; style-src 'self'; img-src 'self' https: http: data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

// pages holds the parsed templates and the stylesheet with its ETag.
type pages struct {
	tmpl     *template.Template
	css      []byte
	cssETag  string
	cssMTime time.Time
}

func mustParsePages() *pages {
	tmpl := template.Must(template.ParseFS(assets, "templates/*.html"))
	css, err := assets.ReadFile("static/style.css")
	if err != nil {
		panic("publish: embedded stylesheet missing: " + err.Error())
	}
	sum := sha256.Sum256(css)
	return &pages{tmpl: tmpl, css: css, cssETag: `"` + hex.EncodeToString(sum[:8]) + `"`}
}

func setPageSecurityHeaders(h http.Header) {
	h.Set("Content-Security-Policy", contentSecurityPolicy)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "strict-origin-when-cross-origin")
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
	Lang, Stylesheet, Generator string
	Sections                    []sectionLinks
}

func (s *Server) handleIndex(w http.ResponseWriter, r *http.Request) {
	v := indexView{
		Lang:       DefaultLanguage,
		Stylesheet: s.pathPrefix + "/static/style.css",
		Generator:  feedData{Version: s.opts.Version}.generator(),
	}
	if len(s.opts.Sections) > 0 && s.opts.Sections[0].Language != "" {
		v.Lang = s.opts.Sections[0].Language
	}
	for _, sec := range s.opts.Sections {
		v.Sections = append(v.Sections, s.sectionLinks(sec))
	}
	var buf bytes.Buffer
	if err := s.pages.tmpl.ExecuteTemplate(&buf, "index.html", v); err != nil {
		s.log.Error("render index", "error", err)
		writeText(w, http.StatusInternalServerError, "internal error")
		return
	}
	h := w.Header()
	setPageSecurityHeaders(h)
	h.Set("Content-Type", formatHTML.contentType())
	h.Set("Cache-Control", cacheControl)
	_, _ = w.Write(buf.Bytes())
}

func (s *Server) handleStyle(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Type", "text/css; charset=utf-8")
	h.Set("Cache-Control", "public, max-age=86400")
	h.Set("ETag", s.pages.cssETag)
	h.Set("X-Content-Type-Options", "nosniff")
	http.ServeContent(w, r, "style.css", s.pages.cssMTime, bytes.NewReader(s.pages.css))
}

type sectionView struct {
	Lang, Stylesheet, Index, Generator string
	Section                            sectionLinks
	Entries                            []entryView
}

type entryView struct {
	Title, Link, Source, Summary string
	Date, DateTime               string
}

func (s *Server) renderSectionPage(d feedData) ([]byte, error) {
	v := sectionView{
		Lang:       d.language(),
		Stylesheet: s.pathPrefix + "/static/style.css",
		Index:      s.pathPrefix + "/",
		Generator:  d.generator(),
		Section:    s.sectionLinks(d.Section),
	}
	layout := dateLayout(d.language())
	for _, e := range d.Entries {
		t := entryPublished(e).In(s.opts.Location)
		v.Entries = append(v.Entries, entryView{
			Title:    e.Title,
			Link:     e.Link,
			Source:   e.SourceTitle,
			Summary:  e.Summary,
			Date:     t.Format(layout),
			DateTime: t.Format(time.RFC3339),
		})
	}
	var buf bytes.Buffer
	if err := s.pages.tmpl.ExecuteTemplate(&buf, "section.html", v); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// dateLayout gives Chinese readers 10月17日 and everyone else ISO dates.
func dateLayout(lang string) string {
	l := strings.ToLower(lang)
	if l == "zh" || strings.HasPrefix(l, "zh-") || strings.HasPrefix(l, "zh_") {
		return "1月2日"
	}
	return "2006-01-02"
}
