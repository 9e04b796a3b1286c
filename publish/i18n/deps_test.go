package i18n

import (
	"os/exec"
	"strings"
	"testing"
)

// TestI18n_deps keeps the catalog a leaf the CLI and every page can
// import: of this module it knows only the model (the codes it words).
func TestI18n_deps(t *testing.T) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("the go tool is not on PATH:", err)
	}
	out, err := exec.Command(goTool, "list", "-deps", ".").Output()
	if err != nil {
		t.Fatalf("go list -deps: %v", err)
	}
	const module = "github.com/tributary-rss/tributary/"
	for _, pkg := range strings.Fields(string(out)) {
		if strings.HasPrefix(pkg, module) && pkg != module+"aggregator/model" && pkg != module+"publish/i18n" {
			t.Errorf("i18n depends on %s; it may import only aggregator/model of this module", pkg)
		}
	}
}
