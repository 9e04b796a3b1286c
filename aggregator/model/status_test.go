package model

import "testing"

func TestArticleStatus_String(t *testing.T) {
	tests := []struct {
		in   ArticleStatus
		want string
	}{
		{ArticleStatus{}, "0 ok"},
		{ArticleStatus{OK: 18, Failed: 2, LastError: "HTTP 404 Not Found"}, "18 ok, 2 failed: HTTP 404 Not Found"},
		{ArticleStatus{OK: 3, Pending: 17}, "3 ok, 17 pending"},
		{ArticleStatus{OK: 1, Failed: 1, Pending: 2, LastError: "no article found"}, "1 ok, 1 failed: no article found, 2 pending"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			if got := tt.in.String(); got != tt.want {
				t.Errorf("String() = %q, want %q", got, tt.want)
			}
		})
	}
}
