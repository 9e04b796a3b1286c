package publish

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/tributary-rss/tributary/publish/i18n"
)

// maxSummaryRunes bounds ?summary on the embed fragment (and the widget's
// data-summary).
const maxSummaryRunes = 1000

// Themes of the widget and the iframe. Light is the default so that the
// host page decides: a visitor's dark system theme must not turn a box on
// a light portal page black.
const (
	themeLight = "light"
	themeDark  = "dark"
	themeAuto  = "auto"
)

// handleEmbed serves /embed/{id}.js (the widget) and /embed/{id}.html (the
// iframe fragment).
func (s *Server) handleEmbed(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	if id, ok := strings.CutSuffix(name, ".html"); ok {
		s.serveSection(w, r, id, formatEmbed)
		return
	}
	id, ok := strings.CutSuffix(name, ".js")
	if _, known := s.cat().sections[id]; !ok || !known {
		writeText(w, http.StatusNotFound, fmt.Sprintf("unknown embed %q", name))
		return
	}
	// One script serves every section: it finds its section and the API
	// from its own src, so it is static and cached once by browsers.
	writeRendering(w, r, s.widget, false)
}

// handleFrameScript serves the iframe fragment's only script, which
// reports the fragment's height to the host page. It is a file, not an
// inline script, so the fragment's policy stays script-src 'self'.
func (s *Server) handleFrameScript(w http.ResponseWriter, r *http.Request) {
	serveAsset(w, r, "embed-frame.js", "text/javascript; charset=utf-8", s.pages.frameJS)
}

// parseSummary reads ?summary, the embed's summary length in runes (0, the
// default, hides summaries).
func parseSummary(q url.Values) (int, error) {
	if !q.Has("summary") {
		return 0, nil
	}
	n, err := strconv.Atoi(q.Get("summary"))
	if err != nil || n < 0 || n > maxSummaryRunes {
		return 0, queryError("summary", fmt.Sprintf("must be an integer between 0 and %d", maxSummaryRunes))
	}
	return n, nil
}

// embedLang reads ?lang of a page, which a host page or a visitor sets
// rather than relying on Accept-Language.
func embedLang(q url.Values, fallback string) (string, error) {
	if !q.Has("lang") {
		return fallback, nil
	}
	switch l := q.Get("lang"); l {
	case i18n.ZH, i18n.EN:
		return l, nil
	}
	return "", queryError("lang", `must be "zh" or "en"`)
}

// uiLang is the configured UI language, else the one Accept-Language
// prefers among ours, else Chinese.
func (s *Server) uiLang(r *http.Request) string {
	if s.opts.UILang != "" {
		return s.opts.UILang
	}
	return i18n.Negotiate(r.Header.Values("Accept-Language"))
}

// pageLang is a page's query (nil without one) and the language it is
// shown in: ?lang, else the one negotiated (see uiLang); a bad ?lang is
// an error naming the parameter.
func (s *Server) pageLang(r *http.Request) (q url.Values, lang string, err error) {
	if r.URL.RawQuery != "" {
		q = r.URL.Query()
	}
	lang, err = embedLang(q, s.uiLang(r))
	return q, lang, err
}

// parseTheme reads ?theme of the embed fragment.
func parseTheme(q url.Values) (string, error) {
	if !q.Has("theme") {
		return themeLight, nil
	}
	switch t := q.Get("theme"); t {
	case themeLight, themeDark, themeAuto:
		return t, nil
	}
	return "", queryError("theme", `must be "light", "dark" or "auto"`)
}

// parseLines reads ?lines of the embed fragment: 1 keeps each headline on
// one line, cut with an ellipsis; 0 (the default) lets it wrap.
func parseLines(q url.Values) (bool, error) {
	switch q.Get("lines") {
	case "", "0":
		return false, nil
	case "1":
		return true, nil
	}
	return false, queryError("lines", `must be 1 (one line per headline) or 0`)
}

type embedView struct {
	Lang, Stylesheet, Script string
	L                        i18n.Lang
	Section                  sectionLinks
	Entries                  []entryView
	Theme                    string
	Lines                    bool
	// More is the section page's absolute URL, or the host's own list
	// page (?more): the fragment's links open outside the frame.
	More string
	// HideSource, NoDate and Transparent follow ?show_source=false,
	// ?date=none and ?background=transparent.
	HideSource, NoDate, Transparent bool
}

// renderEmbedPage renders the iframe fragment: headlines, a link to the
// section, and one static script that reports the height to the host.
func (s *Server) renderEmbedPage(d feedData) ([]byte, error) {
	v := embedView{
		Lang:       d.language(),
		Stylesheet: s.pathPrefix + "/static/embed.css",
		Script:     s.pathPrefix + "/static/embed-frame.js",
		L:          i18n.Lang(d.Lang),
		Section:    s.sectionLinks(d.Section),
		Entries:    s.entryViews(d, d.Summary),
		Theme:      d.Theme,
		Lines:      d.Lines,
		More:       withLang(d.pageURL(), d.LangParam),
	}
	if v.Theme == "" {
		v.Theme = themeLight
	}
	v.applyStyle(d)
	if d.Summary == 0 {
		for i := range v.Entries {
			v.Entries[i].Summary = ""
		}
	}
	var buf bytes.Buffer
	buf.Grow(d.SizeHint)
	if err := s.pages.tmpl.ExecuteTemplate(&buf, "embed.html", v); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
