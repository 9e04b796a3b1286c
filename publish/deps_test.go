package publish

import (
	"os/exec"
	"strings"
	"testing"
)

// TestPublish_deps keeps serving independent of polling: publish may
// import the model and its own subpackages' interfaces, never the poll
// loop, the fetcher, the normalizer, the registry or the store (the
// package doc says so, and a frontend-only build relies on it).
func TestPublish_deps(t *testing.T) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("the go tool is not on PATH:", err)
	}
	out, err := exec.Command(goTool, "list", "-deps", ".").Output()
	if err != nil {
		t.Fatalf("go list -deps: %v", err)
	}
	const module = "github.com/tributary-rss/tributary/"
	// urlsecret is a standard-library-only leaf: the rule for secrets in
	// source URLs, shared with the alerts sent from the poll side.
	// i18n is the catalog of the text pages show, itself importing only
	// the model.
	allowed := map[string]bool{module + "aggregator/model": true, module + "aggregator/urlsecret": true, module + "publish": true,
		module + "publish/i18n": true}
	for _, pkg := range strings.Fields(string(out)) {
		if strings.HasPrefix(pkg, module) && !allowed[pkg] {
			t.Errorf("publish depends on %s; it may import only aggregator/model, aggregator/urlsecret and publish/i18n of this module", pkg)
		}
	}
}
