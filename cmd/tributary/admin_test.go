package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/tributary-rss/tributary/aggregator/config"
	"github.com/tributary-rss/tributary/aggregator/poll"
)

const adminToken = "test-admin-token-0123456789"

// withAdmin appends an admin section to cfg's file and loads it again.
func withAdmin(t *testing.T, cfg *config.Config, admin string) *config.Config {
	t.Helper()
	data, err := os.ReadFile(cfg.Path)
	if err != nil {
		t.Fatal(err)
	}
	data = append(data, admin...)
	path := filepath.Join(filepath.Dir(cfg.Path), "admin.yaml")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	c, err := config.Load(path, func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// admin sends an admin API request with the given Authorization header
// value ("" for none) and JSON body (nil for none).
func (d *daemon) admin(t *testing.T, method, path, auth string, body any) (*http.Response, []byte) {
	t.Helper()
	var rd io.Reader
	if body != nil {
		data, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(data)
	}
	req, err := http.NewRequest(method, d.base+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, data
}

// regexpLine reports whether some line of s matches expr.
func regexpLine(s, expr string) bool {
	re := regexp.MustCompile(expr)
	for _, line := range strings.Split(s, "\n") {
		if re.MatchString(line) {
			return true
		}
	}
	return false
}

func expectStatus(t *testing.T, what string, resp *http.Response, body []byte, code int, contains string) {
	t.Helper()
	if resp.StatusCode != code || !strings.Contains(string(body), contains) {
		t.Errorf("%s: %d %s, want %d containing %q", what, resp.StatusCode, body, code, contains)
	}
}

// waitPollOf waits for a poll of url and returns it, skipping others.
func (d *daemon) waitPollOf(t *testing.T, url string) poll.Result {
	t.Helper()
	for {
		for _, r := range d.waitPolls(t, 1) {
			if r.URL == url {
				return r
			}
		}
	}
}

type adminSource struct {
	ID        string   `json:"id"`
	State     string   `json:"state"`
	Origin    string   `json:"origin"`
	Sections  []string `json:"sections"`
	Paused    bool     `json:"paused"`
	LastError string   `json:"last_error"`
	Entries   int      `json:"entries"`
}

func listAdmin(t *testing.T, d *daemon) map[string]adminSource {
	t.Helper()
	resp, body := d.admin(t, "GET", "/api/v1/admin/sources", "Bearer "+adminToken, nil)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("list: %d %s", resp.StatusCode, body)
	}
	var out struct{ Sources []adminSource }
	if err := json.Unmarshal(body, &out); err != nil {
		t.Fatal(err)
	}
	m := map[string]adminSource{}
	for _, s := range out.Sources {
		m[s.ID] = s
	}
	return m
}

// TestDaemon_adminAPI drives the admin API end to end: authentication,
// adding a source that then polls into its section, pause, resume, poll
// now, refusals with precise messages, persistence across a restart (the
// embedded store's snapshot or Redis), `tributary sources` naming the
// origin, the connect-time SSRF guard once allow_private is off, and
// removal that keeps the entries.
func TestDaemon_adminAPI(t *testing.T) {
	forEachBackend(t, testAdminAPI)
}

func testAdminAPI(t *testing.T, redisURL string) {
	dir := t.TempDir()
	alpha := newFixtureSource(t, "alpha.xml", "application/rss+xml; charset=utf-8", map[string]string{"{{TITLE}}": "Alpha 第三条"})
	beta := newFixtureSource(t, "beta.atom", "application/atom+xml", nil)
	alphaURL, betaURL := alpha.srv.URL+"/feed.xml", beta.srv.URL+"/feed.atom"
	base := writeConfig(t, dir, redisURL, "@every 1h", alphaURL)
	// Test sources live on loopback, which only allow_private admits.
	cfg := withAdmin(t, base, "admin:\n  token: "+adminToken+"\n  allow_private: true\n")
	d := startDaemon(t, cfg)
	d.waitPollOf(t, alphaURL)

	const list = "/api/v1/admin/sources"
	for _, tc := range []struct{ name, auth, want string }{
		{"no token", "", "missing bearer token"},
		{"wrong token", "Bearer " + adminToken + "x", "wrong or malformed bearer token"},
		{"token prefix", "Bearer " + adminToken[:10], "wrong or malformed bearer token"},
		{"basic auth", "Basic " + adminToken, "wrong or malformed bearer token"},
	} {
		resp, body := d.admin(t, "GET", list, tc.auth, nil)
		expectStatus(t, tc.name, resp, body, http.StatusUnauthorized, tc.want)
		if got := resp.Header.Get("WWW-Authenticate"); !strings.HasPrefix(got, "Bearer") {
			t.Errorf("%s: WWW-Authenticate = %q", tc.name, got)
		}
	}
	auth := "Bearer " + adminToken
	// With a token set, the operator views need it too (a browser sends it
	// as a Basic password).
	for _, tc := range []struct{ path, auth string }{
		{"/status", ""}, {"/status", "Basic " + base64.StdEncoding.EncodeToString([]byte("ops:wrong-password-123456"))},
		{"/api/v1/sources", ""}, {"/api/v1/sources", "Bearer nope"},
	} {
		resp, body := d.admin(t, "GET", tc.path, tc.auth, nil)
		expectStatus(t, tc.path+" without the token", resp, body, http.StatusUnauthorized, "needs the admin token")
	}
	for _, tc := range []struct{ path, auth string }{
		{"/status", "Basic " + base64.StdEncoding.EncodeToString([]byte("ops:"+adminToken))},
		{"/api/v1/sources", auth},
	} {
		resp, body := d.admin(t, "GET", tc.path, tc.auth, nil)
		expectStatus(t, tc.path+" with the token", resp, body, http.StatusOK, "")
	}
	resp, body := d.admin(t, "POST", list, auth, map[string]any{"url": betaURL, "sections": []string{"news"}, "title": "乙校", "id": "beta"})
	expectStatus(t, "add", resp, body, http.StatusCreated, `"origin": "api"`)
	if loc := resp.Header.Get("Location"); loc != "/api/v1/admin/sources/beta" {
		t.Errorf("Location = %q", loc)
	}
	if r := d.waitPollOf(t, betaURL); r.Err != nil || r.New != 2 {
		t.Fatalf("first poll of the added source: new=%d err=%v", r.New, r.Err)
	}
	_, feed := d.get(t, "/sections/news.json", nil)
	if !bytes.Contains(feed, []byte("Beta second")) || !bytes.Contains(feed, []byte("Alpha 第三条")) {
		t.Errorf("section lacks the added source's entries:\n%s", feed)
	}
	srcs := listAdmin(t, d)
	alphaID := ""
	for id, s := range srcs {
		if s.Origin == "config" {
			alphaID = id
		}
	}
	if srcs["beta"].Origin != "api" || alphaID == "" || len(srcs) != 2 {
		t.Fatalf("list = %+v", srcs)
	}

	// Refusals, each with the reason and the field at fault.
	for _, tc := range []struct {
		name, method, path string
		body               any
		code               int
		want               string
	}{
		{"unknown field", "POST", list, map[string]any{"url": "https://x.example/f", "section": "news"}, 400, `unknown field \"section\"`},
		{"no section", "POST", list, map[string]any{"url": "https://x.example/f"}, 400, `"field":"sections"`},
		{"unknown section", "POST", list, map[string]any{"url": "https://x.example/f", "sections": []string{"sports"}}, 400, `no section \"sports\" in the config`},
		{"bad url", "POST", list, map[string]any{"url": "file:///etc/passwd", "sections": []string{"news"}}, 400, `"field":"url"`},
		{"duplicate url", "POST", list, map[string]any{"url": alphaURL, "sections": []string{"news"}}, 409, "(a config file)"},
		{"empty body", "POST", list, nil, 400, "body: empty"},
		{"remove config source", "DELETE", list + "/" + alphaID, nil, 409, "defined in the config file"},
		{"unknown source", "POST", list + "/nope/pause", nil, 404, `no source \"nope\"`},
		{"unknown section poll", "POST", "/api/v1/admin/sections/nope/poll", nil, 404, `no section \"nope\"`},
		{"wrong method", "PUT", list, map[string]any{}, 405, ""},
	} {
		resp, body := d.admin(t, tc.method, tc.path, auth, tc.body)
		expectStatus(t, tc.name, resp, body, tc.code, tc.want)
	}

	// Pause, a refused poll, resume, then a section poll of both.
	resp, body = d.admin(t, "POST", list+"/beta/pause", auth, nil)
	expectStatus(t, "pause", resp, body, http.StatusOK, `"paused": true`)
	resp, body = d.admin(t, "POST", list+"/beta/poll", auth, nil)
	expectStatus(t, "poll paused", resp, body, http.StatusConflict, "paused; resume it first")
	resp, body = d.admin(t, "POST", list+"/beta/resume", auth, nil)
	expectStatus(t, "resume", resp, body, http.StatusOK, `"paused": false`)
	d.waitPollOf(t, betaURL) // resuming makes it due at once
	resp, body = d.admin(t, "POST", "/api/v1/admin/sections/news/poll", auth, nil)
	expectStatus(t, "poll section", resp, body, http.StatusAccepted, `"beta"`)
	d.waitPollOf(t, alphaURL) // an hourly source polled on request
	d.shutdown(t)

	// The added source survives a restart; `tributary sources` names its origin.
	var out, errOut bytes.Buffer
	if code := cmdSources(context.Background(), []string{"--config", cfg.Path}, &out, &errOut); code != exitOK {
		t.Fatalf("tributary sources: exit %d: %s", code, errOut.String())
	}
	if !strings.Contains(out.String(), "ORIGIN") || !regexpLine(out.String(), ` api +news .*feed\.atom$`) || !regexpLine(out.String(), ` config +news .*feed\.xml$`) {
		t.Errorf("tributary sources:\n%s", out.String())
	}
	t.Logf("tributary sources:\n%s", out.String())

	// Restarted with allow_private off, the stored loopback source is
	// refused at connect time, with the reason on its status; the other
	// source and every entry stay.
	strict := withAdmin(t, base, "admin:\n  token: "+adminToken+"\n")
	d = startDaemon(t, strict)
	resp, body = d.admin(t, "POST", list+"/beta/poll", auth, nil)
	expectStatus(t, "poll after restart", resp, body, http.StatusAccepted, `"beta"`)
	r := d.waitPollOf(t, betaURL)
	if r.Err == nil || !strings.Contains(r.Err.Error(), "refused to connect to 127.0.0.1: loopback address") {
		t.Fatalf("restricted poll err = %v, want a loopback refusal", r.Err)
	}
	if s := listAdmin(t, d)["beta"]; s.Origin != "api" || !strings.Contains(s.LastError, "loopback address") || s.Entries != 2 {
		t.Errorf("beta after refusal = %+v", s)
	}
	resp, body = d.admin(t, "POST", list, auth, map[string]any{"url": "http://127.0.0.1:1/feed", "sections": []string{"news"}})
	expectStatus(t, "add loopback", resp, body, http.StatusBadRequest, "a loopback address; sources added through the admin API must be public")
	resp, body = d.admin(t, "POST", list, auth, map[string]any{"url": "http://169.254.169.254/latest/meta-data/", "sections": []string{"news"}})
	expectStatus(t, "add metadata", resp, body, http.StatusBadRequest, "cloud metadata address")

	// Removal with keep_entries stops polling but keeps what was
	// published (admin_edit_test.go covers the default, which drops it).
	resp, body = d.admin(t, "DELETE", list+"/beta?keep_entries=true", auth, nil)
	expectStatus(t, "remove", resp, body, http.StatusNoContent, "")
	if _, ok := listAdmin(t, d)["beta"]; ok {
		t.Error("beta still listed after removal")
	}
	_, feed = d.get(t, "/sections/news.json", nil)
	if !bytes.Contains(feed, []byte("Beta second")) {
		t.Error("removing the source dropped its entries")
	}
	resp, body = d.admin(t, "DELETE", list+"/beta", auth, nil)
	expectStatus(t, "remove again", resp, body, http.StatusNotFound, `no source \"beta\"`)
}

// TestDaemon_adminAPIOff: with no token configured the admin API answers
// 404 everywhere, token or not.
func TestDaemon_adminAPIOff(t *testing.T) {
	alpha := newFixtureSource(t, "alpha.xml", "application/rss+xml; charset=utf-8", map[string]string{"{{TITLE}}": "x"})
	d := startDaemon(t, writeConfig(t, t.TempDir(), "", "@every 1h", alpha.srv.URL+"/feed.xml"))
	for _, auth := range []string{"", "Bearer " + adminToken} {
		resp, body := d.admin(t, "POST", "/api/v1/admin/sources", auth, map[string]any{"url": "https://x.example/", "sections": []string{"news"}})
		expectStatus(t, "admin off", resp, body, http.StatusNotFound, "the admin API is off")
	}
}
