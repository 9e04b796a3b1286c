package publish

import (
	"bytes"
	"encoding/xml"
	"flag"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"github.com/tributary-rss/tributary/aggregator/model"
)

var update = flag.Bool("update", false, "rewrite testdata/golden from the current output")

func TestServer_Golden(t *testing.T) {
	fx := loadFixture(t)
	_, ts := newTestServer(t, newFakeReader(fx), fx)
	tests := []struct {
		path, golden string
	}{
		{"/sections/news.rss", "news.rss"},
		{"/sections/news.atom", "news.atom"},
		{"/sections/news.json", "news.json"},
		{"/sections/news", "news.html"},
		{"/", "index.html"},
		{"/sections/news.atom?limit=1", "news-page1.atom"},
		{"/embed/news.html?summary=20", "embed.html"},
		{"/api/v1/sections/news/entries?limit=2", "api-entries.json"},
		{"/api/v1/sections", "api-sections.json"},
	}
	for _, tt := range tests {
		t.Run(tt.golden, func(t *testing.T) {
			resp, body := get(t, ts, tt.path)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("GET %s: status %d: %s", tt.path, resp.StatusCode, body)
			}
			checkGolden(t, tt.golden, body)
		})
	}
}

func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from golden file (run go test -update after checking the diff)\ngot:\n%s", name, got)
	}
}

// TestServer_Reproducible renders with two fresh servers: ids, dates and
// gzip bytes must not depend on time or randomness.
func TestServer_Reproducible(t *testing.T) {
	fx := loadFixture(t)
	for _, path := range []string{"/sections/news.rss", "/sections/news.atom", "/sections/news.json", "/sections/news"} {
		t.Run(path, func(t *testing.T) {
			var bodies [2][]byte
			for i := range bodies {
				_, ts := newTestServer(t, newFakeReader(fx), fx)
				_, bodies[i] = fetch(t, ts, http.MethodGet, path, map[string]string{"Accept-Encoding": "gzip"})
			}
			if !bytes.Equal(bodies[0], bodies[1]) {
				t.Errorf("two renders of %s differ", path)
			}
		})
	}
}

// TestServer_InvalidXMLCharacters guards the LIBRARIES.md trap: a control
// character that slipped past ingest must not make the XML ill-formed.
func TestServer_InvalidXMLCharacters(t *testing.T) {
	fx := loadFixture(t)
	e := fx.Entries[0]
	e.Title = "bad\x0btitle\x00"
	e.Content = "<p>bad\x0bcontent\uFFFE</p>"
	e.Categories = []string{"tag\x1f"}
	r := newFakeReader(fx)
	r.setEntries("news", []model.Entry{e})
	_, ts := newTestServer(t, r, fx)
	for _, path := range []string{"/sections/news.rss", "/sections/news.atom"} {
		t.Run(path, func(t *testing.T) {
			_, body := get(t, ts, path)
			dec := xml.NewDecoder(bytes.NewReader(body))
			for {
				_, err := dec.Token()
				if err == io.EOF {
					break
				}
				if err != nil {
					t.Fatalf("ill-formed XML: %v", err)
				}
			}
		})
	}
}
