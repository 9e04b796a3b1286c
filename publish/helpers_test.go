package publish

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/tributary-rss/tributary/aggregator/model"
)

// testBaseURL is not the listener's address so golden files do not depend on
// the port httptest picks.
const testBaseURL = "https://feeds.example.org"

func newTestServer(t testing.TB, r EntryReader, fx fixture) (*Server, *httptest.Server) {
	t.Helper()
	s := NewServer(r, Options{
		BaseURL:  testBaseURL,
		Sections: []model.Section{fx.Section},
		Version:  "1.2.3",
	})
	ts := httptest.NewServer(s)
	t.Cleanup(ts.Close)
	return s, ts
}

// fetch sends one request with the given headers. Compression is left to
// the caller so Accept-Encoding is exactly what the test sets.
func fetch(t testing.TB, ts *httptest.Server, method, path string, hdr map[string]string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, ts.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	client := &http.Client{Transport: &http.Transport{DisableCompression: true}}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("read %s: %v", path, err)
	}
	return resp, body
}

func get(t testing.TB, ts *httptest.Server, path string) (*http.Response, []byte) {
	t.Helper()
	return fetch(t, ts, http.MethodGet, path, nil)
}

func newHTTPTest(t testing.TB, h http.Handler) *httptest.Server {
	t.Helper()
	ts := httptest.NewServer(h)
	t.Cleanup(ts.Close)
	return ts
}

// etagOf is the ETag s gives the render whose tag without its config tag
// is base ("news-v12-atom-50", "news-v12-atom-50-gz" for the gzip
// variant), quoted as in the header.
func etagOf(s *Server, base string) string {
	section, _, _ := strings.Cut(base, "-v")
	gz := ""
	if b, ok := strings.CutSuffix(base, "-gz"); ok {
		base, gz = b, "-gz"
	}
	return `"` + base + "-g" + s.cat().conf[section] + gz + `"`
}
