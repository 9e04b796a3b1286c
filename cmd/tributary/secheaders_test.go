package main

import (
	"net/http"
	"strings"
	"testing"
)

// Every HTML output and the widget script carry the browser-side defences:
// a Content-Security-Policy (without 'unsafe-inline' scripts), nosniff and
// a Referrer-Policy. Only the iframe fragment may be framed.
func TestDaemon_securityHeaders(t *testing.T) {
	d := startAbuseDaemon(t, 0)
	tests := []struct {
		path        string
		contentType string
		frameable   bool
	}{
		{"/", "text/html", false},
		{"/sections/news", "text/html", false},
		{"/sections/news?limit=1", "text/html", false},
		{"/status?sort=name", "text/html", false},
		{"/embed/news.html?summary=60&lang=en", "text/html", true},
		{"/status", "text/html", false},
		{"/embed/news.html", "text/html", true},
		{"/embed/news.js", "javascript", false},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			resp, _ := d.get(t, tt.path, nil)
			h := resp.Header
			if resp.StatusCode != http.StatusOK || !strings.Contains(h.Get("Content-Type"), tt.contentType) {
				t.Fatalf("status %d, Content-Type %q; want 200 and %s", resp.StatusCode, h.Get("Content-Type"), tt.contentType)
			}
			csp := h.Get("Content-Security-Policy")
			if !strings.Contains(csp, "default-src 'none'") || strings.Contains(scriptSrc(csp), "'unsafe-inline'") {
				t.Errorf("Content-Security-Policy %q: want default-src 'none' and no inline scripts", csp)
			}
			if framing := strings.Contains(csp, "frame-ancestors *"); framing != tt.frameable {
				t.Errorf("Content-Security-Policy %q: frameable %v, want %v", csp, framing, tt.frameable)
			}
			if !tt.frameable && !strings.Contains(csp, "frame-ancestors 'none'") && !strings.Contains(csp, "frame-ancestors 'self'") {
				t.Errorf("Content-Security-Policy %q: want frame-ancestors 'none' or 'self'", csp)
			}
			if got := h.Get("X-Content-Type-Options"); got != "nosniff" {
				t.Errorf("X-Content-Type-Options %q, want nosniff", got)
			}
			if got := h.Get("Referrer-Policy"); got == "" || got == "unsafe-url" {
				t.Errorf("Referrer-Policy %q, want a restrictive policy", got)
			}
		})
	}
}

// scriptSrc is the script-src directive of a policy ("" when absent).
func scriptSrc(csp string) string {
	for _, d := range strings.Split(csp, ";") {
		if d = strings.TrimSpace(d); strings.HasPrefix(d, "script-src") {
			return d
		}
	}
	return ""
}

// Every other answer is not HTML and says so, with nosniff, so a browser
// never renders feed content from a feed, the API or a stylesheet as a
// page.
func TestDaemon_nosniffEverywhere(t *testing.T) {
	d := startAbuseDaemon(t, 0)
	for _, path := range []string{
		"/sections/news.rss", "/sections/news.atom", "/sections/news.json",
		"/api/v1/sections", "/api/v1/sections/news/entries", "/api/v1/sources",
		"/opml", "/static/style.css", "/static/embed.css", "/static/status.css",
		"/healthz", "/readyz", "/sections/nope", "/embed/nope.js",
	} {
		t.Run(path, func(t *testing.T) {
			resp, _ := d.get(t, path, nil)
			if ct := resp.Header.Get("Content-Type"); ct == "" || strings.Contains(ct, "html") {
				t.Errorf("Content-Type %q, want a non-HTML type", ct)
			}
			if got := resp.Header.Get("X-Content-Type-Options"); got != "nosniff" {
				t.Errorf("status %d: X-Content-Type-Options %q, want nosniff", resp.StatusCode, got)
			}
		})
	}
}
