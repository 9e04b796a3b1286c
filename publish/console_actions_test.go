package publish

import (
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/tributary-rss/tributary/aggregator/model"
)

// TestConsole_actions: each button does what it says, once, audited, and
// answers 303 back to a page showing what happened.
func TestConsole_actions(t *testing.T) {
	env := newConsoleEnv(t, testBaseURL, nil)
	b := env.client(t)
	csrf := b.mustSignIn()
	tests := []struct {
		name, path string
		form       url.Values
		call       string
		back       string
		action     string
	}{
		{"pause", "/admin/sources/s1/pause", nil, "pause s1", "/admin/sources/s1", "source.pause"},
		{"resume", "/admin/sources/s1/resume", nil, "resume s1", "/admin/sources/s1", "source.resume"},
		{"poll", "/admin/sources/s1/poll", nil, "poll source s1", "/admin/sources/s1", "source.poll"},
		{"remove keeping entries", "/admin/sources/s1/remove", url.Values{"keep": {"1"}}, "remove s1 keep=true", "/admin/", "source.remove"},
		{"remove", "/admin/sources/s1/remove", nil, "remove s1 keep=false", "/admin/", "source.remove"},
		{"section poll", "/admin/sections/news/poll", nil, "poll section news", "/admin/", "section.poll"},
		{"hide", "/admin/sections/news/entries/e1/hide", nil, "moderate news/e1 hide", "/admin/sections/news", "entry.hide"},
		{"unhide", "/admin/sections/news/entries/e1/unhide", nil, "moderate news/e1 unhide", "/admin/sections/news", "entry.unhide"},
		{"pin", "/admin/sections/news/entries/e1/pin", url.Values{"until": {"1d"}}, "moderate news/e1 pin", "/admin/sections/news", "entry.pin"},
		{"unpin", "/admin/sections/news/entries/e1/unpin", nil, "moderate news/e1 unpin", "/admin/sections/news", "entry.unpin"},
		{"edit", "/admin/sources/s1/update", url.Values{"title": {"Alpha 2"}, "sections": {"news", "hot"}, "include": {"教育"}}, "update s1", "/admin/sources/s1", "source.update"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := len(env.admin.changes())
			form := url.Values{"csrf": {csrf}}
			maps.Copy(form, tt.form)
			resp, body := b.do("POST", tt.path, form)
			if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != tt.back {
				t.Fatalf("%d Location %q, want 303 to %s\n%s", resp.StatusCode, resp.Header.Get("Location"), tt.back, body)
			}
			calls := env.admin.changes()[before:]
			if !slices.Equal(calls, []string{tt.call}) {
				t.Errorf("calls %v, want [%s]", calls, tt.call)
			}
			if recs := env.admin.records(); recs[0].Action != tt.action || recs[0].Result != "ok" || recs[0].Via != "console" {
				t.Errorf("audit %+v, want %s ok", recs[0], tt.action)
			}
			if _, page := b.get(tt.back); !strings.Contains(page, `class="flash"`) {
				t.Errorf("no flash message on %s after %s", tt.back, tt.name)
			}
		})
	}
	env.admin.mu.Lock()
	pin, upd := env.admin.modReq[2], env.admin.upd[0]
	env.admin.mu.Unlock()
	if !pin.Until.Equal(consoleNow.Add(24 * time.Hour)) {
		t.Errorf("pin until %v, want a day from now", pin.Until)
	}
	// The edit sends what changed, nothing else.
	if upd.Title == nil || *upd.Title != "Alpha 2" || upd.Sections == nil || !slices.Equal(*upd.Sections, []string{"news", "hot"}) ||
		upd.Include != nil || upd.Schedule != nil || upd.Scrape != nil || upd.ClearScrape || upd.ClearContent {
		t.Errorf("update request %+v", upd)
	}
}

