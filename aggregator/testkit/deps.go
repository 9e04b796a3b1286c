package testkit

import (
	"os/exec"
	"strings"
	"testing"
)

// Module is the import path prefix of this module's packages.
const Module = "github.com/tributary-rss/tributary/"

// OnlyDeps fails the test for every package of this module that the
// package under test (the test's working directory) depends on, directly
// or not, other than itself and allowed (paths below Module, such as
// "aggregator/model"). Tests of packages whose place in the data flow
// forbids depending on others state that rule with it.
func OnlyDeps(t *testing.T, allowed ...string) {
	t.Helper()
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("the go tool is not on PATH:", err)
	}
	out, err := exec.Command(goTool, "list", "-deps", ".").Output()
	if err != nil {
		t.Fatalf("go list -deps: %v", err)
	}
	deps := strings.Fields(string(out))
	if len(deps) == 0 {
		t.Fatal("go list -deps listed nothing")
	}
	ok := map[string]bool{deps[len(deps)-1]: true} // the package itself comes last
	for _, p := range allowed {
		ok[Module+p] = true
	}
	self := strings.TrimPrefix(deps[len(deps)-1], Module)
	for _, pkg := range deps {
		if strings.HasPrefix(pkg, Module) && !ok[pkg] {
			t.Errorf("%s depends on %s; of this module it may import only %s", self, strings.TrimPrefix(pkg, Module), strings.Join(allowed, ", "))
		}
	}
}
