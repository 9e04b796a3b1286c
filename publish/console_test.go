package publish

import (
	"html"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/publish/i18n"
)

const consoleToken = "console-test-token-0123456789"

// xssTitle is in every field a source or a feed controls.
const xssTitle = `<script>alert("x")</script><img src=x onerror=alert(1)>`

type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

type consoleEnv struct {
	ts    *httptest.Server
	s     *Server
	admin *consoleAdmin
	clock *fakeClock
}

var consoleNow = time.Date(2026, 11, 17, 8, 0, 0, 0, time.UTC)

func consoleSections() []model.Section {
	return []model.Section{{ID: "news", Title: "资讯 " + xssTitle, SourceIDs: []string{"s1", "cfg"}}, {ID: "hot", Title: "Hot"}}
}

func consoleStatuses() []model.SourceStatus {
	return []model.SourceStatus{
		{ID: "s1", Title: "Alpha " + xssTitle, ConfiguredURL: "https://alpha.example/feed?<x>", SectionIDs: []string{"news"},
			LastAttempt: consoleNow.Add(-3 * time.Minute), LastSuccess: consoleNow.Add(-3 * time.Minute), Entries: 12,
			Origin: model.OriginAPI, Schedule: "@every 15m"},
		{ID: "cfg", Title: "Beta", ConfiguredURL: "https://beta.example/rss", SectionIDs: []string{"news"},
			LastAttempt: consoleNow.Add(-time.Hour), ErrorsInRow: 4, LastError: "HTTP 500 " + xssTitle, LastStatus: 500,
			Origin: model.OriginConfig, ConfigFile: "/etc/tributary/tributary.yaml", ConfigLine: 14},
	}
}

// newConsoleEnv serves a Server with the console on (token set) over a
// real listener, with a fake clock and a fake Admin.
func newConsoleEnv(t *testing.T, base string, edit func(*Options)) *consoleEnv {
	t.Helper()
	env := &consoleEnv{admin: newConsoleAdmin(consoleStatuses()...), clock: &fakeClock{t: consoleNow}}
	env.admin.now = env.clock.Now
	secs := consoleSections()
	entries := []model.Entry{
		{ID: "e1", SourceID: "s1", SourceTitle: "Alpha " + xssTitle, Title: "Entry one " + xssTitle, Link: "https://alpha.example/1", Published: consoleNow.Add(-time.Hour)},
		{ID: "e2", SourceID: "cfg", SourceTitle: "Beta", Title: "Entry two", Link: "javascript:alert(1)", Published: consoleNow.Add(-2 * time.Hour)},
	}
	opts := Options{BaseURL: base, Sections: secs, Admin: env.admin, AdminToken: consoleToken,
		Now: env.clock.Now, Location: time.FixedZone("CST", 8*3600),
		Sources: []model.Source{{ID: "s1", URL: "https://alpha.example/feed", SectionIDs: []string{"news"}, Include: []string{"教育"}, Origin: model.OriginAPI}}}
	if edit != nil {
		edit(&opts)
	}
	env.s = NewServer(newFakeReader(fixture{Section: secs[0], Entries: entries}), opts)
	env.ts = newHTTPTest(t, env.s)
	return env
}

// browserish is a client that keeps cookies as a browser would for one
// site, follows no redirects, and can add headers to every request.
type browserish struct {
	t       *testing.T
	base    string
	cookies map[string]*http.Cookie
	hdr     map[string]string
}

func (e *consoleEnv) client(t *testing.T) *browserish {
	return &browserish{t: t, base: e.ts.URL, cookies: map[string]*http.Cookie{}, hdr: map[string]string{}}
}

func (b *browserish) do(method, path string, form url.Values) (*http.Response, string) {
	b.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, b.base+path, body)
	if err != nil {
		b.t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for k, v := range b.hdr {
		req.Header.Set(k, v)
	}
	for _, ck := range b.cookies {
		req.AddCookie(&http.Cookie{Name: ck.Name, Value: ck.Value})
	}
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		b.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		b.t.Fatal(err)
	}
	for _, ck := range resp.Cookies() {
		if ck.MaxAge < 0 {
			delete(b.cookies, ck.Name)
		} else {
			b.cookies[ck.Name] = ck
		}
	}
	return resp, string(data)
}

