package preview

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/aggregator/parse"
)

// A list page over the element bound previews its first items, and the cut
// shows among the skipped, after them.
func TestPreviewer_PreviewCutPage(t *testing.T) {
	var page strings.Builder
	page.WriteString(`<!DOCTYPE html><html><head><title>通知公告</title></head><body><ul class="list">`)
	for i := range 300 {
		fmt.Fprintf(&page, `<li><a href="/info/%d.htm">通知 %d</a></li>`, i, i)
	}
	page.WriteString(`</ul></body></html>`)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte(page.String()))
	}))
	t.Cleanup(srv.Close)
	p := newPreviewer()
	p.HTML = parse.NewLimiter(1)
	p.HTML.MaxElements = 105 // 5 elements of chrome, 2 per item: 50 items
	out, err := p.Preview(context.Background(), model.Source{ID: "s", URL: srv.URL + "/list.htm", Scrape: &model.Scrape{Items: "ul.list > li"}})
	if err != nil {
		t.Fatal(err)
	}
	want := model.PreviewSkip{Position: 51, Reason: parse.CutReason(105), Code: model.MsgSkipCut}
	if len(out.Entries) != 50 || len(out.Skipped) != 1 || out.Skipped[0] != want {
		t.Errorf("%d entries, skipped %+v; want 50 and %+v", len(out.Entries), out.Skipped, want)
	}
}

// A preview's article fetch sends the source's key to the source's host
// only: not to the host its link redirects to.
func TestPreviewer_PreviewArticleRedirectHeaders(t *testing.T) {
	var mu sync.Mutex
	keys := map[string]string{}
	record := func(name string, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		keys[name] = r.Header.Get("X-Api-Key")
	}
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		record("other", r)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte(`<html><body><div class="v_news_content"><p>正文第一段，足够长的文字。</p></div></body></html>`))
	}))
	t.Cleanup(other.Close)
	var own *httptest.Server
	own = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		record(r.URL.Path, r)
		if r.URL.Path == "/art" {
			http.Redirect(w, r, other.URL+"/art.htm", http.StatusFound)
			return
		}
		w.Header().Set("Content-Type", "application/rss+xml")
		_, _ = fmt.Fprintf(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>`+
			`<item><title>通知</title><link>%s/art</link></item></channel></rss>`, own.URL)
	}))
	t.Cleanup(own.Close)
	src := model.Source{ID: "s", URL: own.URL + "/feed", Headers: map[string]string{"X-Api-Key": "k"}, Content: &model.Content{Fetch: true}}
	out, err := newPreviewer().Preview(context.Background(), src)
	if err != nil || out.Article == nil || out.Article.Error != "" {
		t.Fatalf("preview: %v, article %+v", err, out.Article)
	}
	mu.Lock()
	defer mu.Unlock()
	if keys["/feed"] != "k" || keys["/art"] != "k" || keys["other"] != "" {
		t.Errorf("X-Api-Key received: %q, want k on the source's host only", keys)
	}
}
