package fetch

import (
	"context"
	"strings"
	"testing"
	"unicode/utf8"
)

// TestFetcher_FetchHTML: HTML pages reach the parser as UTF-8 decoded by
// their <meta> declaration when the Content-Type names no charset, while a
// feed served as text/html still goes by its XML declaration.
func TestFetcher_FetchHTML(t *testing.T) {
	tests := []struct {
		name        string
		fixture     string
		contentType string
		wantCharset string
		want        string
	}{
		{"big5 by meta charset", "../../parse/testdata/list_big5.html", "text/html", "big5", "本校榮獲教育部教學實踐研究計畫補助"},
		{"big5 without any content-type", "../../parse/testdata/list_big5.html", "", "big5", "秋季校園徵才博覽會開始報名"},
		{"gbk by meta http-equiv", "../../parse/testdata/list_gbk.html", "text/html", "gb18030", "学校要闻_示例职业技术学院"},
		{"header charset wins over meta", "../../parse/testdata/list_gbk.html", "text/html; charset=gb2312", "gb18030", "学校要闻"},
		{"feed served as text/html keeps its declaration", "gbk.rss", "text/html", "gbk", "学院资讯"},
		{"utf-8 page", "../../parse/testdata/src/list_big5.html", "text/html", "utf-8", "本校榮獲"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			headers := map[string]string{"Content-Type": tt.contentType}
			if tt.contentType == "" {
				// Without a type net/http would sniff one and add a charset.
				headers["Content-Type"] = "application/octet-stream"
			}
			srv := newServer(t, serveBytes(readFixture(t, tt.fixture), headers))
			res, err := New(Options{}).Fetch(context.Background(), Request{URL: srv.URL})
			if err != nil {
				t.Fatalf("Fetch: %v", err)
			}
			if res.Charset != tt.wantCharset {
				t.Errorf("Charset = %q, want %q", res.Charset, tt.wantCharset)
			}
			if !utf8.Valid(res.Body) || !strings.Contains(string(res.Body), tt.want) {
				t.Errorf("body lacks %q:\n%s", tt.want, res.Body)
			}
		})
	}
}
