package publish

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"embed"
	"encoding/base64"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/microcosm-cc/bluemonday"

	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/publish/i18n"
)

// The web console at /admin: server-rendered pages and plain HTML forms
// (no script), behind a session that the admin token opens. It carries
// out what the admin API does, through the same Admin, and records every
// action in the audit log.

// DefaultSessionLifetime is how long a console session lasts from sign-in:
// a working day on duty. It is fixed, not sliding, so a stolen cookie is
// worth half a day at most and the store is written once per sign-in.
const DefaultSessionLifetime = 12 * time.Hour

// Cookie names of the console; all are scoped to <prefix>/admin.
const (
	sessionCookie = "tributary_session"
	// signinCookie carries the sign-in form's token (double submit), so
	// another site cannot sign a browser in to a session of its choosing.
	signinCookie = "tributary_signin"
	flashCookie  = "tributary_flash"
	langCookie   = "tributary_lang"
)

// maxConsoleForm bounds a console form body: an edit is a few kilobytes.
const maxConsoleForm = 64 << 10

// consoleSecurityPolicy lets console pages load only our stylesheet, run
// no script at all, and post forms only to us; nobody may frame them.
const consoleSecurityPolicy = "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

//go:embed templates/console/*.html static/console.css
var consoleAssets embed.FS

// consolePages are the console's page templates, each parsed with the
// shared layout.
var consolePages = []string{"signin", "overview", "source", "new", "section", "audit", "message", "freshness", "review"}

// consoleFuncs are the console templates' helpers: dict passes several
// values to a shared template.
var consoleFuncs = template.FuncMap{
	"dict": func(kv ...any) (map[string]any, error) {
		if len(kv)%2 != 0 {
			return nil, errors.New("dict: odd number of arguments")
		}
		m := make(map[string]any, len(kv)/2)
		for i := 0; i < len(kv); i += 2 {
			k, ok := kv[i].(string)
			if !ok {
				return nil, fmt.Errorf("dict: key %v is not a string", kv[i])
			}
			m[k] = kv[i+1]
		}
		return m, nil
	},
}

// console serves /admin.
type console struct {
	s        *Server
	mux      *http.ServeMux
	tmpl     map[string]*template.Template
	css      staticAsset
	lifetime time.Duration
	// sanitizer cleans a previewed article again before the page marks
	// it safe HTML (see articleHTML). Safe for concurrent use.
	sanitizer *bluemonday.Policy
}

func newConsole(s *Server) *console {
	c := &console{s: s, tmpl: map[string]*template.Template{}, lifetime: DefaultSessionLifetime, sanitizer: bluemonday.UGCPolicy()}
	layout := template.Must(template.New("layout.html").Funcs(consoleFuncs).ParseFS(consoleAssets, "templates/console/layout.html"))
	for _, p := range consolePages {
		c.tmpl[p] = template.Must(template.Must(layout.Clone()).ParseFS(consoleAssets, "templates/console/"+p+".html"))
	}
	css, err := consoleAssets.ReadFile("static/console.css")
	if err != nil {
		panic("publish: embedded console.css missing: " + err.Error())
	}
	c.css = staticAsset{body: css, etag: contentETag(css)}
	c.mux = c.routes()
	return c
}

func (c *console) routes() *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /admin/static/console.css", c.handleCSS)
	mux.HandleFunc("GET /admin/signin", c.handleSignInForm)
	mux.HandleFunc("POST /admin/signin", c.handleSignIn)
	mux.HandleFunc("POST /admin/signout", c.post("session.signout", c.handleSignOut))
	mux.HandleFunc("GET /admin", c.page(c.handleOverview))
	mux.HandleFunc("GET /admin/{$}", c.page(c.handleOverview))
	mux.HandleFunc("GET /admin/sources/new", c.page(c.handleNewForm))
	mux.HandleFunc("POST /admin/sources/new", c.post("source.add", c.handleNew))
	mux.HandleFunc("GET /admin/sources/{id}", c.page(c.handleSource))
	for _, op := range []string{"pause", "resume", "poll", "remove", "update"} {
		mux.HandleFunc("POST /admin/sources/{id}/"+op, c.post("source."+op, c.handleSourceOp(op)))
	}
	mux.HandleFunc("GET /admin/sections/{id}", c.page(c.handleSection))
	mux.HandleFunc("POST /admin/sections/{id}/poll", c.post("section.poll", c.handleSectionPoll))
	for _, act := range []string{model.ActionHide, model.ActionUnhide, model.ActionPin, model.ActionUnpin} {
		mux.HandleFunc("POST /admin/sections/{id}/entries/{eid}/"+act, c.post("entry."+act, c.handleModerate(act)))
	}
	c.routeReview(mux)
	mux.HandleFunc("GET /admin/audit", c.page(c.handleAudit))
	mux.HandleFunc("GET /admin/audit.json", c.handleAuditJSON)
	mux.HandleFunc("GET /admin/freshness", c.page(c.handleFreshness))
	mux.HandleFunc("GET /admin/freshness.csv", c.handleFreshnessCSV)
	mux.HandleFunc("GET /admin/freshness.json", c.handleFreshnessJSON)
	mux.HandleFunc("/admin/", c.handleNotFound)
	return mux
}