func (b *browserish) get(path string) (*http.Response, string) { return b.do("GET", path, nil) }

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// csrfOf is the CSRF token of the first form on a page.
func csrfOf(t *testing.T, page string) string {
	t.Helper()
	m := csrfField.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no csrf field on the page:\n%s", page)
	}
	return html.UnescapeString(m[1])
}

// signIn signs in with token and returns the sign-in answer.
func (b *browserish) signIn(token string) (*http.Response, string) {
	b.t.Helper()
	_, page := b.get("/admin/signin")
	return b.do("POST", "/admin/signin", url.Values{"csrf": {csrfOf(b.t, page)}, "token": {token}})
}

// mustSignIn signs in and returns the overview page's CSRF token.
func (b *browserish) mustSignIn() string {
	b.t.Helper()
	resp, body := b.signIn(consoleToken)
	if resp.StatusCode != http.StatusSeeOther {
		b.t.Fatalf("sign in: %d %s", resp.StatusCode, body)
	}
	resp, page := b.get("/admin/")
	if resp.StatusCode != http.StatusOK {
		b.t.Fatalf("overview after sign-in: %d", resp.StatusCode)
	}
	return csrfOf(b.t, page)
}

func TestConsole_off(t *testing.T) {
	tests := []struct {
		name  string
		token string
		admin bool
	}{
		{"no token", "", true},
		{"token but nothing to carry out requests", consoleToken, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := Options{BaseURL: testBaseURL, AdminToken: tt.token}
			if tt.admin {
				opts.Admin = newConsoleAdmin()
			}
			ts := newHTTPTest(t, NewServer(nil, opts))
			for _, p := range []string{"/admin", "/admin/", "/admin/signin", "/admin/audit.json", "/admin/static/console.css"} {
				resp, body := get(t, ts, p)
				if resp.StatusCode != http.StatusNotFound || !strings.Contains(string(body), "console is off") {
					t.Errorf("GET %s: %d %s, want 404", p, resp.StatusCode, body)
				}
			}
		})
	}
	// The token set by a reload turns the console on, and clearing it
	// turns it off again.
	env := newConsoleEnv(t, testBaseURL, func(o *Options) { o.AdminToken = "" })
	b := env.client(t)
	if resp, _ := b.get("/admin/signin"); resp.StatusCode != http.StatusNotFound {
		t.Fatalf("before SetAdminToken: %d", resp.StatusCode)
	}
	env.s.SetAdminToken(consoleToken)
	b.mustSignIn()
	env.s.SetAdminToken("")
	if resp, _ := b.get("/admin/"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("after clearing the token: %d, want 404", resp.StatusCode)
	}
}

func TestConsole_signIn(t *testing.T) {
	tests := []struct {
		name, base string
		secure     bool
		path       string
	}{
		{"http base_url", "http://feeds.example.org", false, "/admin"},
		{"https base_url", "https://feeds.example.org", true, "/admin"},
		{"https base_url with a path", "https://portal.example.org/feeds", true, "/feeds/admin"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := newConsoleEnv(t, tt.base, nil)
			b := env.client(t)
			resp, _ := b.get("/admin/sources/s1")
			if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, tt.path+"/signin?next=") {
				t.Fatalf("page without a session: %d Location %q, want 303 to the sign-in page", resp.StatusCode, loc)
			}
			_, page := b.get("/admin/signin?next=%2Fadmin%2Fsources%2Fs1")
			resp, body := b.do("POST", "/admin/signin", url.Values{"csrf": {csrfOf(t, page)}, "token": {consoleToken}, "next": {"/admin/sources/s1"}})
			if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != strings.TrimSuffix(tt.path, "/admin")+"/admin/sources/s1" {
				t.Fatalf("sign in: %d Location %q %s", resp.StatusCode, resp.Header.Get("Location"), body)
			}
			var sess *http.Cookie
			for _, ck := range resp.Cookies() {
				if ck.Name == sessionCookie {
					sess = ck
				}
			}
			if sess == nil {
				t.Fatal("no session cookie")
			}
			if !sess.HttpOnly || sess.SameSite != http.SameSiteStrictMode || sess.Secure != tt.secure || sess.Path != tt.path ||
				sess.MaxAge != int(DefaultSessionLifetime.Seconds()) || len(sess.Value) < 43 {
				t.Errorf("session cookie %+v: want HttpOnly, SameSite=Strict, Secure=%v, Path=%s, 12 h, 32 random bytes", sess, tt.secure, tt.path)
			}
			// The store holds the session under its id; the fake keeps
			// what the console saved: the CSRF token is not the id.
			env.admin.mu.Lock()
			saved, ok := env.admin.sessions[sess.Value]
			env.admin.mu.Unlock()
			if !ok || saved.CSRF == "" || saved.CSRF == sess.Value || !saved.Expires.Equal(consoleNow.Add(DefaultSessionLifetime)) {
				t.Errorf("saved session %+v", saved)
			}
			if resp, body := b.get("/admin/sources/s1"); resp.StatusCode != http.StatusOK || !strings.Contains(body, "已登录") {
				t.Errorf("source page after sign-in: %d, flash missing:\n%s", resp.StatusCode, body)
			}
			if recs := env.admin.records(); len(recs) == 0 || recs[0].Action != "session.signin" || recs[0].Via != "console" || recs[0].Result != "ok" {
				t.Errorf("audit %+v", recs)
			}
		})
	}
}

