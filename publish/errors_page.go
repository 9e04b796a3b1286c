package publish

import (
	"bytes"
	"net/http"
	"strings"
)

// errorView is a localized error page.
type errorView struct {
	pageChrome
	Code          int
	Title, Detail string
	// Hint says more than the title, for a page that does not exist.
	Hint string
}

// errorPage answers an error of an HTML address. A browser (Accept names
// text/html) gets a page in the visitor's language with the site's
// identity and a way back; other clients, and tests reading bodies, get
// the plain-text detail as before. Feeds, the API and scripts never come
// here: their clients read plain text or JSON.
func (s *Server) errorPage(w http.ResponseWriter, r *http.Request, code int, detail string) {
	s.formatErrorPage(w, r, formatHTML, code, detail)
}

// formatErrorPage is errorPage for an address of format f (formatHTML or
// formatEmbed), under that format's headers: the iframe's error page must
// show inside the host's frame, where the page policy's frame-ancestors
// 'none' would have the browser refuse it.
func (s *Server) formatErrorPage(w http.ResponseWriter, r *http.Request, f format, code int, detail string) {
	if !acceptsHTML(r) {
		writeText(w, code, detail)
		return
	}
	q, lang, err := s.pageLang(r)
	langParam := q.Get("lang")
	if err != nil {
		// A bad ?lang on an error page is not worth a second error.
		lang, langParam = s.uiLang(r), ""
	}
	v := errorView{pageChrome: s.chrome(lang, langParam), Code: code, Detail: detail}
	if f == formatEmbed {
		// The fragment's policy allows only our own stylesheets.
		v.Site.CSS = ""
	}
	switch {
	case code == http.StatusNotFound:
		v.Title, v.Hint = v.L.T("page.notfound"), v.L.T("page.notfound.hint")
	case code == http.StatusServiceUnavailable:
		v.Title = v.L.T("page.unavailable")
	case code >= 500:
		v.Title = v.L.T("page.servererror")
	default:
		v.Title = v.L.T("page.badrequest")
	}
	var buf bytes.Buffer
	if err := s.pages.tmpl.ExecuteTemplate(&buf, "error.html", v); err != nil {
		s.log.Error("render error page", "error", err)
		writeText(w, code, detail)
		return
	}
	h := w.Header()
	for k, vals := range s.headers[f] {
		h[k] = vals
	}
	h.Set("Content-Type", formatHTML.contentType())
	// An error must not be cached as if it were the page.
	h.Set("Cache-Control", "no-store")
	h.Set("Vary", "Accept, Accept-Language")
	w.WriteHeader(code)
	if r.Method != http.MethodHead {
		_, _ = w.Write(buf.Bytes())
	}
}

// acceptsHTML reports whether the client is a browser asking for a page:
// its Accept header names text/html (or application/xhtml+xml).
func acceptsHTML(r *http.Request) bool {
	for _, v := range r.Header.Values("Accept") {
		if containsFold(v, "text/html") || containsFold(v, "application/xhtml+xml") {
			return true
		}
	}
	return false
}

func containsFold(s, sub string) bool {
	return strings.Contains(strings.ToLower(s), sub)
}

// notFoundPage answers a GET of an address no route serves: a browser
// gets the localized page; other clients the mux's plain answer. The API
// keeps its plain 404 and 405 answers whatever the client.
func (s *Server) notFoundPage(w http.ResponseWriter, r *http.Request) bool {
	if (r.Method != http.MethodGet && r.Method != http.MethodHead) || !acceptsHTML(r) ||
		strings.HasPrefix(r.URL.Path, "/api/") {
		return false
	}
	if _, pattern := s.mux.Handler(r); pattern != "" {
		return false
	}
	s.errorPage(w, r, http.StatusNotFound, "404 page not found")
	return true
}
