package i18n

import (
	"testing"

	"github.com/tributary-rss/tributary/aggregator/testkit"
)

// TestI18n_deps keeps the catalog a leaf the CLI and every page can
// import: of this module it knows only the model (the codes it words).
func TestI18n_deps(t *testing.T) {
	testkit.OnlyDeps(t, "aggregator/model")
}
