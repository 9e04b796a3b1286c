package publish

import (
	"context"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/publish/i18n"
)

// TestServer_StatusFilters: ?state= and ?section= narrow the rows, alone
// or together and with ?sort=; bad values are a 400 naming the parameter.
func TestServer_StatusFilters(t *testing.T) {
	ts := newHTTPTest(t, newStatusServer(t, &fakeStatus{list: statusFixture()}))
	tests := []struct {
		query string
		code  int
		rows  string // ids in order; for a 400, the whole message
	}{
		{"?state=failing", 200, "fail3 fail1"},
		{"?state=ok", 200, "ok moved"},
		{"?state=gone", 200, "gone"},
		{"?state=pending", 200, "new"},
		{"?state=paused", 200, ""},
		{"?state=", 200, "fail3 fail1 gone new ok moved"},
		{"?section=news", 200, "fail3 ok"},
		{"?section=campus", 200, "fail3 gone"},
		{"?section=news&sort=name", 200, "ok fail3"},
		{"?section=campus&state=failing", 200, "fail3"},
		{"?section=news&state=gone", 200, ""},
		{"?state=broken", 400, `invalid query parameter "state": must be one of failing, ok, paused, gone, pending`},
		{"?state=FAILING", 400, `invalid query parameter "state": must be one of failing, ok, paused, gone, pending`},
		{"?section=nope", 400, `invalid query parameter "section": "nope" is not a configured section`},
		{"?section=news&state=x", 400, `invalid query parameter "state": must be one of failing, ok, paused, gone, pending`},
		{"?lang=fr", 400, `invalid query parameter "lang": must be "zh" or "en"`},
		{"?sort=color", 400, `invalid query parameter "sort": must be one of state, name, next_due, errors, entries`},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			resp, body := get(t, ts, "/status"+tt.query)
			if resp.StatusCode != tt.code {
				t.Fatalf("status %d, want %d: %s", resp.StatusCode, tt.code, body)
			}
			if tt.code != 200 {
				if got := strings.TrimSpace(string(body)); got != tt.rows {
					t.Errorf("message %q, want %q", got, tt.rows)
				}
				return
			}
			var ids []string
			for _, m := range rowRe.FindAllSubmatch(body, -1) {
				ids = append(ids, string(m[1]))
			}
			if got := strings.Join(ids, " "); got != tt.rows {
				t.Errorf("rows = %q, want %q", got, tt.rows)
			}
			noMatch := strings.Contains(string(body), "No source matches these filters.")
			if noMatch != (tt.rows == "") {
				t.Errorf("no-match message shown = %v with rows %q", noMatch, tt.rows)
			}
		})
	}
}

// TestServer_StatusFilterCounts: each filter link says how many rows it
// would show, given the other filter in force, and keeps the others.
func TestServer_StatusFilterCounts(t *testing.T) {
	ts := newHTTPTest(t, newStatusServer(t, &fakeStatus{list: statusFixture()}))
	tests := []struct {
		query string
		links []string
	}{
		{"", []string{
			`<a href="/status" aria-current="page">All <span class="count">6</span></a>`,
			`<a href="/status?state=failing" class="state-failing">failing <span class="count">2</span></a>`,
			`<a href="/status?state=ok" class="state-ok">ok <span class="count">2</span></a>`,
			`<a href="/status?state=paused" class="state-paused">paused <span class="count">0</span></a>`,
			`<a href="/status?state=gone" class="state-gone">gone <span class="count">1</span></a>`,
			`<a href="/status?state=pending" class="state-pending">pending <span class="count">1</span></a>`,
			`<a href="/status?section=news">资讯 (news) <span class="count">2</span></a>`,
			`<a href="/status?section=campus">&lt;b onmouseover=&#34;x()&#34;&gt;Campus&lt;/b&gt; (campus) <span class="count">2</span></a>`,
		}},
		{"?section=campus&sort=name", []string{
			`<a href="/status?section=campus&amp;sort=name" aria-current="page">All <span class="count">2</span></a>`,
			`<a href="/status?section=campus&amp;sort=name&amp;state=failing" class="state-failing">failing <span class="count">1</span></a>`,
			`<a href="/status?section=campus&amp;sort=name&amp;state=ok" class="state-ok">ok <span class="count">0</span></a>`,
			`<a href="/status?section=news&amp;sort=name">资讯 (news) <span class="count">2</span></a>`,
			`<a href="/status?section=campus&amp;sort=name" aria-current="page">&lt;b`,
			// The sort links keep the filter.
			`<a href="/status?section=campus&amp;sort=errors">errors</a>`,
			`<a href="/status?section=campus">state</a>`,
			`<a href="/status?section=campus&amp;sort=name" aria-current="page">name</a>`,
		}},
		{"?state=failing", []string{
			`<a href="/status?section=news&amp;state=failing">资讯 (news) <span class="count">1</span></a>`,
			`<a href="/status?section=campus&amp;state=failing">&lt;b`,
			`<a href="/status?state=failing" aria-current="page">All <span class="count">2</span></a>`,
			`<a href="/status?state=failing" aria-current="page" class="state-failing">failing <span class="count">2</span></a>`,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			_, body := get(t, ts, "/status"+tt.query)
			for _, l := range tt.links {
				if !strings.Contains(string(body), l) {
					t.Errorf("page lacks %s", l)
				}
			}
		})
	}
}

