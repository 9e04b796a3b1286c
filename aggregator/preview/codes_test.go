package preview

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tributary-rss/tributary/aggregator/fetch"
	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/aggregator/normalize"
	"github.com/tributary-rss/tributary/aggregator/parse"
)

// noSuchHost answers every lookup as a resolver does for a name that
// does not exist.
type noSuchHost struct{}

func (noSuchHost) LookupNetIP(_ context.Context, _, host string) ([]netip.Addr, error) {
	return nil, &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}
}

// codeSite serves what makes a preview fail, each at its own path.
func codeSite(t *testing.T) *httptest.Server {
	t.Helper()
	mux := http.NewServeMux()
	page := func(ctype, body string) http.HandlerFunc {
		return func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", ctype)
			_, _ = w.Write([]byte(body))
		}
	}
	status := func(code int) http.HandlerFunc {
		return func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(code) }
	}
	mux.HandleFunc("/404", status(404))
	mux.HandleFunc("/403", status(403))
	mux.HandleFunc("/410", status(410))
	mux.HandleFunc("/429", status(429))
	mux.HandleFunc("/502", status(502))
	mux.HandleFunc("/418", status(418))
	mux.HandleFunc("/loop", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/loop", http.StatusFound) })
	mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() })
	mux.HandleFunc("/big.xml", page("application/rss+xml", `<?xml version="1.0"?><rss>`+strings.Repeat("x", 4096)+`</rss>`))
	mux.HandleFunc("/big.html", page("text/html", `<!DOCTYPE html><html><body>`+strings.Repeat("<p>x</p>", 150)+`</body></html>`))
	mux.HandleFunc("/sitemap.xml", page("application/xml", `<?xml version="1.0"?><urlset><url><loc>https://x.example/</loc></url></urlset>`))
	mux.HandleFunc("/broken.xml", page("application/rss+xml", `<?xml version="1.0"?><rss version="2.0"><channel><title>x</title><item><title>a`))
	mux.HandleFunc("/nofeed.html", page("text/html", `<!DOCTYPE html><html><head><title>某校</title></head><body><ul><li><a href="/a">新闻</a></li></ul></body></html>`))
	mux.HandleFunc("/advertises.html", page("text/html", `<!DOCTYPE html><html><head><link rel="alternate" type="application/rss+xml" href="/404"></head><body></body></html>`))
	mux.HandleFunc("/home.html", page("text/html; charset=utf-8", twoListsPage()))
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

// twoListsPage is a school homepage as VSB templates print it: a menu,
// 学校要闻 and 通知公告 side by side with as many dated items each, and a
// footer; neither list is the page's main one.
func twoListsPage() string {
	var b strings.Builder
	b.WriteString(`<!DOCTYPE html><html><head><title>示例大学</title></head><body>
<div class="nav"><ul><li><a href="/">首页</a></li><li><a href="/xxgk.htm">学校概况</a></li><li><a href="/jgsz.htm">机构设置</a></li></ul></div>
<div class="main">`)
	for _, box := range []struct{ class, title, dir string }{{"news", "学校召开第%d次工作会议", "1001"}, {"notice", "关于第%d批项目申报的通知", "1002"}} {
		fmt.Fprintf(&b, `<div class="%s"><h2>%s</h2><ul>`, box.class, box.class)
		for i := 1; i <= 8; i++ {
			fmt.Fprintf(&b, `<li><a href="/info/%s/%d.htm">`+box.title+`</a><span>2025-03-%02d</span></li>`, box.dir, 3400+i, i, 20-i)
		}
		b.WriteString(`</ul></div>`)
	}
	b.WriteString(`</div><div class="footer"><p>版权所有 示例大学</p></div></body></html>`)
	return b.String()
}