// ServeHTTP answers every /admin path: 404 while no admin token is set,
// and never cached, framed or sniffed.
func (c *console) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Security-Policy", consoleSecurityPolicy)
	h.Set("X-Frame-Options", "DENY")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "same-origin")
	if !c.on() {
		writeText(w, http.StatusNotFound, "the console is off: set admin.token (or TRIBUTARY_ADMIN_TOKEN) to turn it on")
		return
	}
	c.mux.ServeHTTP(w, r)
}

// on reports whether the console is served: an admin token is set (it
// can be set or changed by a reload, see SetAdminToken) and something
// carries out admin requests.
func (c *console) on() bool {
	return c.s.opts.Admin != nil && c.s.adminToken().set
}

// handleCSS serves the stylesheet like every console answer, uncached:
// it is small, and a new version must never meet an old page.
func (c *console) handleCSS(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/css; charset=utf-8")
	w.Header().Set("ETag", c.css.etag)
	http.ServeContent(w, r, "console.css", time.Time{}, bytes.NewReader(c.css.body))
}

// consoleReq is what every console handler is given: the session (zero on
// the sign-in page), the language and the flash message to show.
type consoleReq struct {
	sess  model.Session
	lang  string
	text  i18n.Lang
	flash flash
	now   time.Time
}

// page wraps a GET handler: the session must be live, else the browser
// goes to the sign-in page and comes back afterwards.
func (c *console) page(h func(http.ResponseWriter, *http.Request, *consoleReq)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		cr, ok := c.session(w, r)
		if !ok {
			c.toSignIn(w, r, r.URL.RequestURI())
			return
		}
		h(w, r, cr)
	}
}

// post wraps a form handler: the session must be live, the request must
// come from our own pages (Origin, Sec-Fetch-Site) and carry the
// session's CSRF token; otherwise nothing is done (403, audited as the
// action refused).
func (c *console) post(action string, h func(http.ResponseWriter, *http.Request, *consoleReq)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		cr, ok := c.session(w, r)
		if !ok {
			c.toSignIn(w, r, "")
			return
		}
		if ref := c.formRefusal(w, r, cr.sess.CSRF); ref.why != "" {
			c.s.refusals.refused(r, "console form: "+ref.why)
			c.audit(r, action, c.target(r), errors.New("refused: "+ref.why), "")
			c.refuse(w, r, cr, ref)
			return
		}
		h(w, r, cr)
	}
}

// refusal is why a form post is refused: why in English for the logs
// and the audit, key (and arg) for the page ("" let through).
type refusal struct {
	why, key, arg string
}

// formRefusal checks a form post's origin and CSRF token against want;
// it says why it refuses, or nothing to let it through.
func (c *console) formRefusal(w http.ResponseWriter, r *http.Request, want string) refusal {
	if ref := c.crossOrigin(r); ref.why != "" {
		return ref
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxConsoleForm)
	if err := r.ParseForm(); err != nil {
		return refusal{why: "unreadable form: " + err.Error(), key: "refuse.form"}
	}
	got := r.PostForm.Get("csrf")
	if got == "" {
		return refusal{why: "the form carries no CSRF token", key: "refuse.nocsrf"}
	}
	if want == "" || subtle.ConstantTimeCompare([]byte(got), []byte(want)) != 1 {
		return refusal{why: "the form's CSRF token is wrong", key: "refuse.badcsrf"}
	}
	return refusal{}
}

// crossOrigin says why r does not come from a page of ours, or nothing.
// A browser sends Origin with every form post and Sec-Fetch-Site with
// most; either naming another site refuses the request, whatever the
// cookies say.
func (c *console) crossOrigin(r *http.Request) refusal {
	switch site := r.Header.Get("Sec-Fetch-Site"); site {
	case "", "same-origin", "none":
	default:
		return refusal{why: "posted from another site (Sec-Fetch-Site: " + site + ")", key: "refuse.site", arg: site}
	}
	origin := r.Header.Get("Origin")
	if origin == "" {
		return refusal{}
	}
	for _, own := range []string{c.baseOrigin(), "http://" + r.Host, "https://" + r.Host} {
		if own != "" && strings.EqualFold(origin, own) {
			return refusal{}
		}
	}
	return refusal{why: "posted from another origin (" + origin + ")", key: "refuse.origin", arg: origin}
}

