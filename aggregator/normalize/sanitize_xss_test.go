package normalize

import (
	"strings"
	"testing"

	"github.com/tributary-rss/tributary/aggregator/normalize/xsstest"
)

// TestNormalizer_SanitizeHTML_OWASP feeds every payload of the corpus
// through the sanitizer and checks the result token by token, so an
// evasion that slips past in any case or encoding is caught.
func TestNormalizer_SanitizeHTML_OWASP(t *testing.T) {
	n := New(Options{})
	vectors := xsstest.Vectors()
	for i, payload := range vectors {
		for _, wrap := range []string{"%s", "<p>before</p>%s<p>after</p>"} {
			out := n.SanitizeHTML(strings.Replace(wrap, "%s", payload, 1), "https://news.example.edu.cn/a/1.htm")
			if problem := xsstest.UnsafeHTML(out); problem != "" {
				t.Errorf("payload %d %q\n  gave %q\n  %s", i+1, payload, out, problem)
			}
		}
	}
	if len(vectors) < 80 {
		t.Fatalf("corpus has %d payloads, want at least 80", len(vectors))
	}
}
