package fetch

import (
	"os/exec"
	"strings"
	"testing"
)

// TestFetch_deps keeps the HTTP side below the parsers: fetch decodes
// bodies with aggregator/charset (and asks aggregator/doctype what a body
// is), and never imports parse or anything that reads documents.
func TestFetch_deps(t *testing.T) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("the go tool is not on PATH:", err)
	}
	out, err := exec.Command(goTool, "list", "-deps", ".").Output()
	if err != nil {
		t.Fatalf("go list -deps: %v", err)
	}
	const module = "github.com/tributary-rss/tributary/"
	allowed := map[string]bool{module + "aggregator/charset": true, module + "aggregator/doctype": true, module + "aggregator/fetch": true}
	for _, pkg := range strings.Fields(string(out)) {
		if strings.HasPrefix(pkg, module) && !allowed[pkg] {
			t.Errorf("fetch depends on %s; it may import only aggregator/charset and aggregator/doctype of this module", pkg)
		}
	}
}