// TestConsole_signInRefused: a wrong token, a sign-in form posted without
// its token or from another site, and a next that leaves the console.
func TestConsole_signInRefused(t *testing.T) {
	env := newConsoleEnv(t, testBaseURL, nil)
	tests := []struct {
		name  string
		form  func(csrf string) url.Values
		hdr   map[string]string
		code  int
		want  string
		where string
	}{
		{"wrong token", func(c string) url.Values { return url.Values{"csrf": {c}, "token": {"nope"}} }, nil, 401, "令牌不正确", ""},
		{"no form token", func(string) url.Values { return url.Values{"token": {consoleToken}} }, nil, 403, "表单缺少安全令牌：请刷新页面后再提交。", ""},
		{"another site", func(c string) url.Values { return url.Values{"csrf": {c}, "token": {consoleToken}} },
			map[string]string{"Origin": "https://evil.example"}, 403, "这个表单是从其他网址提交的（https://evil.example），已拒绝。", ""},
		{"outside next", func(c string) url.Values {
			return url.Values{"csrf": {c}, "token": {consoleToken}, "next": {"//evil.example/admin"}}
		}, nil, 303, "", "/admin/"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := env.client(t)
			_, page := b.get("/admin/signin")
			maps.Copy(b.hdr, tt.hdr)
			resp, body := b.do("POST", "/admin/signin", tt.form(csrfOf(t, page)))
			if resp.StatusCode != tt.code || !strings.Contains(body, tt.want) {
				t.Fatalf("%d, want %d containing %q:\n%s", resp.StatusCode, tt.code, tt.want, body)
			}
			if loc := resp.Header.Get("Location"); loc != tt.where {
				t.Errorf("Location %q, want %q", loc, tt.where)
			}
			_, signedIn := b.cookies[sessionCookie]
			if signedIn != (tt.code == 303) {
				t.Errorf("session cookie set = %v", signedIn)
			}
		})
	}
}

// TestConsole_signInLimit: after authFailLimit failed sign-ins from an
// address, the next attempt answers 429 with Retry-After whatever token
// it carries — the right one included, as the very next attempt — until
// the window ends. The failures make one aggregate record, not one
// audit record each.
func TestConsole_signInLimit(t *testing.T) {
	env := newConsoleEnv(t, testBaseURL, nil)
	b := env.client(t)
	b.hdr["Accept-Language"] = "en"
	for i := 1; i <= authFailLimit; i++ {
		resp, body := b.signIn("wrong")
		if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(body, "Wrong token. "+strconv.Itoa(authFailLimit-i)+" more tries") {
			t.Fatalf("failure %d: %d %s", i, resp.StatusCode, body)
		}
	}
	for i, tok := range []string{consoleToken, "wrong", consoleToken} {
		resp, body := b.signIn(tok)
		if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") != "901" || !strings.Contains(body, "Too many failed sign-ins") {
			t.Fatalf("attempt %d (token %q) after %d failures: %d Retry-After %q\n%s", authFailLimit+1+i, tok, authFailLimit,
				resp.StatusCode, resp.Header.Get("Retry-After"), body)
		}
	}
	for _, r := range env.admin.records() {
		if strings.Contains(r.Action, "signin_failed") || r.Action == model.ActionAuthFailed {
			t.Errorf("a failed sign-in in the audit log: %+v", r)
		}
	}
	aggs, _ := env.admin.AuthFailureLog(t.Context(), 10)
	if len(aggs) != 1 || aggs[0].Count != authFailLimit || aggs[0].Via != "console" || aggs[0].Client != "127.0.0.1" {
		t.Errorf("aggregate records %+v, want one of %d console failures from 127.0.0.1", aggs, authFailLimit)
	}
	env.clock.Add(authWindow)
	if resp, body := b.signIn(consoleToken); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("after the window: %d %s", resp.StatusCode, body)
	}
}

