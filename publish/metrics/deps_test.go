package metrics

import (
	"os/exec"
	"strings"
	"testing"
)

// TestMetrics_deps keeps the metrics below the poll loop: the wiring
// hands it plain values (Poll, StoreStats), so it imports only the
// domain types of this module.
func TestMetrics_deps(t *testing.T) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("the go tool is not on PATH:", err)
	}
	out, err := exec.Command(goTool, "list", "-deps", ".").Output()
	if err != nil {
		t.Fatalf("go list -deps: %v", err)
	}
	const module = "github.com/tributary-rss/tributary/"
	allowed := map[string]bool{module + "aggregator/model": true, module + "publish/metrics": true}
	for _, pkg := range strings.Fields(string(out)) {
		if strings.HasPrefix(pkg, module) && !allowed[pkg] {
			t.Errorf("publish/metrics depends on %s; it may import only aggregator/model of this module", pkg)
		}
	}
}
