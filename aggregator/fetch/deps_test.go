package fetch

import (
	"testing"

	"github.com/tributary-rss/tributary/aggregator/testkit"
)

// TestFetch_deps keeps the HTTP side below the parsers: fetch decodes
// bodies with aggregator/charset (and asks aggregator/doctype what a body
// is), and never imports parse or anything that reads documents.
func TestFetch_deps(t *testing.T) {
	testkit.OnlyDeps(t, "aggregator/charset", "aggregator/doctype")
}
