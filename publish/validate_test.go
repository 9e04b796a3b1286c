package publish

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// The validators are external programs; each test skips with a reason when
// its tool is missing (apt-get install libxml2-utils python3-feedparser
// python3-jsonschema) rather than passing silently.

const schemaDir = "../../shared/schemas"

// pagedQueries are validated besides the plain feed: one entry per page
// carries a rel="next" link. Every validated feed advertises a hub.
var pagedQueries = []string{"", "?limit=1"}

// renderFixtureFile serves path from the fixture and writes it to a file.
func renderFixtureFile(t *testing.T, path, name string) string {
	t.Helper()
	fx := loadFixture(t)
	ts := newOptsServer(t, fx, Options{Version: "1.2.3", WebSubHub: "https://hub.example.org/"})
	resp, body := get(t, ts, path)
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s: %d", path, resp.StatusCode)
	}
	file := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(file, body, 0o644); err != nil {
		t.Fatal(err)
	}
	return file
}

func TestRenderAtom_ValidatesRelaxNG(t *testing.T) {
	for _, q := range pagedQueries {
		validateAtom(t, renderFixtureFile(t, "/sections/news.atom"+q, "news.atom"))
	}
}

// validateAtom checks an Atom file against ../shared/schemas' RELAX NG
// schema with xmllint (and jing, when installed); it skips, saying why,
// without xmllint or the schema.
func validateAtom(t *testing.T, file string) {
	t.Helper()
	xmllint, err := exec.LookPath("xmllint")
	if err != nil {
		t.Skip("xmllint not installed (apt-get install libxml2-utils)")
	}
	schema := filepath.Join(schemaDir, "atom.rng")
	if _, err := os.Stat(schema); err != nil {
		t.Skipf("atom schema missing: %v", err)
	}
	if out, err := exec.Command(xmllint, "--noout", "--relaxng", schema, file).CombinedOutput(); err != nil {
		t.Fatalf("xmllint rejects %s: %v\n%s", filepath.Base(file), err, out)
	}
	if jing, err := exec.LookPath("jing"); err == nil {
		if out, err := exec.Command(jing, "-c", filepath.Join(schemaDir, "atom.rnc"), file).CombinedOutput(); err != nil {
			t.Fatalf("jing rejects %s: %v\n%s", filepath.Base(file), err, out)
		}
	}
}

const jsonSchemaScript = `
import json, sys
try:
    import jsonschema
except ImportError:
    print("SKIP: python3 jsonschema not importable")
    sys.exit(0)
schema = json.load(open(sys.argv[1]))
feed = json.load(open(sys.argv[2]))
errors = sorted(jsonschema.Draft7Validator(schema, format_checker=jsonschema.FormatChecker()).iter_errors(feed), key=str)
for e in errors:
    print("/".join(map(str, e.path)), e.message)
sys.exit(1 if errors else 0)
`

func TestRenderJSON_ValidatesSchema(t *testing.T) {
	for _, q := range pagedQueries {
		validateJSONFeed(t, renderFixtureFile(t, "/sections/news.json"+q, "news.json"))
	}
}

// validateJSONFeed checks a JSON Feed file against ../shared/schemas'
// JSON Schema with Python's jsonschema; it skips, saying why, without
// python3, jsonschema or the schema.
func validateJSONFeed(t *testing.T, file string) {
	t.Helper()
	python, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 not installed")
	}
	schema := filepath.Join(schemaDir, "schema-v1.1.json")
	if _, err := os.Stat(schema); err != nil {
		t.Skipf("JSON Feed schema missing: %v", err)
	}
	out, err := exec.Command(python, "-c", jsonSchemaScript, schema, file).CombinedOutput()
	if err != nil {
		t.Fatalf("%s does not validate: %v\n%s", filepath.Base(file), err, out)
	}
	if strings.HasPrefix(string(out), "SKIP:") {
		t.Skip(strings.TrimSpace(string(out)))
	}
}

const feedparserScript = `
import sys
try:
    import feedparser
except ImportError:
    print("SKIP: python3 feedparser not importable")
    sys.exit(0)
d = feedparser.parse(sys.argv[1])
print("bozo", int(d.bozo), d.get("bozo_exception", ""))
print("version", d.version)
print("entries", len(d.entries))
e = d.entries[0]
print("id", e.id)
print("author", e.get("author", ""))
print("tags", ",".join(t.term for t in e.get("tags", [])))
print("source", e.source.get("title", ""), e.source.get("href", ""))
print("self", [l.href for l in d.feed.links if l.rel == "self"][0])
print("next", [l.href for l in d.feed.links if l.rel == "next"])
print("hub", [l.href for l in d.feed.links if l.rel == "hub"])
`

func TestRenderRSS_Feedparser(t *testing.T) {
	const python = "/usr/bin/python3"
	if _, err := os.Stat(python); err != nil {
		t.Skip("/usr/bin/python3 not installed")
	}
	file := renderFixtureFile(t, "/sections/news.rss", "news.rss")
	out, err := exec.Command(python, "-c", feedparserScript, file).CombinedOutput()
	if err != nil {
		t.Fatalf("feedparser: %v\n%s", err, out)
	}
	got := string(out)
	if strings.HasPrefix(got, "SKIP:") {
		t.Skip(strings.TrimSpace(got))
	}
	for _, want := range []string{
		"bozo 0 \n",
		"version rss20\n",
		"entries 3\n",
		"id urn:tributary:entry:5d41402abc4b2a76\n",
		"author 张三\n",
		"tags 校园,新闻\n",
		"source 示例学院 https://example.edu.cn/rss.xml\n",
		"self https://feeds.example.org/sections/news.rss\n",
		"hub ['https://hub.example.org/']\n",
		"next []\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("feedparser output lacks %q:\n%s", want, got)
		}
	}
	for _, ext := range []string{"rss", "atom"} {
		file := renderFixtureFile(t, "/sections/news."+ext+"?limit=1", "paged."+ext)
		out, err := exec.Command(python, "-c", feedparserScript, file).CombinedOutput()
		if err != nil {
			t.Fatalf("feedparser on paged %s: %v\n%s", ext, err, out)
		}
		for _, want := range []string{"bozo 0 \n", "entries 1\n", "next ['https://feeds.example.org/sections/news." + ext + "?before="} {
			if !strings.Contains(string(out), want) {
				t.Errorf("paged %s: feedparser output lacks %q:\n%s", ext, want, out)
			}
		}
	}
}
