package publish

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/tributary-rss/tributary/aggregator/config"
	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/aggregator/registry"
	"github.com/tributary-rss/tributary/aggregator/store"
	"github.com/tributary-rss/tributary/aggregator/store/storetest"
)

// newReviewConsole is the console over reviewConfig through the real
// registry on a real redis-server (sessions included), with e1…e3 of
// member-a waiting in news's queue, signed in.
func newReviewConsole(t *testing.T) (*auditLog, *Server, *browserish) {
	t.Helper()
	return newReviewConsoleWith(t, func([]model.Entry) {})
}

// newReviewConsoleWith is newReviewConsole with the entries changed by
// edit before they are polled.
func newReviewConsoleWith(t *testing.T, edit func([]model.Entry)) (*auditLog, *Server, *browserish) {
	t.Helper()
	cfg, err := config.Parse("portal.yaml", []byte(reviewConfig), nil)
	if err != nil {
		t.Fatal(err)
	}
	st := store.New(storetest.NewClient(t, storetest.StartRedis(t)), "", nil)
	reg := &auditLog{Registry: registry.New(st, cfg, registry.Options{})}
	sources, sections := reg.Merged()
	var es []model.Entry
	for i, id := range []string{modE1, modE2, modE3} {
		e := pinEntry(id, "member-a", i)
		e.SourceTitle, e.Summary = "实验中学", "摘要 <b>"+id+"</b>"
		es = append(es, e)
	}
	es[2].Link = "javascript:alert(1)"
	edit(es)
	if _, err := st.Ingest(context.Background(), sources[0], sections, es, time.Now()); err != nil {
		t.Fatal(err)
	}
	srv := NewServer(st, Options{BaseURL: testBaseURL, Sections: sections, Sources: sources, Admin: reg, AdminToken: consoleToken})
	ts := newHTTPTest(t, srv)
	b := &browserish{t: t, base: ts.URL, cookies: map[string]*http.Cookie{}, hdr: map[string]string{}}
	b.mustSignIn()
	return reg, srv, b
}