// TestServer_StatusSections: the section column names each section a
// source feeds by title and id, linked to the page filtered by it.
func TestServer_StatusSections(t *testing.T) {
	ts := newHTTPTest(t, newStatusServer(t, &fakeStatus{list: statusFixture()}))
	_, body := get(t, ts, "/status")
	tests := []struct {
		id, want string
	}{
		{"ok", `<a href="/status?section=news">资讯 (news)</a>`},
		{"fail3", `<a href="/status?section=news">资讯 (news)</a> <a href="/status?section=campus">&lt;b onmouseover=&#34;x()&#34;&gt;Campus&lt;/b&gt; (campus)</a>`},
		{"moved", `<span class="label">Sections</span><span class="val">—</span>`},
	}
	for _, tt := range tests {
		if row := rowOf(t, string(body), tt.id); !strings.Contains(row, tt.want) {
			t.Errorf("%s: row lacks %s:\n%s", tt.id, tt.want, row)
		}
	}
}

// TestServer_StatusDateIssues: items without a usable date or dated in
// the future are counted on the source, with the raw date text as an
// example, in either language.
func TestServer_StatusDateIssues(t *testing.T) {
	list := []model.SourceStatus{
		{ID: "undated", Title: "U", ConfiguredURL: "https://u.example/", LastAttempt: statusT0,
			DateIssues: model.DateIssues{Undated: 3, Example: "发布时间：2026-11-29"}},
		{ID: "future", Title: "F", ConfiguredURL: "https://f.example/", LastAttempt: statusT0,
			DateIssues: model.DateIssues{Future: 1, Example: "2099-01-01"}},
		{ID: "both", Title: "B", ConfiguredURL: "https://b.example/", LastAttempt: statusT0,
			DateIssues: model.DateIssues{Undated: 1, Future: 2}},
		{ID: "fine", Title: "OK", ConfiguredURL: "https://ok.example/", LastAttempt: statusT0},
	}
	tests := []struct {
		lang, id string
		want     []string
	}{
		{i18n.EN, "undated", []string{`3 items without a usable date (e.g. <code>发布时间：2026-11-29</code>)`}},
		{i18n.EN, "future", []string{`1 item dated in the future (e.g. <code>2099-01-01</code>)`}},
		{i18n.EN, "both", []string{`>1 item without a usable date</span>`, `>2 items dated in the future</span>`}},
		{i18n.EN, "fine", nil},
		{i18n.ZH, "undated", []string{`3 条没有可用的日期 (例如 <code>发布时间：2026-11-29</code>)`}},
		{i18n.ZH, "future", []string{`1 条的日期在未来 (例如 <code>2099-01-01</code>)`}},
	}
	ts := newHTTPTest(t, newStatusServer(t, &fakeStatus{list: list}))
	for _, tt := range tests {
		t.Run(tt.lang+" "+tt.id, func(t *testing.T) {
			_, body := get(t, ts, "/status?lang="+tt.lang)
			row := rowOf(t, string(body), tt.id)
			for _, s := range tt.want {
				if !strings.Contains(row, s) {
					t.Errorf("row lacks %s:\n%s", s, row)
				}
			}
			if n := strings.Count(row, "date-issue"); n != len(tt.want) {
				t.Errorf("%d date-issue lines, want %d", n, len(tt.want))
			}
		})
	}
}

