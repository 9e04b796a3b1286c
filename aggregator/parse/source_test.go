package parse

import "testing"

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