// refuse answers a refused form post (403) in the page's language.
func (c *console) refuse(w http.ResponseWriter, r *http.Request, cr *consoleReq, ref refusal) {
	heading := cr.text.T("err.forbidden")
	v := messageView{Heading: heading, Detail: cr.text.T(ref.key)}
	if ref.arg != "" {
		v.Detail = cr.text.F(ref.key, ref.arg)
	}
	if ref.key == "refuse.form" && cr.lang != i18n.EN {
		v.English = ref.why
	}
	c.render(w, r, cr, http.StatusForbidden, "message", heading, v)
}

// baseOrigin is scheme://host of Options.BaseURL, the address browsers
// use behind a proxy.
func (c *console) baseOrigin() string {
	u, err := url.Parse(c.s.opts.BaseURL)
	if err != nil || u.Host == "" {
		return ""
	}
	return u.Scheme + "://" + u.Host
}

// session reads the request's session and language. The session is live
// when the store has it, it has not expired by the server's clock, and it
// was opened with the token in force now: changing admin.token ends every
// session.
func (c *console) session(w http.ResponseWriter, r *http.Request) (*consoleReq, bool) {
	cr := c.request(w, r)
	sess, ok := c.liveSession(w, r, cr.now)
	cr.sess = sess
	// The flash message is the session's own (or, signed out, one for no
	// session): see setFlash.
	cr.flash = c.takeFlash(w, r, sess.ID)
	return cr, ok
}

// liveSession loads the session the request's cookie names, if it is
// live; otherwise the cookie is cleared.
func (c *console) liveSession(w http.ResponseWriter, r *http.Request, now time.Time) (model.Session, bool) {
	ck, err := r.Cookie(sessionCookie)
	if err != nil || ck.Value == "" {
		return model.Session{}, false
	}
	sess, err := c.s.opts.Admin.LoadSession(r.Context(), ck.Value)
	if err != nil {
		if !errors.Is(err, model.ErrNotFound) {
			c.s.log.Error("console: load session", "err", err)
		}
		c.clearCookie(w, sessionCookie)
		return model.Session{}, false
	}
	if !now.Before(sess.Expires) || !hmac.Equal([]byte(sess.CSRF), []byte(csrfFor(c.s.adminToken(), sess.ID))) {
		c.clearCookie(w, sessionCookie)
		return model.Session{}, false
	}
	return sess, true
}

// request prepares what every console page needs but the session and its
// flash message.
func (c *console) request(w http.ResponseWriter, r *http.Request) *consoleReq {
	lang := c.lang(w, r)
	return &consoleReq{lang: lang, text: i18n.Lang(lang), now: c.s.opts.Now()}
}

// lang is ?lang= (remembered in a cookie), else the cookie, else the
// configured UI language, else Accept-Language.
func (c *console) lang(w http.ResponseWriter, r *http.Request) string {
	if q := r.URL.Query().Get("lang"); q == i18n.ZH || q == i18n.EN {
		c.setCookie(w, langCookie, q, 365*24*time.Hour)
		return q
	}
	if ck, err := r.Cookie(langCookie); err == nil && (ck.Value == i18n.ZH || ck.Value == i18n.EN) {
		return ck.Value
	}
	if c.s.opts.UILang != "" {
		return c.s.opts.UILang
	}
	return i18n.Negotiate(r.Header.Values("Accept-Language"))
}

