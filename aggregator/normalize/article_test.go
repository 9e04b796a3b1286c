package normalize

import (
	"strings"
	"testing"
)

func TestNormalizer_Article(t *testing.T) {
	tests := []struct {
		name                   string
		html                   string
		wantContent, wantNot   string
		wantSummary, wantImage string
	}{
		{"body with a relative image", `<p>学校召开秋季学期教学工作会议。</p><img src="../img/a.jpg" width="600"><script>alert(1)</script>`,
			`<img src="https://www.example.edu.cn/info/img/a.jpg"`, "script", "学校召开秋季学期教学工作会议。", "https://www.example.edu.cn/info/img/a.jpg"},
		{"a long body gets a cut summary", "<p>" + strings.Repeat("长", 200) + "</p>", "<p>", "", strings.Repeat("长", 139) + "…", ""},
		{"nothing left after sanitizing", `<script>x()</script><style>p{}</style>`, "", "", "", ""},
	}
	n := New(Options{})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			content, summary, image := n.Article(tt.html, "https://www.example.edu.cn/info/1001/3401.htm")
			if !strings.Contains(content, tt.wantContent) || tt.wantNot != "" && strings.Contains(content, tt.wantNot) {
				t.Errorf("content = %q, want it to hold %q and not %q", content, tt.wantContent, tt.wantNot)
			}
			if tt.wantContent == "" && content != "" {
				t.Errorf("content = %q, want none", content)
			}
			if summary != tt.wantSummary || image != tt.wantImage {
				t.Errorf("summary %q, image %q; want %q, %q", summary, image, tt.wantSummary, tt.wantImage)
			}
		})
	}
}