// TestConsole_signInLimitSharedByInstances: a client locked out through
// one instance is locked out on another that shares the store (and on one
// that restarted), the right token included: the lockout is the store's
// count, not an instance's memory.
func TestConsole_signInLimitSharedByInstances(t *testing.T) {
	one := newConsoleEnv(t, testBaseURL, nil)
	two := newConsoleEnv(t, testBaseURL, func(o *Options) { o.Admin = one.admin })
	b := one.client(t)
	for range authFailLimit + 1 {
		b.signIn("wrong")
	}
	other := two.client(t)
	resp, body := other.signIn(consoleToken)
	if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") == "" {
		t.Fatalf("the right token on the other instance after %d failures: %d Retry-After %q\n%s",
			authFailLimit+1, resp.StatusCode, resp.Header.Get("Retry-After"), body)
	}
}

// TestConsole_CSRF: a form posted without the session's token, with a
// wrong one or from another site is refused with 403 and reaches nothing.
func TestConsole_CSRF(t *testing.T) {
	env := newConsoleEnv(t, testBaseURL, nil)
	b := env.client(t)
	csrf := b.mustSignIn()
	tests := []struct {
		name string
		form url.Values
		hdr  map[string]string
		code int
	}{
		{"no token", url.Values{}, nil, 403},
		{"empty token", url.Values{"csrf": {""}}, nil, 403},
		{"wrong token", url.Values{"csrf": {csrf + "x"}}, nil, 403},
		{"another session's token", url.Values{"csrf": {csrfFor(env.s.adminToken(), "other-session")}}, nil, 403},
		{"right token from another origin", url.Values{"csrf": {csrf}}, map[string]string{"Origin": "https://evil.example"}, 403},
		{"right token, cross-site fetch", url.Values{"csrf": {csrf}}, map[string]string{"Sec-Fetch-Site": "cross-site"}, 403},
		{"right token, same origin", url.Values{"csrf": {csrf}}, map[string]string{"Origin": env.ts.URL, "Sec-Fetch-Site": "same-origin"}, 303},
	}
	paths := []string{"/admin/sources/s1/pause", "/admin/sections/news/entries/e1/hide", "/admin/sources/s1/remove", "/admin/signout"}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, p := range paths[:3] {
				before := len(env.admin.changes())
				hb := *b
				hb.hdr = maps.Clone(tt.hdr)
				if hb.hdr == nil {
					hb.hdr = map[string]string{}
				}
				resp, body := hb.do("POST", p, tt.form)
				if resp.StatusCode != tt.code {
					t.Fatalf("POST %s: %d, want %d\n%s", p, resp.StatusCode, tt.code, body)
				}
				if changed := len(env.admin.changes()) != before; changed != (tt.code == 303) {
					t.Errorf("POST %s: admin reached = %v with status %d (calls %v)", p, changed, resp.StatusCode, env.admin.changes())
				}
			}
		})
	}
	refused := 0
	for _, r := range env.admin.records() {
		if strings.HasPrefix(r.Result, "refused:") {
			refused++
		}
	}
	if refused != 6*3 {
		t.Errorf("%d refusals audited, want %d", refused, 6*3)
	}
}

