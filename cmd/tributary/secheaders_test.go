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