// TestServer_StatusEscapes: everything a source or the config supplies is
// text on the page, never markup.
func TestServer_StatusEscapes(t *testing.T) {
	const evil = `<script>alert(1)</script><img src=x onerror=alert(2)>`
	list := []model.SourceStatus{{
		ID: "evil", Title: "T" + evil, ConfiguredURL: "javascript:alert(3)//" + evil, EffectiveURL: "https://x.example/" + evil,
		LastAttempt: statusT0, LastError: "E" + evil, ErrorsInRow: 1, SectionIDs: []string{"campus", "unknown" + evil},
		Articles:   &model.ArticleStatus{OK: 1, Failed: 1, LastError: "A" + evil},
		DateIssues: model.DateIssues{Undated: 1, Example: "D" + evil},
	}}
	ts := newHTTPTest(t, newStatusServer(t, &fakeStatus{list: list}))
	for _, lang := range []string{i18n.EN, i18n.ZH} {
		_, body := get(t, ts, "/status?lang="+lang)
		page := string(body)
		for _, bad := range []string{"<script>", "<img", "<b onmouseover", `href="javascript:`} {
			if strings.Contains(page, bad) {
				t.Errorf("%s: page contains %s", lang, bad)
			}
		}
		const escaped = "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;"
		for _, prefix := range []string{"T", "javascript:alert(3)//", "https://x.example/", "E", "A", "D", "unknown"} {
			if !strings.Contains(page, prefix+escaped) {
				t.Errorf("%s: page lacks the escaped text after %q", lang, prefix)
			}
		}
	}
}

// TestServer_StatusOperatorOnly: with an admin token set, /status and its
// JSON need it; the stylesheet does not.
func TestServer_StatusOperatorOnly(t *testing.T) {
	ts := newHTTPTest(t, newStatusServer(t, &fakeStatus{list: statusFixture()}, func(o *Options) { o.AdminToken = "s3cret" }))
	tests := []struct {
		path, auth string
		code       int
	}{
		{"/status", "", http.StatusUnauthorized},
		{"/status?state=failing", "Bearer wrong", http.StatusUnauthorized},
		{"/status?state=failing", "Bearer s3cret", http.StatusOK},
		{"/api/v1/sources", "", http.StatusUnauthorized},
		{"/api/v1/sources", "Bearer s3cret", http.StatusOK},
		{"/static/status.css", "", http.StatusOK},
	}
	for _, tt := range tests {
		resp, _ := fetch(t, ts, http.MethodGet, tt.path, map[string]string{"Authorization": tt.auth})
		if resp.StatusCode != tt.code {
			t.Errorf("%s with %q: %d, want %d", tt.path, tt.auth, resp.StatusCode, tt.code)
		}
	}
}

// TestServer_StatusReadsOnce: a page, whatever its filters, costs one
// read of the statuses.
func TestServer_StatusReadsOnce(t *testing.T) {
	sr := &countingStatus{fakeStatus: fakeStatus{list: statusFixture()}}
	ts := newHTTPTest(t, newStatusServer(t, sr))
	for i, q := range []string{"", "?state=failing&section=news", "?sort=name&lang=zh"} {
		get(t, ts, "/status"+q)
		if n := int(sr.calls.Load()); n != i+1 {
			t.Fatalf("%q: %d reads in all, want %d", q, n, i+1)
		}
	}
}

type countingStatus struct {
	fakeStatus
	calls atomic.Int32
}

func (c *countingStatus) SourceStatuses(ctx context.Context, srcs []model.Source) ([]model.SourceStatus, error) {
	c.calls.Add(1)
	return c.fakeStatus.SourceStatuses(ctx, srcs)
}