// TestCode: each way a preview or a discovery fails, met through the real
// fetcher and parser, is named by its code with the values its words
// need, beside the English reason.
func TestCode(t *testing.T) {
	srv := codeSite(t)
	closed := httptest.NewServer(http.NotFoundHandler())
	closed.Close()
	f := fetch.New(fetch.Options{Timeout: 300 * time.Millisecond, MaxBodyBytes: 2048, MaxHTMLBytes: 1024, Resolver: noSuchHost{}})
	p := New(f, normalize.New(normalize.Options{}))
	tests := []struct {
		name     string
		src      model.Source
		code     string
		args     []string
		skipCode string
	}{
		{"404", model.Source{URL: srv.URL + "/404"}, model.MsgHTTPNotFound, []string{"404"}, ""},
		{"403", model.Source{URL: srv.URL + "/403"}, model.MsgHTTPForbidden, []string{"403"}, ""},
		{"410", model.Source{URL: srv.URL + "/410"}, model.MsgHTTPGone, []string{"410"}, ""},
		{"429", model.Source{URL: srv.URL + "/429"}, model.MsgHTTPTooMany, []string{"429"}, ""},
		{"502", model.Source{URL: srv.URL + "/502"}, model.MsgHTTPServer, []string{"502"}, ""},
		{"418", model.Source{URL: srv.URL + "/418"}, model.MsgHTTPStatus, []string{"418", "I'm a teapot"}, ""},
		{"redirect loop", model.Source{URL: srv.URL + "/loop"}, model.MsgRedirect, nil, ""},
		{"timeout", model.Source{URL: srv.URL + "/slow"}, model.MsgTimeout, nil, ""},
		{"connection refused", model.Source{URL: closed.URL + "/"}, model.MsgConnRefused, nil, ""},
		{"private address", model.Source{URL: srv.URL + "/404", Restricted: true}, model.MsgForbiddenAddress, []string{"127.0.0.1", "loopback"}, ""},
		{"unknown host", model.Source{URL: "http://nowhere.example/", Restricted: true}, model.MsgDNS, []string{"nowhere.example"}, ""},
		{"feed too large", model.Source{URL: srv.URL + "/big.xml"}, model.MsgBodyTooLarge, []string{"2048"}, ""},
		{"page too large", model.Source{URL: srv.URL + "/big.html"}, model.MsgHTMLTooLarge, []string{"1024"}, ""},
		{"not a feed", model.Source{URL: srv.URL + "/sitemap.xml"}, model.MsgNotFeed, []string{"XML with root <urlset>"}, ""},
		{"broken feed", model.Source{URL: srv.URL + "/broken.xml"}, model.MsgFeedSyntax, nil, ""},
		{"page without feed or list", model.Source{URL: srv.URL + "/nofeed.html"}, model.MsgNoList, nil, ""},
		{"advertised feed missing", model.Source{URL: srv.URL + "/advertises.html"}, model.MsgHTTPNotFound, []string{"404"}, ""},
		{"items match nothing", model.Source{URL: srv.URL + "/nofeed.html", Scrape: &model.Scrape{Items: "div.news li"}}, model.MsgNoItems, nil, ""},
		{"bad selector", model.Source{URL: srv.URL + "/nofeed.html", Scrape: &model.Scrape{Items: "li["}}, model.MsgSelectorInvalid, nil, ""},
		{"bad filter", model.Source{URL: srv.URL + "/nofeed.html", Scrape: &model.Scrape{Items: "li"}, Include: []string{"/[/"}}, model.MsgSourceFilter, nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.src.ID, tt.src.Location = "s", time.UTC
			got, err := p.Preview(context.Background(), tt.src)
			if err == nil {
				t.Fatalf("Preview succeeded: %+v", got)
			}
			if got.ErrorCode != tt.code || got.Error == "" {
				t.Errorf("code %q (error %q), want %q", got.ErrorCode, got.Error, tt.code)
			}
			if tt.args != nil && !slices.Equal(got.ErrorArgs, tt.args) {
				t.Errorf("args %q, want %q", got.ErrorArgs, tt.args)
			}
		})
	}
	d, _ := p.Discover(context.Background(), srv.URL+"/nofeed.html", false)
	if d.ReasonCode != model.MsgNoList {
		t.Errorf("discovery of a page without feed or list: code %q, want %q", d.ReasonCode, model.MsgNoList)
	}
	d, _ = p.Discover(context.Background(), srv.URL+"/404", false)
	if d.ReasonCode != model.MsgHTTPNotFound || !slices.Equal(d.ReasonArgs, []string{"404"}) {
		t.Errorf("discovery of a 404: code %q %q", d.ReasonCode, d.ReasonArgs)
	}
}

