package publish

import (
	"testing"

	"github.com/tributary-rss/tributary/aggregator/testkit"
)

// TestPublish_deps keeps serving independent of polling: publish may
// import the model and its own subpackages' interfaces, never the poll
// loop, the fetcher, the normalizer, the registry or the store (the
// package doc says so, and a frontend-only build relies on it).
//
// urlsecret is a standard-library-only leaf: the rule for secrets in
// source URLs, shared with the alerts sent from the poll side. i18n is
// the catalog of the text pages show, itself importing only the model.
func TestPublish_deps(t *testing.T) {
	testkit.OnlyDeps(t, "aggregator/model", "aggregator/urlsecret", "publish/i18n")
}