// TestConsole_sessionEnds: a session ends at its expiry, on sign-out, and
// when the admin token changes; each time the next page asks to sign in.
func TestConsole_sessionEnds(t *testing.T) {
	tests := []struct {
		name string
		end  func(env *consoleEnv, b *browserish, csrf string)
	}{
		{"expiry", func(env *consoleEnv, _ *browserish, _ string) { env.clock.Add(DefaultSessionLifetime) }},
		{"sign-out", func(_ *consoleEnv, b *browserish, csrf string) {
			saved := maps.Clone(b.cookies)
			if resp, _ := b.do("POST", "/admin/signout", url.Values{"csrf": {csrf}}); resp.StatusCode != http.StatusSeeOther {
				b.t.Fatalf("sign-out: %d", resp.StatusCode)
			}
			b.cookies = saved // a copy of the cookie kept elsewhere is dead too
		}},
		{"token changed", func(env *consoleEnv, _ *browserish, _ string) { env.s.SetAdminToken(consoleToken + "-new") }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := newConsoleEnv(t, testBaseURL, nil)
			b := env.client(t)
			csrf := b.mustSignIn()
			env.clock.Add(DefaultSessionLifetime - time.Second)
			if resp, _ := b.get("/admin/audit"); resp.StatusCode != http.StatusOK {
				t.Fatalf("a second before expiry: %d", resp.StatusCode)
			}
			env.clock.Add(-DefaultSessionLifetime + time.Second)
			tt.end(env, b, csrf)
			resp, _ := b.get("/admin/audit")
			if resp.StatusCode != http.StatusSeeOther || !strings.Contains(resp.Header.Get("Location"), "/admin/signin") {
				t.Errorf("after the session ended: %d Location %q", resp.StatusCode, resp.Header.Get("Location"))
			}
			before := len(env.admin.changes())
			if resp, _ := b.do("POST", "/admin/sources/s1/pause", url.Values{"csrf": {csrf}}); resp.StatusCode != http.StatusSeeOther ||
				!strings.Contains(resp.Header.Get("Location"), "/admin/signin") || len(env.admin.changes()) != before {
				t.Errorf("post after the session ended: %d %q, calls %v", resp.StatusCode, resp.Header.Get("Location"), env.admin.changes())
			}
		})
	}
}

// TestConsole_pages renders every page in both languages, with the
// headers every console answer carries and nothing a source controls
// unescaped.
func TestConsole_pages(t *testing.T) {
	env := newConsoleEnv(t, testBaseURL, nil)
	env.admin.mod = model.SectionModeration{
		Hidden: []model.ModeratedEntry{{Entry: model.Entry{ID: "h1", Title: "Hidden " + xssTitle}, At: consoleNow.Add(-time.Minute)}},
		Pinned: []model.ModeratedEntry{{Entry: model.Entry{ID: "e1", Title: "Entry one " + xssTitle}, At: consoleNow.Add(-time.Hour), Until: consoleNow.Add(24 * time.Hour)}},
	}
	env.admin.polls = []model.PollRecord{{Time: consoleNow.Add(-3 * time.Minute), Duration: 120 * time.Millisecond, Result: "error", Status: 500, Error: "HTTP 500 " + xssTitle}}
	env.admin.Audit(t.Context(), model.AuditRecord{Time: consoleNow, Action: "source.add", Target: xssTitle, Client: "192.0.2.1", Via: "api", Result: "ok"})
	b := env.client(t)
	b.mustSignIn()
	tests := []struct {
		path string
		zh   []string
		en   []string
	}{
		{"/admin/", []string{"栏目与来源", "3 分钟前", "2026-11-17 15:57\u00a0CST", "失败", "配置文件"}, []string{"Sections and sources", "3 minutes ago", "failing", "config file"}},
		{"/admin/sources/s1", []string{"最近抓取", "删除来源", "保留其已发布的条目", ">教育</textarea>", "HTTP 500"}, []string{"Recent polls", "Remove source", "Keep its published entries"}},
		{"/admin/sources/cfg", []string{"/etc/tributary/tributary.yaml 第 14 行"}, []string{"config file /etc/tributary/tributary.yaml at line 14"}},
		{"/admin/sections/news", []string{"下架", "置顶", "1 天", "已下架", "不过期"}, []string{"Hide", "Pin", "1 day", "Hidden", "no expiry"}},
		{"/admin/sources/new", []string{">查找</button>", "粘贴成员单位网站的网址"}, []string{">Find</button>", "Paste a member site"}},
		{"/admin/audit", []string{"操作日志", "source.add", "192.0.2.1"}, []string{"Audit log", "source.add"}},
	}
	for _, tt := range tests {
		for _, lang := range []string{"zh", "en"} {
			t.Run(tt.path+" "+lang, func(t *testing.T) {
				resp, body := b.get(tt.path + "?lang=" + lang)
				if resp.StatusCode != http.StatusOK {
					t.Fatalf("%d\n%s", resp.StatusCode, body)
				}
				want := tt.zh
				if lang == "en" {
					want = tt.en
				}
				for _, w := range want {
					if !strings.Contains(body, w) {
						t.Errorf("page lacks %q", w)
					}
				}
				checkConsoleHeaders(t, resp)
				checkNoMarkup(t, body)
			})
		}
	}
	resp, css := b.get("/admin/static/console.css")
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Cache-Control") != "no-store" || !strings.Contains(css, "@media") {
		t.Errorf("stylesheet: %d Cache-Control %q", resp.StatusCode, resp.Header.Get("Cache-Control"))
	}
	// The language sticks (cookie) without ?lang; Accept-Language decides
	// for a browser that never chose.
	if _, body := b.get("/admin/audit"); !strings.Contains(body, "Audit log") {
		t.Error("the language chosen with ?lang=en did not stick")
	}
	fresh := env.client(t)
	fresh.hdr["Accept-Language"] = "en-US,en;q=0.9"
	if _, body := fresh.get("/admin/signin"); !strings.Contains(body, `<html lang="en">`) || !strings.Contains(body, "Sign in") {
		t.Error("Accept-Language: en did not give an English sign-in page")
	}
}

