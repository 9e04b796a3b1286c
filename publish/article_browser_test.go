package publish

import (
	"net/http"
	"net/http/httptest"
	"os/exec"
	"strings"
	"testing"
)

// TestArticle_Chromium: in headless Chromium, the widget of a section with
// link_to: portal links its headlines to the article pages, and an
// article page with a hostile title, author and source shows them as
// text, running nothing.
func TestArticle_Chromium(t *testing.T) {
	chromium, err := exec.LookPath("chromium")
	if err != nil {
		t.Skip("chromium not installed (apt-get install chromium)")
	}
	_, trib := newArticleServer(t, Options{})
	host := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		page := strings.ReplaceAll(hostPage, "TRIB/embed/news.js", trib.URL+"/embed/portal.js")
		_, _ = w.Write([]byte(page))
	}))
	defer host.Close()

	dom := dumpDOM(t, chromium, host.URL+"/")
	for _, want := range []string{
		`data-rendered="5"`,
		"HREF " + testBaseURL + "/sections/portal/entries/5d41402abc4b2a76\n",
		"HREF " + testBaseURL + "/sections/portal/entries/1e55c0de1e55c0de\n",
	} {
		if !strings.Contains(dom, want) {
			t.Errorf("widget DOM lacks %q:\n%s", want, dom)
		}
	}

	// The hostile entry's page: its title is text, nothing ran.
	page := dumpDOM(t, chromium, trib.URL+"/sections/portal/entries/0badc0de0badc0de?lang=zh")
	for _, want := range []string{
		"<h1>&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;</h1>",
		"作者：&lt;img src=x onerror=alert(2)&gt;",
		`href="https://example.edu.cn/news/x.html?a=1&amp;b=2"`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("article page lacks %q:\n%s", want, page)
		}
	}
	if strings.Contains(page, "<script>") || strings.Contains(page, "<img src=\"x\"") {
		t.Errorf("article page has live markup from the entry:\n%s", page)
	}
}
