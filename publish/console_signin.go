package publish

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"github.com/tributary-rss/tributary/aggregator/model"
)

// flashMaxBytes bounds a flash message kept in a cookie.
const flashMaxBytes = 1024

type signInView struct {
	Next, Token string
	Error       string
}

func (c *console) handleSignInForm(w http.ResponseWriter, r *http.Request) {
	cr, ok := c.session(w, r)
	if ok {
		http.Redirect(w, r, c.path("/"), http.StatusSeeOther)
		return
	}
	c.signInPage(w, r, cr, http.StatusOK, "")
}

// signInPage shows the form with a fresh double-submit token.
func (c *console) signInPage(w http.ResponseWriter, r *http.Request, cr *consoleReq, code int, errMsg string) {
	tok := randomToken()
	c.setCookie(w, signinCookie, tok, time.Hour)
	cr.sess = model.Session{}
	c.render(w, r, cr, code, "signin", cr.text.T("signin.title"),
		signInView{Next: safeNext(r.FormValue("next")), Token: tok, Error: errMsg})
}

// handleSignIn checks the admin token under the limit every token check
// goes through (authlimit.go): past authFailLimit wrong tokens within
// authWindow the client gets 429 until the window ends, even with the
// right token, on every instance.
func (c *console) handleSignIn(w http.ResponseWriter, r *http.Request) {
	cr := c.request(w, r)
	ck, _ := r.Cookie(signinCookie)
	want := ""
	if ck != nil {
		want = ck.Value
	}
	if ref := c.formRefusal(w, r, want); ref.why != "" {
		c.s.refusals.refused(r, "console sign-in: "+ref.why)
		c.refuse(w, r, cr, ref)
		return
	}
	switch chk := c.s.checkToken(r, "console", r.PostForm.Get("token"), true); chk.verdict {
	case tokenOK:
		c.signIn(w, r, cr, c.s.adminToken())
	case tokenLocked:
		c.s.refusals.refused(r, "console sign-in from a client locked out")
		c.tooMany(w, r, cr, chk.until)
	default:
		// Not audited one by one: the failure is counted in its client's
		// aggregate record (see Admin.AuthFailureLog), so hammering the
		// form cannot push real records out of the capped log.
		c.s.refusals.refused(r, "console sign-in with a wrong token")
		c.signInPage(w, r, cr, http.StatusUnauthorized, cr.text.F("signin.wrong", chk.left))
	}
}

func (c *console) tooMany(w http.ResponseWriter, r *http.Request, cr *consoleReq, until time.Time) {
	secs := retryAfter(w, until, cr.now)
	c.message(w, r, cr, http.StatusTooManyRequests, cr.text.T("signin.locked"),
		cr.text.F("signin.retry", (secs+59)/60))
}

// signIn opens a session: a random 32-byte id in an HttpOnly cookie, the
// store keeping only its hash.
func (c *console) signIn(w http.ResponseWriter, r *http.Request, cr *consoleReq, tok *adminToken) {
	client := c.s.clientIP(r)
	id := randomToken()
	sess := model.Session{ID: id, CSRF: csrfFor(tok, id), Client: client, Created: cr.now, Expires: cr.now.Add(c.lifetime)}
	if err := c.s.opts.Admin.SaveSession(r.Context(), sess); err != nil {
		c.s.log.Error("console: save session", "err", err)
		c.message(w, r, cr, http.StatusServiceUnavailable, cr.text.T("err.unavailable"), "")
		return
	}
	c.setCookie(w, sessionCookie, id, c.lifetime)
	c.clearCookie(w, signinCookie)
	c.audit(r, "session.signin", "", nil, "")
	c.s.log.Info("console signed in", "client", client, "expires", sess.Expires)
	next := safeNext(r.PostForm.Get("next"))
	c.setFlash(w, id, flash{Text: cr.text.T("flash.signedin")})
	http.Redirect(w, r, c.s.pathPrefix+next, http.StatusSeeOther)
}

func (c *console) handleSignOut(w http.ResponseWriter, r *http.Request, cr *consoleReq) {
	if err := c.s.opts.Admin.DeleteSession(r.Context(), cr.sess.ID); err != nil {
		c.s.log.Error("console: delete session", "err", err)
		c.fail(w, r, cr, err)
		return
	}
	c.clearCookie(w, sessionCookie)
	c.audit(r, "session.signout", "", nil, "")
	c.setFlash(w, "", flash{Text: cr.text.T("flash.signedout")})
	http.Redirect(w, r, c.path("/signin"), http.StatusSeeOther)
}

// safeNext keeps a return path only when it is a console path of ours
// (never another host: //evil.example or /\evil.example).
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/admin") || strings.ContainsAny(next, "\\\r\n") || strings.HasPrefix(next, "//") {
		return "/admin/"
	}
	return next
}

func randomToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go 1.24+)
	return base64.RawURLEncoding.EncodeToString(b)
}

// flash is a one-time message shown after a redirect: what a form did.
type flash struct {
	Error bool   `json:"e,omitempty"`
	Text  string `json:"t"`
	// Detail is an error's English original, shown under a generic
	// sentence when the catalog has no words for it.
	Detail string `json:"d,omitempty"`
}

// errorFlash is the flash message of a refused action.
func errorFlash(m msgView) flash {
	return flash{Error: true, Text: m.Text, Detail: m.Detail}
}

// setFlash keeps f in a short-lived cookie for the next page of the
// session sessionID ("" for a browser signed out). The cookie is signed
// (flashMAC): a cookie planted by a sibling subdomain or over plain HTTP
// must not show as the console's own message.
func (c *console) setFlash(w http.ResponseWriter, sessionID string, f flash) {
	f.Text, f.Detail = cutText(f.Text, flashMaxBytes/4), cutText(f.Detail, flashMaxBytes/8)
	data, _ := json.Marshal(f)
	payload := base64.RawURLEncoding.EncodeToString(data)
	c.setCookie(w, flashCookie, payload+"."+flashMAC(c.s.adminToken(), sessionID, payload), time.Minute)
}

// takeFlash reads and clears the flash message, if any, shown only when
// its signature holds for the session sessionID.
func (c *console) takeFlash(w http.ResponseWriter, r *http.Request, sessionID string) flash {
	ck, err := r.Cookie(flashCookie)
	if err != nil || ck.Value == "" {
		return flash{}
	}
	c.clearCookie(w, flashCookie)
	payload, mac, ok := strings.Cut(ck.Value, ".")
	if !ok || len(payload) > 2*flashMaxBytes ||
		!hmac.Equal([]byte(mac), []byte(flashMAC(c.s.adminToken(), sessionID, payload))) {
		return flash{}
	}
	var f flash
	data, err := base64.RawURLEncoding.DecodeString(payload)
	if err != nil || json.Unmarshal(data, &f) != nil {
		return flash{}
	}
	return f
}

// flashMAC signs a flash cookie's payload for a session, keyed like the
// CSRF token with the admin token's hash: only this server makes one,
// and one made for another session does not verify.
func flashMAC(tok *adminToken, sessionID, payload string) string {
	m := hmac.New(sha256.New, tok.hash[:])
	m.Write([]byte("tributary console flash\x00" + sessionID + "\x00" + payload))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}
