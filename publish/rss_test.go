package publish

import (
	"testing"

	"github.com/tributary-rss/tributary/aggregator/model"
)

// An RSS description is read as HTML: sanitized content goes in as it is,
// a plain-text summary (which may read like markup once its source's
// entities are decoded) goes in escaped.
func TestNewRSSItem_description(t *testing.T) {
	tests := []struct {
		name, content, summary, want string
	}{
		{"content", `<p>a <b>b</b></p>`, "a b", `<p>a <b>b</b></p>`},
		{"plain summary", "", "Short teaser & more", "Short teaser &amp; more"},
		{"summary reading like markup", "", `<script>alert(1)</script><img src=x onerror="x()">`,
			"&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=&#34;x()&#34;&gt;"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := newRSSItem(feedData{}, model.Entry{ID: "1", Title: "t", Content: tt.content, Summary: tt.summary}).Description
			if got != tt.want {
				t.Errorf("Description = %q, want %q", got, tt.want)
			}
		})
	}
}
