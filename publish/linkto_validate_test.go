package publish

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// The validators of validate_test.go, on a section with link_to: portal
// whose entries include ones without an author, a link or content: rel
// "via" links, portal links, source authors and zoned JSON Feed dates
// must all be valid.

func renderArticleFixtureFile(t *testing.T, path string) string {
	t.Helper()
	_, ts := newArticleServer(t, Options{})
	body := getOK(t, ts, path)
	file := filepath.Join(t.TempDir(), filepath.Base(path))
	if err := os.WriteFile(file, body, 0o644); err != nil {
		t.Fatal(err)
	}
	return file
}

func TestRenderAtom_LinkToValidatesRelaxNG(t *testing.T) {
	for _, path := range []string{"/sections/portal.atom", "/sections/news.atom"} {
		validateAtom(t, renderArticleFixtureFile(t, path))
	}
}

func TestRenderJSON_LinkToValidatesSchema(t *testing.T) {
	for _, path := range []string{"/sections/portal.json", "/sections/news.json"} {
		validateJSONFeed(t, renderArticleFixtureFile(t, path))
	}
}

// linkToFeedparserScript prints, per entry, what feedparser makes of its
// link, its links and its author.
const linkToFeedparserScript = `
import sys
try:
    import feedparser
except ImportError:
    print("SKIP: python3 feedparser not importable")
    sys.exit(0)
d = feedparser.parse(sys.argv[1])
print("bozo", int(d.bozo), d.get("bozo_exception", ""))
for e in d.entries:
    vias = [l.href for l in e.get("links", []) if l.rel == "via"]
    print("entry", e.id, "link", e.get("link", ""), "via", ",".join(vias), "author", e.get("author", ""))
`

func TestFeeds_LinkToFeedparser(t *testing.T) {
	const python = "/usr/bin/python3"
	if _, err := os.Stat(python); err != nil {
		t.Skip("/usr/bin/python3 not installed")
	}
	const portal = testBaseURL + "/sections/portal/entries/"
	tests := []struct {
		path string
		want []string
	}{
		{"/sections/portal.rss", []string{
			"entry urn:tributary:entry:5d41402abc4b2a76 link " + portal + "5d41402abc4b2a76 via  author 张三\n",
			"entry urn:tributary:entry:7e2c1b9f03aa45d1 link " + portal + "7e2c1b9f03aa45d1 via  author 物理系\n",
		}},
		{"/sections/portal.atom", []string{
			"entry urn:tributary:entry:5d41402abc4b2a76 link " + portal + "5d41402abc4b2a76 via https://example.edu.cn/news/1017.html author 张三\n",
			"entry urn:tributary:entry:1e55c0de1e55c0de link " + portal + "1e55c0de1e55c0de via  author 物理系\n",
		}},
		{"/sections/news.atom", []string{
			"entry urn:tributary:entry:7e2c1b9f03aa45d1 link https://phys.example.edu.cn/talks/42 via  author 物理系\n",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			file := renderArticleFixtureFile(t, tt.path)
			out, err := exec.Command(python, "-c", linkToFeedparserScript, file).CombinedOutput()
			if err != nil {
				t.Fatalf("feedparser: %v\n%s", err, out)
			}
			got := string(out)
			if strings.HasPrefix(got, "SKIP:") {
				t.Skip(strings.TrimSpace(got))
			}
			for _, w := range append([]string{"bozo 0 \n"}, tt.want...) {
				if !strings.Contains(got, w) {
					t.Errorf("feedparser output lacks %q:\n%s", w, got)
				}
			}
		})
	}
}
