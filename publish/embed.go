package publish

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// maxSummaryRunes bounds ?summary on the embed fragment (and the widget's
// data-summary).
const maxSummaryRunes = 1000

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

// embedLang reads ?lang of the embed fragment, which a host page sets
// rather than relying on the visitor's Accept-Language.
func embedLang(q url.Values, fallback string) (string, error) {
	if !q.Has("lang") {
		return fallback, nil
	}
	switch l := q.Get("lang"); l {
	case langZH, langEN:
		return l, nil
	}
	return "", queryError("lang", `must be "zh" or "en"`)
}

type embedView struct {
	Lang, Stylesheet string
	T                uiText
	Section          sectionLinks
	Entries          []entryView
}

// renderEmbedPage renders the iframe fragment: headlines only, links open
// outside the frame, no script.
func (s *Server) renderEmbedPage(d feedData) ([]byte, error) {
	v := embedView{
		Lang:       d.language(),
		Stylesheet: s.pathPrefix + "/static/embed.css",
		T:          textFor(d.Lang),
		Section:    s.sectionLinks(d.Section),
		Entries:    s.entryViews(d, d.Summary),
	}
	if d.Summary == 0 {
		for i := range v.Entries {
			v.Entries[i].Summary = ""
		}
	}
	var buf bytes.Buffer
	if err := s.pages.tmpl.ExecuteTemplate(&buf, "embed.html", v); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
