package parse

import (
	"testing"

	"github.com/tributary-rss/tributary/aggregator/model"
)

func TestHeadersFor(t *testing.T) {
	src := model.Source{URL: "https://www.example.edu.cn/xwzx/list.htm", Headers: map[string]string{"X-Api-Key": "k"}}
	tests := []struct {
		target string
		want   bool
	}{
		{"https://www.example.edu.cn/rss.xml", true},
		{"https://WWW.EXAMPLE.EDU.CN/info/1.htm", true},
		{"https://cdn.example.com/feed.xml", false},
		{"https://www.example.edu.cn:8443/feed.xml", false},
		{"https://www.example.edu.cn:443/feed.xml", true},
		// A key must not travel in clear text, even to the same host.
		{"http://www.example.edu.cn/feed.xml", false},
		{"::bad", false},
	}
	for _, tt := range tests {
		if got := HeadersFor(src, tt.target) != nil; got != tt.want {
			t.Errorf("HeadersFor(%q) sent = %v, want %v", tt.target, got, tt.want)
		}
	}
	if HeadersFor(model.Source{URL: src.URL}, src.URL) != nil {
		t.Error("headers for a source that has none")
	}
}

func TestDocumentExt(t *testing.T) {
	tests := map[string]string{
		"https://a.example/files/通知.PDF":        "pdf",
		"https://a.example/info/1001/2.htm":     "",
		"https://a.example/download.docx?id=3":  "docx",
		"https://a.example/page.pdf.html":       "",
		"https://a.example/upload/2026/表格.xlsx": "xlsx",
	}
	for link, want := range tests {
		if got := DocumentExt(link); got != want {
			t.Errorf("DocumentExt(%q) = %q, want %q", link, got, want)
		}
	}
}
