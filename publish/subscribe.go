package publish

import (
	"bytes"
	"embed"
	"fmt"
	"net/http"
	"strings"
)

//go:embed static/subscribe.js static/subscribe.css
var subscribeFiles embed.FS

// subscribeAssets are the subscribe page's own script (the copy buttons)
// and stylesheet, beside the site's.
type subscribeAssets struct {
	js, css staticAsset
}

func mustSubscribeAssets() subscribeAssets {
	read := func(name string) staticAsset {
		b, err := subscribeFiles.ReadFile(name)
		if err != nil {
			panic("publish: embedded asset missing: " + err.Error())
		}
		return staticAsset{body: b, etag: contentETag(b)}
	}
	return subscribeAssets{js: read("static/subscribe.js"), css: read("static/subscribe.css")}
}

// subscribeView is the subscribe page of a section: its feeds' absolute
// URLs to copy, what a feed reader is, and a QR code of the section page
// for phones.
type subscribeView struct {
	pageChrome
	Section sectionLinks
	Feeds   []subscribeFeed
	// PageURL is the section page's absolute URL, which the QR code
	// holds; QR is the code's own URL.
	PageURL, QR string
	// OPML lists the section's sources, to subscribe to each of them.
	OPML string
	// Script and SubStylesheet are the page's own files.
	Script, SubStylesheet string
}

// subscribeFeed is one feed a reader can subscribe to.
type subscribeFeed struct {
	ID, Name, URL, Type string
}

// handleSubscribe serves /sections/{id}/subscribe. Browsers no longer
// render a feed's XML as a page, so a visitor who clicks a feed link sees
// markup; this page tells them what to do with the address instead. It
// depends on the config only and is rendered per request.
func (s *Server) handleSubscribe(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	sec, ok := s.cat().sections[id]
	if !ok {
		s.errorPage(w, r, http.StatusNotFound, fmt.Sprintf("unknown section %q", id))
		return
	}
	q, lang, err := s.pageLang(r)
	if err != nil {
		s.errorPage(w, r, http.StatusBadRequest, err.Error())
		return
	}
	langParam := q.Get("lang")
	links := s.sectionLinks(sec)
	page := s.sectionPageURL(sec.ID)
	v := subscribeView{
		pageChrome: s.chrome(lang, langParam),
		Section:    links,
		Feeds: []subscribeFeed{
			{ID: "rss", Name: "RSS", URL: page + ".rss", Type: "application/rss+xml"},
			{ID: "atom", Name: "Atom", URL: page + ".atom", Type: "application/atom+xml"},
			{ID: "json", Name: "JSON Feed", URL: page + ".json", Type: "application/feed+json"},
		},
		PageURL:       page,
		QR:            links.Page + "/qr.svg",
		OPML:          links.Page + ".opml",
		Script:        s.pathPrefix + "/static/subscribe.js",
		SubStylesheet: s.pathPrefix + "/static/subscribe.css",
	}
	v.Section.Page = withLang(links.Page, langParam)
	var buf bytes.Buffer
	if err := s.pages.tmpl.ExecuteTemplate(&buf, "subscribe.html", v); err != nil {
		s.log.Error("render subscribe page", "section_id", sec.ID, "error", err)
		s.errorPage(w, r, http.StatusInternalServerError, "internal error")
		return
	}
	h := w.Header()
	for k, v := range s.headers[formatHTML] {
		h[k] = v
	}
	// The page's one script is our own file: the copy buttons.
	h.Set("Content-Security-Policy", subscribeSecurityPolicy(h.Get("Content-Security-Policy")))
	h.Set("Content-Type", formatHTML.contentType())
	_, _ = w.Write(buf.Bytes())
}

// subscribeSecurityPolicy is the pages' policy with our own scripts
// allowed.
func subscribeSecurityPolicy(page string) string {
	return strings.Replace(page, "default-src 'none';", "default-src 'none'; script-src 'self';", 1)
}

// subscribeStatic is read once from the binary and never changed.
var subscribeStatic = mustSubscribeAssets()

func (s *Server) handleSubscribeScript(w http.ResponseWriter, r *http.Request) {
	serveAsset(w, r, "subscribe.js", "text/javascript; charset=utf-8", subscribeStatic.js)
}

func (s *Server) handleSubscribeStyle(w http.ResponseWriter, r *http.Request) {
	serveAsset(w, r, "subscribe.css", "text/css; charset=utf-8", subscribeStatic.css)
}
