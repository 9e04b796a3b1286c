package publish

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/tributary-rss/tributary/publish/i18n"
)

// templateKey finds the catalog keys a template names: {{.L.T "key"}},
// {{$L.F "key" …}}.
var templateKey = regexp.MustCompile(`\.[TFN] "([a-z0-9._]+)"`)

// codeKey finds the keys code names whole: l.T("key"), cr.text.F("key", …),
// i18n.T(lang, "key"); a key built at run time ("state."+s) is not
// matched, and the families of those are listed in the test.
var codeKey = regexp.MustCompile(`(?:\.[TFN]\(|i18n\.(?:T|F|N|Lookup|Fill)\([^,()]+, )"([a-z0-9._]+)"[,)]`)

// TestCatalog_keysUsed: every key the templates and the code name exists
// in the catalog (package i18n's tests hold each message to both
// languages), so no page shows a key where its words should be.
func TestCatalog_keysUsed(t *testing.T) {
	used := map[string]string{}
	for _, tmpl := range []struct {
		fsys fs.FS
		dir  string
	}{{assets, "templates"}, {consoleAssets, "templates/console"}} {
		err := fs.WalkDir(tmpl.fsys, tmpl.dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			data, err := fs.ReadFile(tmpl.fsys, p)
			for _, m := range templateKey.FindAllStringSubmatch(string(data), -1) {
				used[m[1]] = p
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range codeKey.FindAllStringSubmatch(string(data), -1) {
			used[m[1]] = f
		}
	}
	if len(used) < 250 {
		t.Fatalf("found only %d keys: the patterns no longer match the sources", len(used))
	}
	// Keys built at run time.
	for _, state := range statusStates {
		used["state."+state] = "state names"
	}
	for _, sort := range statusSorts {
		used["status.sort."+sort] = "status.go"
	}
	for _, prefix := range []string{"source.articles.", "status.articles."} {
		for _, part := range []string{"ok", "failed", "lasterror", "pending"} {
			used[prefix+part] = "articleCounts"
		}
	}
	for key, where := range used {
		if _, ok := i18n.Lookup(i18n.EN, key); !ok {
			t.Errorf("%s names %q, which the catalog lacks", where, key)
		}
	}
}
