package browsertest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

const adminToken = "test-admin-token-0123456789"

// TestDaemon_consoleBrowser drives the web console in headless Chromium
// against a real daemon: sign in with the token, add a source through
// the form, see its entries reach the section's console page, try a form
// whose CSRF field was removed (refused, nothing hidden), then hide an
// entry with its button and check over HTTP that it left every output of
// the section: RSS, Atom, JSON Feed, the HTML page, the iframe fragment,
// the widget's data and the API.
func TestDaemon_consoleBrowser(t *testing.T) {
	chromium := needChromium(t, "the console's browser test needs it")
	alpha := serveFixture(t, "alpha.xml", "application/rss+xml; charset=utf-8", map[string]string{"{{TITLE}}": "Alpha 第三条"})
	beta := serveFixture(t, "beta.atom", "application/atom+xml", nil)
	betaURL := beta.URL + "/feed.atom"
	d := startDaemon(t, daemonConfig{
		baseURL: "http://feeds.example.test",
		sources: []string{alpha.URL + "/feed.xml"},
		// Test sources live on loopback, which only allow_private admits.
		admin: "admin:\n  token: " + adminToken + "\n  allow_private: true\n",
	})
	// The configured source's first poll is in: the scheduler runs, and
	// with it the handling of sources the console adds.
	waitFor(t, "the configured source's entries", 20*time.Second, func() bool {
		_, body := d.get(t, "/api/v1/sections/news/entries")
		return strings.Contains(string(body), "Alpha 第三条")
	})

	ctx := newBrowser(t, chromium)
	do := func(what string, steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, steps...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	textOf := func(sel string) string {
		t.Helper()
		text, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
		if err != nil {
			t.Fatalf("text of %s: %v", sel, err)
		}
		return text
	}
	do("sign in",
		// A phone's viewport: headless windows are at least 500 px wide.
		chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile),
		chromedp.Navigate(d.base+"/admin/?lang=en"),
		chromedp.WaitVisible(chromedp.ID("token")),
		chromedp.SendKeys(chromedp.ID("token"), adminToken),
		chromedp.Click(chromedp.CSS(`form[action$="/admin/signin"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`.page-overview`)),
	)
	if text := textOf("main"); !strings.Contains(text, "Signed in.") || !strings.Contains(text, "Sections and sources") {
		t.Fatalf("overview after sign-in:\n%s", text)
	}

	do("add a source",
		chromedp.Navigate(d.base+"/admin/sources/new"),
		chromedp.WaitVisible(chromedp.ID("f-url")),
		chromedp.SendKeys(chromedp.ID("f-url"), betaURL),
		// The form asks for the rest once the URL has been looked at.
		chromedp.Click(chromedp.CSS(`button[name=op][value=discover]`)),
		chromedp.WaitVisible(chromedp.ID("f-title")),
		chromedp.SendKeys(chromedp.ID("f-title"), "乙校"),
		chromedp.Click(chromedp.CSS(`input[name=sections][value=news]`)),
		chromedp.Click(chromedp.CSS(`button[name=op][value=add]`)),
		chromedp.WaitVisible(chromedp.CSS(`.page-source`)),
	)
	if text := textOf("main"); !strings.Contains(text, "Source added") || !strings.Contains(text, betaURL) {
		t.Fatalf("source page after adding:\n%s", text)
	}

	// Polled: its entries show on the section's console page.
	deadline := time.Now().Add(20 * time.Second)
	for text := ""; !strings.Contains(text, "Beta second"); text = textOf("#newest") {
		if time.Now().After(deadline) {
			t.Fatalf("the added source's entries did not reach the console's section page within 20s:\n%s", text)
		}
		do("section page", chromedp.Navigate(d.base+"/admin/sections/news"), chromedp.WaitVisible(chromedp.ID("newest")))
		time.Sleep(100 * time.Millisecond) // the poll interval of this wait
	}
	// Its page lists that poll.
	do("source page", chromedp.Navigate(d.base+"/admin/sources/"+sourceIDOf(t, d, betaURL)),
		chromedp.WaitVisible(chromedp.CSS(`ol.polls li.poll-ok`)))
	second, first := entryIDOf(t, d, "Beta second"), entryIDOf(t, d, "Beta first")
	for _, title := range []string{"Beta second", "Beta first"} {
		for _, out := range sectionOutputs(t, d) {
			if !strings.Contains(out.body, title) {
				t.Fatalf("before hiding, %s lacks %q", out.name, title)
			}
		}
	}

	// A form stripped of its CSRF field is refused and hides nothing.
	do("back to the section page", chromedp.Navigate(d.base+"/admin/sections/news"), chromedp.WaitVisible(chromedp.ID("entry-"+first)))
	removed, err := chromedp.Run(ctx, chromedp.Evaluate[bool](fmt.Sprintf(
		`(document.querySelector('#entry-%s form[action$="/hide"] input[name=csrf]').remove(), true)`, first)))
	if err != nil || !removed {
		t.Fatalf("remove the CSRF field: %v", err)
	}
	do("post without the CSRF field",
		chromedp.Click(chromedp.CSS(fmt.Sprintf(`#entry-%s form[action$="/hide"] button`, first))),
		chromedp.WaitVisible(chromedp.CSS(`.page-message`)),
	)
	if text := textOf("main"); !strings.Contains(text, "Request refused") || !strings.Contains(text, "no security token") {
		t.Errorf("post without CSRF field:\n%s", text)
	}

	do("hide an entry",
		chromedp.Navigate(d.base+"/admin/sections/news"),
		chromedp.WaitVisible(chromedp.ID("entry-"+second)),
		chromedp.Click(chromedp.CSS(fmt.Sprintf(`#entry-%s form[action$="/hide"] button`, second))),
		chromedp.WaitVisible(chromedp.ID("hidden-"+second)),
	)
	if text := textOf("main"); !strings.Contains(text, "Entry hidden.") {
		t.Errorf("no confirmation after hiding:\n%s", text)
	}
	// Gone from every output within a second (the render caches drop
	// the section on its change event); the entry the refused form
	// aimed at stays everywhere.
	deadline = time.Now().Add(time.Second)
	for {
		var left []string
		for _, out := range sectionOutputs(t, d) {
			if strings.Contains(out.body, "Beta second") {
				left = append(left, out.name)
			}
			if !strings.Contains(out.body, "Beta first") {
				t.Fatalf("%s lost %q, which nobody hid", out.name, "Beta first")
			}
		}
		if len(left) == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("a second after hiding, %q is still in %v", "Beta second", left)
		}
		time.Sleep(50 * time.Millisecond)
	}
	do("audit log", chromedp.Navigate(d.base+"/admin/audit"), chromedp.WaitVisible(chromedp.CSS(".page-audit")))
	text := textOf("main")
	// On a phone 390 px wide no page scrolls sideways.
	for _, p := range []string{"/admin/?lang=zh", "/admin/sources/" + sourceIDOf(t, d, betaURL), "/admin/sections/news", "/admin/sources/new", "/admin/audit"} {
		do("open "+p, chromedp.Navigate(d.base+p), chromedp.WaitVisible(chromedp.ID("main")))
		// A page wider than the phone is zoomed out on it: the layout
		// viewport grows past 390 px.
		widths, err := chromedp.Run(ctx, chromedp.Evaluate[[]int](`[window.innerWidth, document.documentElement.scrollWidth]`))
		if err != nil || len(widths) != 2 || widths[0] != 390 || widths[1] != 390 {
			t.Errorf("%s on a 390 px phone: viewport and content widths %v, want [390 390] (err %v)", p, widths, err)
		}
	}
	// The audit log words each action and names the entry hidden by its
	// title, with its section and id.
	for _, want := range []string{"Signed in", "Source added", "Hidden · Beta second", "section news · " + second, "refused: the form carries no CSRF token"} {
		if !strings.Contains(text, want) {
			t.Errorf("audit log lacks %q:\n%s", want, text)
		}
	}
}

// entryIDOf finds an entry of section news by title through the API.
func entryIDOf(t *testing.T, d *daemon, title string) string {
	t.Helper()
	_, body := d.get(t, "/api/v1/sections/news/entries?limit=50")
	var out struct {
		Entries []struct{ ID, Title string }
	}
	if err := json.Unmarshal(body, &out); err != nil {
		t.Fatalf("API: %v\n%s", err, body)
	}
	for _, e := range out.Entries {
		if e.Title == title {
			return e.ID
		}
	}
	t.Fatalf("no entry %q in the API:\n%s", title, body)
	return ""
}

// sourceIDOf finds a source's id by URL through the admin API.
func sourceIDOf(t *testing.T, d *daemon, url string) string {
	t.Helper()
	_, body := d.get(t, "/api/v1/admin/sources", "Authorization", "Bearer "+adminToken)
	var out struct {
		Sources []struct {
			ID            string `json:"id"`
			ConfiguredURL string `json:"configured_url"`
		}
	}
	if err := json.Unmarshal(body, &out); err != nil {
		t.Fatalf("admin API: %v\n%s", err, body)
	}
	for _, s := range out.Sources {
		if s.ConfiguredURL == url {
			return s.ID
		}
	}
	t.Fatalf("no source %s in the admin API:\n%s", url, body)
	return ""
}

type sectionOutput struct{ name, body string }

// sectionOutputs fetches every output of section news.
func sectionOutputs(t *testing.T, d *daemon) []sectionOutput {
	t.Helper()
	var out []sectionOutput
	for _, p := range []struct{ name, path string }{
		{"RSS", "/sections/news.rss"},
		{"Atom", "/sections/news.atom"},
		{"JSON Feed", "/sections/news.json"},
		{"HTML page", "/sections/news"},
		{"iframe fragment", "/embed/news.html"},
		{"widget data", "/api/v1/sections/news/entries?limit=5"},
		{"API", "/api/v1/sections/news/entries"},
	} {
		resp, body := d.get(t, p.path)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s (%s): %d %s", p.name, p.path, resp.StatusCode, body)
		}
		out = append(out, sectionOutput{p.name, string(body)})
	}
	return out
}
