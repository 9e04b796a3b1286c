package preview

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tributary-rss/tributary/aggregator/model"
)

// TestPreviewer_ArticleCompletes: a preview of a list page with
// content.fetch shows the first article as the poller keeps it (its
// headline, printed time and author, and its sanitized start, bounded)
// and the entry completed by it: the list's cut headline replaced.
func TestPreviewer_ArticleCompletes(t *testing.T) {
	pages := map[string]string{"/xxyw/list.htm": "list_cut.html", "/2026/1017/c1234a201/page.htm": "../../parse/testdata/article_webplus.html"}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := os.ReadFile(filepath.Join("testdata", pages[r.URL.Path]))
		if err != nil || pages[r.URL.Path] == "" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(body)
	}))
	t.Cleanup(srv.Close)
	cst := time.FixedZone("CST", 8*3600)
	src := model.Source{ID: "s", URL: srv.URL + "/xxyw/list.htm", Location: cst,
		Scrape:  &model.Scrape{Items: "div.list_item", Date: ".Article_PublishDate"},
		Content: &model.Content{Fetch: true}}
	p, err := newPreviewer().Preview(context.Background(), src)
	if err != nil {
		t.Fatal(err)
	}
	const headline = "我校召开2026年秋季学期教学工作会议暨本科教育教学审核评估推进会"
	a := p.Article
	switch {
	case a == nil || a.Error != "":
		t.Fatalf("article: %+v", a)
	case a.Title != headline || a.Author != "党委宣传部" || a.Published == nil || !a.Published.Equal(time.Date(2026, 10, 17, 0, 0, 0, 0, cst)):
		t.Errorf("article says %q by %q at %v", a.Title, a.Author, a.Published)
	case !strings.Contains(a.HTML, "召开2026年秋季学期教学工作会议") || len(a.HTML) > model.MaxPreviewHTML || strings.Contains(a.HTML, "<script"):
		t.Errorf("article HTML (%d bytes): %s", len(a.HTML), a.HTML)
	}
	if got := p.Entries[0].Title; got != headline {
		t.Errorf("entry title %q, want the article's headline", got)
	}
}
