package store_test

import (
	"testing"

	"github.com/tributary-rss/tributary/aggregator/testkit"
)

// The store applies the section policy it is given (Policy) and never
// decides it: it must not depend on curate or filter, nor on anything of
// this module but the data it stores and the normalizing of keys.
func TestStore_deps(t *testing.T) {
	testkit.OnlyDeps(t, "aggregator/model", "aggregator/normalize", "aggregator/atomicfile")
}