// TestPreviewer_severalListsCode: a page whose lists are too alike to
// choose from, read without an items selector, fails with the code that
// says so and how many lists there are.
func TestPreviewer_severalListsCode(t *testing.T) {
	srv := codeSite(t)
	got, err := newPreviewer().Preview(context.Background(), model.Source{ID: "s", URL: srv.URL + "/home.html", Location: time.UTC, Scrape: &model.Scrape{}})
	if err == nil || got.ErrorCode != model.MsgSeveralLists || !slices.Equal(got.ErrorArgs, []string{"2"}) {
		t.Errorf("code %q %q (error %v), want %q [2]", got.ErrorCode, got.ErrorArgs, err, model.MsgSeveralLists)
	}
}

// TestCode_wrapped: a code is found through the wrapping a caller adds,
// for the errors detection and the parser return.
func TestCode_wrapped(t *testing.T) {
	tests := []struct {
		err  error
		code string
	}{
		{fmt.Errorf("detect lists: %w", parse.ErrNoList), model.MsgNoList},
		{fmt.Errorf("read page: %w", &parse.ParseError{Reason: "2 lists found: …", Err: parse.ErrAmbiguous, Lists: make([]model.ListCandidate, 2)}), model.MsgSeveralLists},
		{fmt.Errorf("read page: %w", &parse.ParseError{Reason: parse.NoItemsReason, Err: parse.ErrNoItems}), model.MsgNoItems},
		{fmt.Errorf("read page: %w", &parse.ParseError{Reason: "scrape.date: expected identifier", Err: errors.New("expected identifier")}), model.MsgSelectorInvalid},
		{errors.New("something else"), model.MsgReadFailed},
		{nil, ""},
	}
	for _, tt := range tests {
		if code, _ := Code(tt.err); code != tt.code {
			t.Errorf("Code(%v) = %q, want %q", tt.err, code, tt.code)
		}
	}
}

// TestPreviewer_skipCodes: skipped items carry the code of their reason.
func TestPreviewer_skipCodes(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte(`<!DOCTYPE html><html><body><ul class="news">
<li class="top"><a href="/n/0.htm">置顶：学校简介</a></li>
<li><span>没有链接的一条</span></li>
<li><a href="javascript:void(0)">脚本打开的一条</a><span>2026-10-20</span></li>
<li><a href="/n/1.htm">运动会</a><span>2026-10-17</span></li>
<li><a href="/n/2.htm">招生简章</a><span>2026-09-01</span></li></ul></body></html>`))
	}))
	t.Cleanup(srv.Close)
	p := newPreviewer()
	got, err := p.Preview(context.Background(), model.Source{ID: "s", URL: srv.URL + "/", Location: time.UTC,
		Scrape: &model.Scrape{Items: "ul.news li", Skip: ".top"}, Exclude: []string{"招生"}})
	if err != nil {
		t.Fatal(err)
	}
	var codes []string
	for _, s := range got.Skipped {
		codes = append(codes, s.Code)
	}
	want := []string{model.MsgSkipMatched, model.MsgSkipNoLink, model.MsgSkipScriptLink, model.MsgSkipFiltered}
	if !slices.Equal(codes, want) {
		t.Errorf("skip codes %q, want %q (%+v)", codes, want, got.Skipped)
	}
}