// TestConsole_formErrors: a refused edit or add comes back with the
// reason next to its field, and a bad pin expiry is refused before the
// Admin sees it.
func TestConsole_formErrors(t *testing.T) {
	env := newConsoleEnv(t, testBaseURL, nil)
	env.admin.addErr = &model.RequestError{Kind: model.ErrConflict, Field: "url", Msg: "already a source " + xssTitle}
	b := env.client(t)
	csrf := b.mustSignIn()
	tests := []struct {
		name, path string
		form       url.Values
		code       int
		want       string
	}{
		// A refusal without a key: a sentence in Chinese, the English under it.
		{"edit with a bad schedule", "/admin/sources/s1/update", url.Values{"schedule": {"bad"}, "sections": {"news"}}, 400,
			`请求未被接受（原因见下方英文说明）。<small class="detail-en" lang="en">schedule: &#34;bad&#34; is not a cron spec</small></p>`},
		{"edit with a bad max_per_poll", "/admin/sources/s1/update", url.Values{"content_fetch": {"1"}, "content_max": {"x"}, "sections": {"news"}}, 400, "每次最多抓取的篇数须为不小于 1 的整数，填写的是“x”。</p>"},
		{"add a duplicate", "/admin/sources/new", url.Values{"op": {"add"}, "url": {"https://alpha.example/feed"}, "sections": {"news"}}, 409, "url: already a source"},
		{"pin until the past", "/admin/sections/news/entries/e1/pin", url.Values{"until": {"at"}, "at": {"2026-11-17T15:00"}}, 303, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			form := url.Values{"csrf": {csrf}}
			maps.Copy(form, tt.form)
			resp, body := b.do("POST", tt.path, form)
			if resp.StatusCode != tt.code || !strings.Contains(body, tt.want) {
				t.Fatalf("%d, want %d with %q\n%s", resp.StatusCode, tt.code, tt.want, body)
			}
			checkNoMarkup(t, body)
		})
	}
	if _, page := b.get("/admin/sections/news"); !strings.Contains(page, "到期时间 2026-11-17T15:00 已经过去。") || !strings.Contains(page, "flash-error") {
		t.Errorf("past pin expiry not explained:\n%s", page)
	}
	for _, c := range env.admin.changes() {
		if strings.HasPrefix(c, "moderate") {
			t.Errorf("a pin with a past expiry reached the Admin: %v", c)
		}
	}
}

// TestConsole_newSource: discover lists the page's feeds, "use" takes one
// into the form, preview shows what a poll would store, add redirects to
// the new source.
func TestConsole_newSource(t *testing.T) {
	env := newConsoleEnv(t, testBaseURL, nil)
	b := env.client(t)
	csrf := b.mustSignIn()
	post := func(form url.Values) (*http.Response, string) {
		form.Set("csrf", csrf)
		return b.do("POST", "/admin/sources/new?lang=en", form)
	}
	_, body := post(url.Values{"op": {"discover"}, "url": {"https://school.example/"}})
	if !strings.Contains(body, "This page offers feeds (1)") || !strings.Contains(body, `value="https://school.example//feed.xml"`) {
		t.Errorf("discover:\n%s", body)
	}
	checkNoMarkup(t, body)
	_, body = post(url.Values{"use": {"https://school.example/feed.xml"}, "url": {"https://school.example/"}})
	if !strings.Contains(body, `id="f-url" name="url" type="url" value="https://school.example/feed.xml"`) {
		t.Errorf("use did not fill the URL:\n%s", body)
	}
	_, body = post(url.Values{"op": {"preview"}, "url": {"https://school.example/feed.xml"}, "sections": {"news"}})
	if !strings.Contains(body, "Preview: 1 entries") || !strings.Contains(body, "no date") {
		t.Errorf("preview:\n%s", body)
	}
	checkNoMarkup(t, body)
	if n := len(env.admin.changes()); n != 0 {
		t.Errorf("discover and preview changed something: %v", env.admin.changes())
	}
	resp, _ := post(url.Values{"op": {"add"}, "url": {"https://school.example/feed.xml"}, "sections": {"news"}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/admin/sources/new1" {
		t.Errorf("add: %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	if c := env.admin.changes(); !slices.Equal(c, []string{"add https://school.example/feed.xml [news]"}) {
		t.Errorf("calls %v", c)
	}
}

func TestConsole_auditJSON(t *testing.T) {
	env := newConsoleEnv(t, testBaseURL, nil)
	env.admin.Audit(t.Context(), model.AuditRecord{Action: "entry.hide", Target: "news/e1", Via: "console", Result: "ok"})
	tests := []struct {
		name, auth, query string
		code              int
		want              string
	}{
		{"no session, no token", "", "", 401, "sign in"},
		{"wrong token", "Bearer nope", "", 401, "sign in"},
		{"bearer token", "Bearer " + consoleToken, "", 200, `"action": "entry.hide"`},
		{"bad limit", "Bearer " + consoleToken, "?limit=0", 400, "limit: must be an integer"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hdr := map[string]string{}
			if tt.auth != "" {
				hdr["Authorization"] = tt.auth
			}
			resp, body := fetch(t, env.ts, "GET", "/admin/audit.json"+tt.query, hdr)
			if resp.StatusCode != tt.code || !strings.Contains(string(body), tt.want) || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
				t.Errorf("%d %s %s", resp.StatusCode, resp.Header.Get("Content-Type"), body)
			}
		})
	}
	b := env.client(t)
	b.mustSignIn()
	if resp, body := b.get("/admin/audit.json?limit=1"); resp.StatusCode != 200 || strings.Count(body, `"action"`) != 1 {
		t.Errorf("with a session: %d %s", resp.StatusCode, body)
	}
}