func checkConsoleHeaders(t *testing.T, resp *http.Response) {
	t.Helper()
	want := map[string]string{
		"Cache-Control": "no-store", "X-Frame-Options": "DENY", "X-Content-Type-Options": "nosniff",
		"Content-Security-Policy": consoleSecurityPolicy,
	}
	for k, v := range want {
		if got := resp.Header.Get(k); got != v {
			t.Errorf("%s = %q, want %q", k, got, v)
		}
	}
	if csp := resp.Header.Get("Content-Security-Policy"); strings.Contains(csp, "script-src") || !strings.Contains(csp, "frame-ancestors 'none'") {
		t.Errorf("CSP %q allows script or framing", csp)
	}
}

// checkNoMarkup fails when markup that a source or feed controls reached a
// page unescaped.
func checkNoMarkup(t *testing.T, body string) {
	t.Helper()
	for _, bad := range []string{"<script", "<img", `href="javascript:`} {
		if strings.Contains(body, bad) {
			t.Errorf("page holds %q unescaped", bad)
		}
	}
}

// TestConsole_errorHeadings: a page the Admin refuses is titled in the
// console's language, whatever the status.
func TestConsole_errorHeadings(t *testing.T) {
	env := newConsoleEnv(t, testBaseURL, nil)
	b := env.client(t)
	b.mustSignIn()
	tests := []struct {
		lang, want, not string
	}{
		{"zh", "<h1>找不到</h1>", "Not Found"},
		{"en", "<h1>Not found</h1>", "Not Found"},
	}
	for _, tt := range tests {
		t.Run(tt.lang, func(t *testing.T) {
			resp, body := b.get("/admin/sources/nope?lang=" + tt.lang)
			if resp.StatusCode != http.StatusNotFound || !strings.Contains(body, tt.want) || strings.Contains(body, tt.not) {
				t.Errorf("%d, want 404 headed %q (not %q):\n%s", resp.StatusCode, tt.want, tt.not, body)
			}
		})
	}
}

// TestConsole_langLink: the language switch stays on the page, under the
// path prefix of base_url like every other console link.
func TestConsole_langLink(t *testing.T) {
	tests := []struct {
		base, want string
	}{
		{"http://feeds.example.org", `href="/admin/audit?lang=en"`},
		{"https://portal.example.org/feeds", `href="/feeds/admin/audit?lang=en"`},
	}
	for _, tt := range tests {
		t.Run(tt.base, func(t *testing.T) {
			env := newConsoleEnv(t, tt.base, nil)
			b := env.client(t)
			b.mustSignIn()
			if _, body := b.get("/admin/audit?lang=zh"); !strings.Contains(body, tt.want) {
				t.Errorf("no language link %s on the page:\n%s", tt.want, body)
			}
		})
	}
}

// TestArticlesText: a source's article fetching reads in the page's
// language, not as model.ArticleStatus's English line.
func TestArticlesText(t *testing.T) {
	a := model.ArticleStatus{OK: 18, Failed: 2, Pending: 5, LastError: "HTTP 404 Not Found"}
	tests := []struct {
		lang string
		a    model.ArticleStatus
		want string
	}{
		{i18n.ZH, a, "已抓取 18 篇，失败 2 篇（最近一次：HTTP 404 Not Found），待抓取 5 篇"},
		{i18n.ZH, model.ArticleStatus{OK: 3}, "已抓取 3 篇"},
		{i18n.EN, a, a.String()},
	}
	for _, tt := range tests {
		if got := articlesText(i18n.Lang(tt.lang), tt.a); got != tt.want {
			t.Errorf("%s: %q, want %q", tt.lang, got, tt.want)
		}
	}
}
