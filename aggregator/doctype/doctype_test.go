package doctype

import (
	"os"
	"path/filepath"
	"testing"
)

// fixture reads one of the parse package's fixtures, where the pages
// and feeds every reader of documents is tested on live.
func fixture(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "parse", "testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestIsHTML(t *testing.T) {
	tests := []struct {
		name, body, contentType string
		want                    bool
	}{
		{"doctype", "<!DOCTYPE html><html><body></body></html>", "", true},
		{"comment then html", "\ufeff <!-- cms --> \n<html>", "", true},
		{"bare div fragment", "<div>维护中</div>", "", true},
		{"xhtml", `<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><body/></html>`, "", true},
		{"rss", `<?xml version="1.0"?><rss version="2.0"><channel/></rss>`, "text/html", false},
		{"rss without declaration", `<rss version="2.0"><channel/></rss>`, "text/html", false},
		{"atom", `<feed xmlns="http://www.w3.org/2005/Atom"/>`, "", false},
		{"rdf", `<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>`, "", false},
		{"json feed", `{"version": "https://jsonfeed.org/version/1.1"}`, "text/html", false},
		{"empty", "", "text/html", false},
		{"text served as html", "Service unavailable", "text/html; charset=utf-8", true},
		{"text served as plain", "Service unavailable", "text/plain", false},
		{"xhtml carrying a feed", fixture(t, "feed_in_xhtml.xhtml"), "", false},
		{"list page", fixture(t, "list_ul.html"), "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := IsHTML([]byte(tt.body), tt.contentType); got != tt.want {
				t.Errorf("IsHTML = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestMediaType(t *testing.T) {
	tests := []struct{ in, want string }{
		{"text/html; charset=GBK", "text/html"},
		{" Application/RSS+XML ", "application/rss+xml"},
		{"text/html; charset", "text/html"}, // parameters that do not parse
		{"", ""},
		{";charset=utf-8", ""},
	}
	for _, tt := range tests {
		if got := MediaType(tt.in); got != tt.want {
			t.Errorf("MediaType(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
