package parse

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestListFamilies_documented: the operator's guide lists every CMS
// family detection knows, in its table of CMS families.
func TestListFamilies_documented(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "docs", "sites-without-feeds.md"))
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	start := strings.Index(doc, "\n## CMS families\n")
	if start < 0 {
		t.Fatal("docs/sites-without-feeds.md has no ## CMS families section")
	}
	section := doc[start+1:]
	if end := strings.Index(section[3:], "\n## "); end >= 0 {
		section = section[:end+3]
	}
	for _, f := range ListFamilies() {
		if !strings.Contains(section, "\n| "+f.Name) {
			t.Errorf("the CMS families table lacks a row for %q", f.Name)
		}
	}
}