// formFields is what a browser would submit from the form on page whose
// action ends with action: text inputs, hidden fields, checked boxes,
// textareas and each select's selected (or first) option.
func formFields(t *testing.T, page, action string) url.Values {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	attr := func(n *html.Node, key string) (string, bool) {
		for _, a := range n.Attr {
			if a.Key == key {
				return a.Val, true
			}
		}
		return "", false
	}
	var form *html.Node
	for n := range doc.Descendants() {
		if a, _ := attr(n, "action"); n.Type == html.ElementNode && n.Data == "form" && strings.HasSuffix(a, action) {
			form = n
			break
		}
	}
	if form == nil {
		t.Fatalf("no form posting to %s on the page:\n%s", action, page)
	}
	v := url.Values{}
	for n := range form.Descendants() {
		if n.Type != html.ElementNode {
			continue
		}
		name, ok := attr(n, "name")
		if !ok {
			continue
		}
		switch n.Data {
		case "input":
			typ, _ := attr(n, "type")
			val, _ := attr(n, "value")
			if _, checked := attr(n, "checked"); (typ == "checkbox" || typ == "radio") && !checked {
				continue
			}
			v.Add(name, val)
		case "textarea":
			text := ""
			if n.FirstChild != nil {
				text = n.FirstChild.Data
			}
			v.Add(name, text)
		}
	}
	return v
}

// TestConsole_editRoundTrip: the edit form submitted as the page shows it
// but for one field sends that field alone, so saving a schedule does not
// also set a title the source never had (the page shows the feed's own).
func TestConsole_editRoundTrip(t *testing.T) {
	env := newConsoleEnv(t, testBaseURL, nil)
	b := env.client(t)
	b.mustSignIn()
	_, page := b.get("/admin/sources/s1")
	form := formFields(t, page, "/admin/sources/s1/update")
	if got := form.Get("title"); got != "Alpha "+xssTitle {
		t.Fatalf("title field %q, want the feed's own title shown", got)
	}
	form.Set("schedule", "@every 30m")
	resp, body := b.do("POST", "/admin/sources/s1/update", form)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("%d\n%s", resp.StatusCode, body)
	}
	env.admin.mu.Lock()
	upd := env.admin.upd[len(env.admin.upd)-1]
	env.admin.mu.Unlock()
	if fields := upd.Fields(); !slices.Equal(fields, []string{"schedule"}) {
		t.Errorf("the edit sets %v, want [schedule]", fields)
	}
	if recs := env.admin.records(); recs[0].Action != "source.update" || recs[0].Detail != "schedule" {
		t.Errorf("audit %+v, want source.update of schedule", recs[0])
	}
}