// TestConsole_review: the overview counts what waits and links the queue;
// the queue shows each entry's title, source, date in the section's zone,
// summary (as text) and original link, and decides one entry, a
// selection or the page; every decision is audited with its title.
func TestConsole_review(t *testing.T) {
	reg, srv, b := newReviewConsole(t)
	_, overview := b.get("/admin/")
	if !strings.Contains(overview, `href="/admin/sections/news/review" class="pending">待审核 3 条</a>`) {
		t.Errorf("the overview lacks the pending count:\n%s", overview)
	}
	if strings.Contains(overview, "/admin/sections/plain/review") {
		t.Error("the overview links a queue of a section without review")
	}
	if _, page := b.get("/admin/sections/news"); !strings.Contains(page, `href="/admin/sections/news/review">审核队列</a>`) {
		t.Errorf("the section page lacks the queue link:\n%s", page)
	}
	resp, page := b.get("/admin/sections/news/review")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("queue: %d %s", resp.StatusCode, page)
	}
	for _, want := range []string{"共 3 条等待审核", `id="review-` + modE1 + `"`, "title " + modE2, "实验中学",
		"2026-11-01 10:00\u00a0CST", "摘要 &lt;b&gt;" + modE1, `href="https://example.org/` + modE1 + `"`,
		`value="approve:` + modE2 + `"`, `value="reject:` + modE2 + `"`, `name="entry" value="` + modE3 + `"`, "全部通过（本页 3 条）"} {
		if !strings.Contains(page, want) {
			t.Errorf("queue lacks %q", want)
		}
	}
	if strings.Contains(page, "javascript:alert") || strings.Contains(page, "<b>"+modE1) {
		t.Errorf("queue carries unsafe markup:\n%s", page)
	}
	csrf := csrfOf(t, page)

	steps := []struct {
		name  string
		form  url.Values
		flash string
		queue []string // ids still waiting
	}{
		{"nothing ticked", url.Values{"action": {"approve"}}, "请先勾选要处理的条目。", []string{modE3, modE2, modE1}},
		{"approve one", url.Values{"one": {"approve:" + modE2}}, "已通过 1 条，栏目已更新。", []string{modE3, modE1}},
		{"reject the ticked", url.Values{"action": {"reject"}, "entry": {modE3}, "page": {modE3, modE1}}, "已拒绝 1 条。", []string{modE1}},
		{"approve one already rejected", url.Values{"one": {"approve:" + modE3}}, "已在栏目 news 中被拒绝", []string{modE1}},
		{"approve the page", url.Values{"action": {"approve-page"}, "page": {modE1}}, "已通过 1 条", []string{}},
	}
	for _, step := range steps {
		step.form.Set("csrf", csrf)
		resp, body := b.do("POST", "/admin/sections/news/review", step.form)
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/admin/sections/news/review" {
			t.Fatalf("%s: %d %s %s", step.name, resp.StatusCode, resp.Header.Get("Location"), body)
		}
		_, page := b.get("/admin/sections/news/review")
		if !strings.Contains(page, step.flash) {
			t.Errorf("%s: the page lacks the flash %q:\n%s", step.name, step.flash, page)
		}
		var got []string
		for _, id := range []string{modE3, modE2, modE1} {
			if strings.Contains(page, `id="review-`+id+`"`) {
				got = append(got, id)
			}
		}
		if strings.Join(got, " ") != strings.Join(step.queue, " ") {
			t.Errorf("%s: queue %v, want %v", step.name, got, step.queue)
		}
	}
	if _, page := b.get("/admin/sections/news/review"); !strings.Contains(page, "没有等待审核的条目。") {
		t.Errorf("the empty queue says nothing:\n%s", page)
	}
	if err := srv.Recheck(context.Background()); err != nil {
		t.Fatal(err)
	}
	_, api := b.get("/api/v1/sections/news/entries")
	if !strings.Contains(api, modE1) || !strings.Contains(api, modE2) || strings.Contains(api, modE3) {
		t.Errorf("the section after review:\n%s", api)
	}

	var audited []string
	for _, r := range reg.all() {
		if strings.HasPrefix(r.Action, "entry.") {
			audited = append(audited, r.Action+" "+r.Target+" "+r.Via+" "+r.Detail+" "+map[bool]string{true: "ok", false: "refused"}[r.Result == "ok"])
		}
	}
	want := []string{
		"entry.approve news/" + modE2 + " console title " + modE2 + " ok",
		"entry.reject news/" + modE3 + " console title " + modE3 + " ok",
		"entry.approve news/" + modE3 + " console  refused",
		"entry.approve news/" + modE1 + " console title " + modE1 + " ok",
	}
	if strings.Join(audited, "\n") != strings.Join(want, "\n") {
		t.Errorf("audit:\n%s\nwant:\n%s", strings.Join(audited, "\n"), strings.Join(want, "\n"))
	}
}

// TestConsole_reviewRefused: a section without review has no queue, an
// unknown one is not found, and a form without the CSRF token decides
// nothing.
func TestConsole_reviewRefused(t *testing.T) {
	_, _, b := newReviewConsole(t)
	tests := []struct {
		name, method, path string
		form               url.Values
		code               int
		want               string
	}{
		{"section without review", "GET", "/admin/sections/plain/review", nil, http.StatusConflict, "栏目 plain 没有开启先审后发"},
		{"unknown section", "GET", "/admin/sections/sports/review", nil, http.StatusNotFound, "sports"},
		{"no CSRF token", "POST", "/admin/sections/news/review", url.Values{"one": {"approve:" + modE1}}, http.StatusForbidden, ""},
	}
	for _, tt := range tests {
		resp, body := b.do(tt.method, tt.path, tt.form)
		if resp.StatusCode != tt.code || !strings.Contains(body, tt.want) {
			t.Errorf("%s: %d, want %d with %q\n%s", tt.name, resp.StatusCode, tt.code, tt.want, body)
		}
	}
	if _, page := b.get("/admin/sections/news/review"); !strings.Contains(page, "共 3 条等待审核") {
		t.Error("a refused form changed the queue")
	}
}
