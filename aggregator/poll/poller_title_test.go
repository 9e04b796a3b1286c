package poll

import (
	"net/http"
	"testing"
)

// The source title kept for the status page and API is the feed title as
// plain text: markup dropped, entities decoded, whitespace collapsed.
func TestPoller_SourceTitle(t *testing.T) {
	tests := []struct {
		name, title, want string
	}{
		{"plain", "Alpha 学院", "Alpha 学院"},
		{"spaces", "  Alpha\n  News ", "Alpha News"},
		{"markup", `&lt;img src=x onerror="alert(1)"&gt;Alpha &lt;b&gt;News&lt;/b&gt;`, "Alpha News"},
		{"script", `<![CDATA[<script>alert(1)</script>Alpha]]>`, "Alpha"},
		{"escaped markup stays text", `&amp;lt;b&amp;gt; &amp;amp; co`, "<b> & co"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := `<?xml version="1.0"?><rss version="2.0"><channel><title>` + tt.title + `</title>
<item><title>a</title><guid>a</guid><link>https://example.com/a</link></item></channel></rss>`
			h := newPollHarness(t, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				w.Header().Set("Content-Type", "application/rss+xml")
				_, _ = w.Write([]byte(body))
			}))
			res, st := h.poll()
			if res.Err != nil {
				t.Fatal(res.Err)
			}
			if st.Title != tt.want {
				t.Errorf("source title %q, want %q", st.Title, tt.want)
			}
		})
	}
}