// csrfFor is a session's CSRF token: an HMAC of its id keyed with the
// admin token's hash, so a session opened under another token no longer
// verifies and changing admin.token signs every console out.
func csrfFor(tok *adminToken, sessionID string) string {
	m := hmac.New(sha256.New, tok.hash[:])
	m.Write([]byte("tributary console csrf\x00" + sessionID))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// toSignIn sends the browser to the sign-in page; back is where to return
// after signing in ("" for the overview).
func (c *console) toSignIn(w http.ResponseWriter, r *http.Request, back string) {
	target := c.s.pathPrefix + "/admin/signin"
	if back != "" && back != "/admin" && back != "/admin/" {
		target += "?next=" + url.QueryEscape(back)
	}
	http.Redirect(w, r, target, http.StatusSeeOther)
}

// path is a console URL path under the configured prefix.
func (c *console) path(p string) string { return c.s.pathPrefix + "/admin" + p }

// redirect ends a form post: 303 to path (under /admin) with a flash
// message for the session's next page, so reloading the page does not
// post again.
func (c *console) redirect(w http.ResponseWriter, r *http.Request, cr *consoleReq, p string, f flash) {
	c.setFlash(w, cr.sess.ID, f)
	http.Redirect(w, r, c.path(p), http.StatusSeeOther)
}

func (c *console) setCookie(w http.ResponseWriter, name, value string, maxAge time.Duration) {
	http.SetCookie(w, &http.Cookie{
		Name: name, Value: value, Path: c.path(""), MaxAge: int(maxAge.Seconds()),
		HttpOnly: true, Secure: strings.HasPrefix(c.s.opts.BaseURL, "https://"), SameSite: http.SameSiteStrictMode,
	})
}

func (c *console) clearCookie(w http.ResponseWriter, name string) {
	http.SetCookie(w, &http.Cookie{
		Name: name, Value: "", Path: c.path(""), MaxAge: -1,
		HttpOnly: true, Secure: strings.HasPrefix(c.s.opts.BaseURL, "https://"), SameSite: http.SameSiteStrictMode,
	})
}

// target names what a console post acts on, for the audit log.
func (c *console) target(r *http.Request) string {
	switch id, eid := r.PathValue("id"), r.PathValue("eid"); {
	case eid != "":
		return id + "/" + eid
	default:
		return id
	}
}

// audit records a console action (see Server.audit); err nil is "ok".
func (c *console) audit(r *http.Request, action, target string, err error, detail string) {
	c.s.audit(r, "console", action, target, err, detail)
}

// consoleView is what the layout shows around every page.
type consoleView struct {
	L      i18n.Lang
	Lang   string
	Prefix string
	CSS    string
	CSRF   string
	Flash  flash
	Title  string
	Nav    string
	Signed bool
	Page   any
	// LangSwitch is this page in the other language: its path and query
	// (a section page's search, source and paging, a report's filters)
	// with lang set.
	LangSwitch string
	// LangAlt is the other language.
	LangAlt string
}

// render writes page with data inside the layout.
func (c *console) render(w http.ResponseWriter, r *http.Request, cr *consoleReq, code int, page, title string, data any) {
	v := consoleView{
		L: cr.text, Lang: cr.lang, Prefix: c.s.pathPrefix, CSS: c.path("/static/console.css"),
		CSRF: cr.sess.CSRF, Flash: cr.flash, Title: title, Nav: page, Signed: cr.sess.ID != "",
		Page: data,
	}
	v.LangAlt = i18n.EN
	if cr.lang == i18n.EN {
		v.LangAlt = i18n.ZH
	}
	q := r.URL.Query()
	q.Set("lang", v.LangAlt)
	v.LangSwitch = c.s.pathPrefix + r.URL.Path + "?" + q.Encode()
	var buf bytes.Buffer
	if err := c.tmpl[page].ExecuteTemplate(&buf, "layout.html", v); err != nil {
		c.s.log.Error("console: render", "page", page, "err", err)
		writeText(w, http.StatusInternalServerError, "internal error")
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(code)
	_, _ = w.Write(buf.Bytes())
}

// messageView is a page that only says something (refusals, errors);
// English is the original of a Detail the catalog has no words for.
type messageView struct {
	Heading, Detail, English string
}

func (c *console) message(w http.ResponseWriter, r *http.Request, cr *consoleReq, code int, heading, detail string) {
	c.render(w, r, cr, code, "message", heading, messageView{Heading: heading, Detail: detail})
}

func (c *console) handleNotFound(w http.ResponseWriter, r *http.Request) {
	cr, ok := c.session(w, r)
	if !ok {
		c.toSignIn(w, r, "")
		return
	}
	c.message(w, r, cr, http.StatusNotFound, cr.text.T("err.notfound"), r.URL.Path)
}

// fail shows an Admin error: a refusal with its message and status, a
// store failure as 503 (logged).
func (c *console) fail(w http.ResponseWriter, r *http.Request, cr *consoleReq, err error) {
	code, msg := c.errorView(r, cr, err)
	c.render(w, r, cr, code, "message", cr.text.T("err."+strconv.Itoa(code)),
		messageView{Heading: cr.text.T("err." + strconv.Itoa(code)), Detail: msg.Text, English: msg.Detail})
}

// errorStatus maps an Admin error to a status and its English text (see
// errorView for what a page shows).
func (c *console) errorStatus(r *http.Request, err error) (int, string) {
	var re *model.RequestError
	switch {
	case errors.As(err, &re) && errors.Is(err, model.ErrNotFound):
		return http.StatusNotFound, re.Error()
	case errors.As(err, &re) && errors.Is(err, model.ErrConflict):
		return http.StatusConflict, re.Error()
	case errors.As(err, &re):
		return http.StatusBadRequest, re.Error()
	}
	c.s.log.Error("console", "method", r.Method, "path", r.URL.Path, "err", err)
	return http.StatusServiceUnavailable, "store unavailable, try again later"
}
