package publish

import (
	"encoding/json"
	"encoding/xml"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/tributary-rss/tributary/aggregator/model"
)

// nextLink extracts the rel="next" URL of a response in format f.
func nextLink(t *testing.T, f format, body []byte) string {
	t.Helper()
	var re *regexp.Regexp
	switch f {
	case formatAtom, formatRSS:
		re = regexp.MustCompile(`<(?:atom:)?link href="([^"]+)" rel="next"`)
	case formatJSON, formatAPI:
		var doc struct {
			NextURL string `json:"next_url"`
		}
		if err := json.Unmarshal(body, &doc); err != nil {
			t.Fatal(err)
		}
		return doc.NextURL
	default:
		re = regexp.MustCompile(`<a rel="next" href="([^"]+)"`)
	}
	m := re.FindSubmatch(body)
	if m == nil {
		return ""
	}
	var s string
	if err := xml.Unmarshal([]byte("<x>"+string(m[1])+"</x>"), &s); err != nil {
		t.Fatalf("unescape %q: %v", m[1], err)
	}
	return s
}

// TestServer_Paging walks the fixture one entry per page through rel="next"
// in every format: three pages, each entry once, and the last has no link.
func TestServer_Paging(t *testing.T) {
	fx := loadFixture(t)
	_, ts := newTestServer(t, newFakeReader(fx), fx)
	tests := []struct {
		f     format
		start string
		id    *regexp.Regexp
	}{
		{formatAtom, "/sections/news.atom?limit=1", regexp.MustCompile(`<id>urn:tributary:entry:(\w+)</id>`)},
		{formatRSS, "/sections/news.rss?limit=1", regexp.MustCompile(`<guid isPermaLink="false">urn:tributary:entry:(\w+)</guid>`)},
		{formatJSON, "/sections/news.json?limit=1", regexp.MustCompile(`"id": "urn:tributary:entry:(\w+)"`)},
		{formatAPI, "/api/v1/sections/news/entries?limit=1", regexp.MustCompile(`[\[,]\{"id":"(\w+)"`)},
		{formatHTML, "/sections/news?limit=1", regexp.MustCompile(`<h2><a href="([^"]+)">`)},
	}
	for _, tt := range tests {
		t.Run(string(tt.f), func(t *testing.T) {
			var seen []string
			path := tt.start
			for range 5 {
				resp, body := get(t, ts, path)
				if resp.StatusCode != http.StatusOK {
					t.Fatalf("GET %s: %d %s", path, resp.StatusCode, body)
				}
				for _, m := range tt.id.FindAllSubmatch(body, -1) {
					seen = append(seen, string(m[1]))
				}
				next := nextLink(t, tt.f, body)
				if next == "" {
					break
				}
				u, err := url.Parse(next)
				if err != nil || u.Query().Get("limit") != "1" {
					t.Fatalf("next link %q lost the limit", next)
				}
				path = u.RequestURI()
			}
			if len(seen) != 3 || seen[0] == seen[1] || seen[1] == seen[2] || seen[0] == seen[2] {
				t.Errorf("walked %q, want the 3 entries once each", seen)
			}
		})
	}
}

func TestServer_SourceFilter(t *testing.T) {
	fx := loadFixture(t)
	s, ts := newTestServer(t, newFakeReader(fx), fx)
	src := fx.Section.SourceIDs[0]
	resp, body := get(t, ts, "/sections/news.json?source="+src)
	if resp.StatusCode != 200 {
		t.Fatalf("status %d: %s", resp.StatusCode, body)
	}
	var feed struct {
		Items []struct {
			Ext struct {
				SourceID string `json:"source_id"`
			} `json:"_tributary"`
		} `json:"items"`
	}
	if err := json.Unmarshal(body, &feed); err != nil {
		t.Fatal(err)
	}
	if len(feed.Items) != 2 {
		t.Fatalf("%d items, want the 2 of source %s", len(feed.Items), src)
	}
	for _, it := range feed.Items {
		if it.Ext.SourceID != src {
			t.Errorf("item of source %s in a feed filtered to %s", it.Ext.SourceID, src)
		}
	}
	if got, want := resp.Header.Get("ETag"), etagOf(s, "news-v12-json-50-s"+src); got != want {
		t.Errorf("ETag %s, want %s (the query is part of it)", got, want)
	}
}

// TestServer_BadQuery: a bad parameter is a 400 naming it, and caches
// nothing. A well-formed cursor the store does not hold (an unknown id, or
// a known id at another score) is bad too: cursors come from next links,
// and one a client makes up must not become a new cache key.
func TestServer_BadQuery(t *testing.T) {
	fx := loadFixture(t)
	s, ts := newTestServer(t, newFakeReader(fx), fx)
	good := encodeCursor(model.Cursor{Score: 1760688000000, ID: "5d41402abc4b2a76"})
	unknownID := encodeCursor(model.Cursor{Score: 1760688000000, ID: "5d41402abc4b2a77"})
	otherScore := encodeCursor(model.Cursor{Score: 1760688000001, ID: "5d41402abc4b2a76"})
	tests := []struct{ query, param string }{
		{"?before=" + unknownID, "before"},
		{"?before=" + otherScore, "before"},
		{"?before=" + otherScore + "&source=" + fx.Section.SourceIDs[0], "before"},
		{"?source=No_pe", "source"}, // not a source id (an unknown one is a 404: TestServer_sourceLeft)
		{"?source=", "source"},
		{"?before=", "before"},
		{"?before=bm90LWEtY3Vyc29y", "before"}, // "not-a-cursor"
		{"?before=MTIzLkFCQw", "before"},       // "123.ABC": id not lower hex
		{"?before=MDEyMy5hYg", "before"},       // "0123.ab": not canonical
		{"?before=" + good + "&limit=0", "limit"},
	}
	for _, tt := range tests {
		for _, base := range []string{"/sections/news.atom", "/sections/news", "/api/v1/sections/news/entries", "/embed/news.html"} {
			resp, body := get(t, ts, base+tt.query)
			if resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(body), `"`+tt.param+`"`) {
				t.Errorf("%s%s: %d %q, want 400 naming %q", base, tt.query, resp.StatusCode, body, tt.param)
			}
		}
	}
	s.cache.mu.Lock()
	n := len(s.cache.entries)
	s.cache.mu.Unlock()
	if n != 0 {
		t.Errorf("%d renders cached after bad queries only, want 0", n)
	}
	if resp, _ := get(t, ts, "/sections/news.atom?before="+good); resp.StatusCode != 200 {
		t.Errorf("a cursor of the section: status %d", resp.StatusCode)
	}
}

func TestCursor_RoundTrip(t *testing.T) {
	for _, c := range []model.Cursor{{Score: 0, ID: "0"}, {Score: -5, ID: "ab"}, {Score: 1760688000000, ID: "5d41402abc4b2a76"}} {
		got, ok := decodeCursor(encodeCursor(c))
		if !ok || got != c {
			t.Errorf("%+v: decoded %+v ok=%v", c, got, ok)
		}
	}
}
