package publish

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/publish/i18n"
)

func newOptsServer(t *testing.T, fx fixture, opts Options) *httptest.Server {
	t.Helper()
	opts.BaseURL = testBaseURL
	opts.Sections = []model.Section{fx.Section}
	ts := httptest.NewServer(NewServer(newFakeReader(fx), opts))
	t.Cleanup(ts.Close)
	return ts
}

func TestServer_CacheControl(t *testing.T) {
	fx := loadFixture(t)
	ts := newOptsServer(t, fx, Options{CacheMaxAge: 90 * time.Second})
	for _, path := range []string{"/", "/sections/news", "/sections/news.rss", "/api/v1/sections", "/api/v1/sections/news/entries", "/opml", "/embed/news.js"} {
		if resp, _ := get(t, ts, path); resp.Header.Get("Cache-Control") != "public, max-age=90" {
			t.Errorf("%s: Cache-Control %q", path, resp.Header.Get("Cache-Control"))
		}
	}
}

func TestServer_UILanguage(t *testing.T) {
	fx := loadFixture(t)
	tests := []struct {
		name, lang, accept string
		want, notWant      []string
	}{
		// Dates have one layout (ui.date_format) whatever the language.
		{"config en", i18n.EN, "zh-CN", []string{`<html lang="en"`, ">2025-10-17<", "All sections"}, []string{">10月17日<", "更多"}},
		{"config zh", i18n.ZH, "en", []string{`<html lang="zh-CN"`, ">2025-10-17<", "全部栏目"}, []string{"All sections", "More »"}},
		{"negotiated en", "", "en-US,en;q=0.9", []string{">2025-10-17<", "All sections"}, nil},
		{"negotiated default", "", "fr", []string{">2025-10-17<", "全部栏目"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts := newOptsServer(t, fx, Options{UILang: tt.lang})
			for _, path := range []string{"/sections/news", "/embed/news.html"} {
				_, body := fetch(t, ts, http.MethodGet, path, map[string]string{"Accept-Language": tt.accept})
				page := string(body)
				// The fragment has no home link.
				skip := func(w string) bool { return path == "/embed/news.html" && (w == "All sections" || w == "全部栏目") }
				for _, w := range tt.want {
					if !skip(w) && !strings.Contains(page, w) {
						t.Errorf("%s lacks %q", path, w)
					}
				}
				for _, w := range tt.notWant {
					if !skip(w) && strings.Contains(page, w) {
						t.Errorf("%s has %q", path, w)
					}
				}
			}
		})
	}
}

func TestServer_Embed(t *testing.T) {
	fx := loadFixture(t)
	ts := newOptsServer(t, fx, Options{CORSOrigin: "https://portal.example.edu.cn"})
	t.Run("script", func(t *testing.T) {
		resp, body := get(t, ts, "/embed/news.js")
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/javascript; charset=utf-8" {
			t.Fatalf("status %d, type %q", resp.StatusCode, resp.Header.Get("Content-Type"))
		}
		for _, want := range []string{"'use strict'", "attachShadow", "textContent", "/api/v1/sections/"} {
			if !bytes.Contains(body, []byte(want)) {
				t.Errorf("widget lacks %q", want)
			}
		}
		if bytes.Contains(body, []byte("innerHTML")) {
			t.Error("widget uses innerHTML")
		}
		resp, _ = fetch(t, ts, http.MethodGet, "/embed/news.js", map[string]string{"If-None-Match": resp.Header.Get("ETag")})
		if resp.StatusCode != http.StatusNotModified {
			t.Errorf("revalidation: %d", resp.StatusCode)
		}
	})
	t.Run("fragment", func(t *testing.T) {
		resp, body := get(t, ts, "/embed/news.html?limit=2&summary=5&lang=en")
		if resp.StatusCode != 200 {
			t.Fatalf("status %d", resp.StatusCode)
		}
		// Its only script is our static height reporter: script-src 'self'.
		if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "frame-ancestors *") || !strings.Contains(csp, "script-src 'self';") || strings.Contains(csp, "unsafe-inline") {
			t.Errorf("CSP %q", csp)
		}
		if n := bytes.Count(body, []byte(`class="trib-item"`)); n != 2 {
			t.Errorf("%d items, want 2", n)
		}
		if !bytes.Contains(body, []byte(`<p class="trib-summary">新图书馆于…</p>`)) {
			t.Errorf("summary not cut to 5 runes:\n%s", body)
		}
		if page, _ := get(t, ts, "/sections/news"); !strings.Contains(page.Header.Get("Content-Security-Policy"), "frame-ancestors 'none'") {
			t.Error("the section page may be framed")
		}
	})
	for _, path := range []string{"/embed/sports.js", "/embed/sports.html", "/embed/news.css"} {
		if resp, _ := get(t, ts, path); resp.StatusCode != http.StatusNotFound {
			t.Errorf("%s: %d, want 404", path, resp.StatusCode)
		}
	}
}

func TestServer_API(t *testing.T) {
	fx := loadFixture(t)
	ts := newOptsServer(t, fx, Options{})
	for _, path := range []string{"/api/v1/sections", "/api/v1/sections/news/entries"} {
		t.Run(path, func(t *testing.T) {
			resp, body := get(t, ts, path)
			if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/json; charset=utf-8" {
				t.Fatalf("status %d, type %q", resp.StatusCode, resp.Header.Get("Content-Type"))
			}
			if got := resp.Header.Get("Access-Control-Allow-Origin"); got != "*" {
				t.Errorf("Access-Control-Allow-Origin %q", got)
			}
			if !json.Valid(body) {
				t.Errorf("invalid JSON: %s", body)
			}
			etag := resp.Header.Get("ETag")
			resp, _ = fetch(t, ts, http.MethodGet, path, map[string]string{"If-None-Match": etag})
			if etag == "" || resp.StatusCode != http.StatusNotModified {
				t.Errorf("ETag %q, revalidation %d", etag, resp.StatusCode)
			}
			if resp.Header.Get("Access-Control-Allow-Origin") != "*" {
				t.Error("304 lacks CORS")
			}
		})
	}
	var list apiSectionList
	_, body := get(t, ts, "/api/v1/sections")
	if err := json.Unmarshal(body, &list); err != nil || len(list.Sections) != 1 || list.Sections[0].Feeds.Atom != testBaseURL+"/sections/news.atom" {
		t.Errorf("section list %+v (%v)", list, err)
	}
	var entries apiEntries
	_, body = get(t, ts, "/api/v1/sections/news/entries?limit=2")
	if err := json.Unmarshal(body, &entries); err != nil || len(entries.Entries) != 2 || entries.Entries[0].Source.Title != "示例学院" || entries.NextURL == "" {
		t.Errorf("entries %+v (%v)", entries, err)
	}
	if resp, _ := get(t, ts, "/api/v1/sections/sports/entries"); resp.StatusCode != 404 {
		t.Errorf("unknown section: %d", resp.StatusCode)
	}
	resp, _ := fetch(t, ts, http.MethodOptions, "/api/v1/sections/news/entries", map[string]string{"Origin": "https://x.example", "Access-Control-Request-Method": "GET"})
	if resp.StatusCode != http.StatusNoContent || resp.Header.Get("Access-Control-Allow-Origin") != "*" {
		t.Errorf("preflight: %d %v", resp.StatusCode, resp.Header)
	}
}
