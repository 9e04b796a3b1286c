package publish

import (
	"strings"
	"testing"
)

// TestConsole_langSwitchKeepsQuery: the link to the other language
// keeps what the page was asked for (a report's filters, a search), so
// switching language does not lose the editor's place.
func TestConsole_langSwitchKeepsQuery(t *testing.T) {
	b := newBureau(t)
	srv, _ := b.server(t, nil)
	env := &consoleEnv{s: srv, ts: newHTTPTest(t, srv)}
	c := env.client(t)
	c.mustSignIn()
	tests := []struct{ path, want string }{
		{"/admin/", `href="/admin/?lang=en" hreflang="en"`},
		{"/admin/freshness?section=notices&show=stale", `href="/admin/freshness?lang=en&amp;section=notices&amp;show=stale" hreflang="en"`},
		// A chosen language stays with the session, as before.
		{"/admin/freshness?lang=en&days=7", `href="/admin/freshness?days=7&amp;lang=zh" hreflang="zh"`},
	}
	for _, tt := range tests {
		_, page := c.get(tt.path)
		if !strings.Contains(page, tt.want) {
			i := strings.Index(page, "hreflang")
			t.Errorf("%s: the language link is not %s:\n%s", tt.path, tt.want, page[max(0, i-120):min(len(page), i+40)])
		}
	}
}
