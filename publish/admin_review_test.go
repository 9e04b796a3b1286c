package publish

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/tributary-rss/tributary/aggregator/model"
)

const reviewConfig = `sections:
  - id: news
    title: 资讯
    review: true
    sources:
      - id: member-a
        url: https://a.example.edu.cn/rss.xml
  - id: plain
    title: 其他
    sources:
      - id: member-a
        url: https://a.example.edu.cn/rss.xml
`

// newReviewServer serves reviewConfig through the real registry on a real
// redis-server, with e1…e3 of member-a polled once: waiting in news's
// queue, published in plain.
func newReviewServer(t *testing.T) (*auditLog, *Server, func(method, path, body string) (*http.Response, []byte)) {
	t.Helper()
	return newAdminPortal(t, reviewConfig, func(e *model.Entry) { e.Summary = "摘要 " + e.ID })
}

// TestAdminAPI_review walks an editor through a section's queue: what
// waits is in no output, an approval publishes, a rejection is final,
// and every refusal says why.
func TestAdminAPI_review(t *testing.T) {
	reg, srv, do := newReviewServer(t)
	entryPath := func(id, action string) string { return "/api/v1/admin/sections/news/entries/" + id + "/" + action }
	outputs := []string{"/sections/news.rss", "/sections/news.atom", "/sections/news.json", "/sections/news",
		"/api/v1/sections/news/entries", "/embed/news.html"}
	shows := func(id string) map[string]bool {
		t.Helper()
		if err := srv.Recheck(context.Background()); err != nil {
			t.Fatal(err)
		}
		out := map[string]bool{}
		for _, p := range outputs {
			resp, body := do("GET", p, "")
			out[p] = resp.StatusCode == 200 && strings.Contains(string(body), id)
		}
		return out
	}
	for p, shown := range shows(modE2) {
		if shown {
			t.Errorf("%s shows the waiting entry before approval", p)
		}
	}
	if _, body := do("GET", "/api/v1/sections/plain/entries", ""); !strings.Contains(string(body), modE2) {
		t.Errorf("the section without review lacks the entry:\n%s", body)
	}

	steps := []struct {
		name, method, path, body string
		code                     int
		want                     []string
	}{
		{"queue", "GET", "/api/v1/admin/sections/news/review", "", 200, []string{`"total": 3`, `"id": "` + modE3 + `"`,
			`"title": "title ` + modE2 + `"`, `"source": "member-a"`, `"link": "https://example.org/` + modE1 + `"`,
			`"summary": "摘要 ` + modE1 + `"`, `"published": "2026-11-01T02:00:00Z"`, `"held_at": "`}},
		{"queue limited", "GET", "/api/v1/admin/sections/news/review?limit=1", "", 200, []string{`"total": 3`, `"id": "` + modE3 + `"`}},
		{"queue bad limit", "GET", "/api/v1/admin/sections/news/review?limit=0", "", 400, []string{`"field":"limit"`, `from 1 to 1000`}},
		{"approve", "POST", entryPath(modE2, "approve"), "", 200, []string{`"state": "approved"`, `"shown": true`, `"entry": "` + modE2 + `"`}},
		{"approve again", "POST", entryPath(modE2, "approve"), "", 200, []string{`"state": "approved"`}},
		{"reject", "POST", entryPath(modE3, "reject"), "", 200, []string{`"state": "rejected"`, `"shown": false`}},
		{"reject again", "POST", entryPath(modE3, "reject"), "", 200, []string{`"state": "rejected"`}},
		{"approve a rejected entry", "POST", entryPath(modE3, "approve"), "", 409, []string{`rejection is final`}},
		{"reject a published entry", "POST", entryPath(modE2, "reject"), "", 409, []string{`hide it instead`}},
		{"approve an entry not waiting", "POST", entryPath("00000000000000ff", "approve"), "", 404,
			[]string{`entry 00000000000000ff is not waiting for review in section \"news\"`}},
		{"bad entry id", "POST", entryPath("E1", "approve"), "", 400, []string{`"field":"entry"`}},
		{"approve with a body", "POST", entryPath(modE1, "approve"), `{"x":1}`, 400, []string{`approve takes no body`}},
		{"section without review", "POST", "/api/v1/admin/sections/plain/entries/" + modE1 + "/approve", "", 409,
			[]string{`section \"plain\" does not review its entries`}},
		{"queue of a section without review", "GET", "/api/v1/admin/sections/plain/review", "", 409, []string{`review: true`}},
		{"unknown section", "GET", "/api/v1/admin/sections/sports/review", "", 404, []string{`no section \"sports\"`}},
		{"queue after", "GET", "/api/v1/admin/sections/news/review", "", 200, []string{`"total": 1`, `"id": "` + modE1 + `"`}},
	}
	for _, step := range steps {
		resp, body := do(step.method, step.path, step.body)
		if resp.StatusCode != step.code {
			t.Fatalf("%s: %d %s, want %d", step.name, resp.StatusCode, body, step.code)
		}
		for _, w := range step.want {
			if !strings.Contains(string(body), w) {
				t.Errorf("%s: answer lacks %s:\n%s", step.name, w, body)
			}
		}
	}
	for p, shown := range shows(modE2) {
		if !shown {
			t.Errorf("%s lacks the approved entry", p)
		}
	}
	for p, shown := range shows(modE3) {
		if shown {
			t.Errorf("%s shows the rejected entry", p)
		}
	}

	want := []struct{ action, target, result, detail string }{
		{"entry.approve", "news/" + modE2, "ok", "title " + modE2},
		{"entry.approve", "news/" + modE2, "ok", "title " + modE2},
		{"entry.reject", "news/" + modE3, "ok", "title " + modE3},
	}
	recs := reg.all()
	if len(recs) < len(want) {
		t.Fatalf("audit records %+v", recs)
	}
	for i, w := range want {
		r := recs[i]
		if r.Action != w.action || r.Target != w.target || r.Result != w.result || r.Detail != w.detail || r.Via != "api" {
			t.Errorf("audit %d = %+v, want %+v", i, r, w)
		}
	}
}

// TestAdminAPI_review_token: the queue and the decisions need the token.
func TestAdminAPI_review_token(t *testing.T) {
	_, srv, _ := newReviewServer(t)
	ts := newHTTPTest(t, srv)
	tests := []struct{ method, path string }{
		{"GET", "/api/v1/admin/sections/news/review"},
		{"POST", "/api/v1/admin/sections/news/entries/" + modE1 + "/approve"},
		{"POST", "/api/v1/admin/sections/news/entries/" + modE1 + "/reject"},
	}
	for _, tt := range tests {
		resp, body := fetchBody(t, ts, tt.method, tt.path, map[string]string{"Authorization": "Bearer wrong"}, "")
		if resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("%s %s without the token: %d %s", tt.method, tt.path, resp.StatusCode, body)
		}
	}
}
