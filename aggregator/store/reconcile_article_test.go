package store

import (
	"testing"
	"time"

	"github.com/tributary-rss/tributary/aggregator/model"
)

// TestReconcile_Article: a re-poll of a list page (headline, no content)
// keeps the article fetched for the entry's link, and drops it when the
// link changed.
func TestReconcile_Article(t *testing.T) {
	first := time.Date(2026, 10, 17, 2, 0, 0, 0, time.UTC)
	later := first.Add(time.Hour)
	listed := model.Entry{ID: "e1", SourceID: "s", Title: "运动会", Link: "https://x/1.htm",
		Published: first, Updated: first, FirstSeen: first}
	with := func(e model.Entry, f func(*model.Entry)) model.Entry { f(&e); return e }
	article := with(listed, func(e *model.Entry) {
		e.Content, e.Summary, e.Image, e.ArticleLink = "<p>全文</p>", "全文", "https://x/a.jpg", "https://x/1.htm"
	})
	tests := []struct {
		name       string
		in         model.Entry
		wantChange change
		want       model.Entry
	}{
		{"re-polled headline keeps the article", with(listed, func(e *model.Entry) { e.FirstSeen = later }),
			changeUnchanged, article},
		{"the list's own summary and image win", with(listed, func(e *model.Entry) { e.Summary, e.Image = "摘要", "https://x/t.jpg" }),
			changeUpdated, with(article, func(e *model.Entry) { e.Summary, e.Image, e.Updated = "摘要", "https://x/t.jpg", later })},
		{"a new link drops the article", with(listed, func(e *model.Entry) { e.Link = "https://x/2.htm" }),
			changeUpdated, with(listed, func(e *model.Entry) { e.Link, e.Updated = "https://x/2.htm", later })},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, _, ch, err := reconcile(&article, tt.in, later)
			if err != nil {
				t.Fatal(err)
			}
			gotJSON, _ := encodeEntry(got)
			wantJSON, _ := encodeEntry(tt.want)
			if ch != tt.wantChange || string(gotJSON) != string(wantJSON) {
				t.Errorf("change %v, entry:\n got  %s\nwant %v %s", ch, gotJSON, tt.wantChange, wantJSON)
			}
		})
	}
}
