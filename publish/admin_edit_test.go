package publish

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/tributary-rss/tributary/aggregator/config"
	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/aggregator/registry"
	"github.com/tributary-rss/tributary/aggregator/store"
	"github.com/tributary-rss/tributary/aggregator/store/storetest"
)

const editToken = "0123456789abcdef-token"

// editConfig has a config source (member-a, listed at line 8) in news
// and section hot without it.
const editConfig = `defaults:
  schedule: "@every 10m"
sections:
  - id: news
    title: 资讯
    sources:
      - id: member-a
        url: https://a.example.edu.cn/rss.xml
  - id: hot
    title: 热点
    sources:
      - url: https://b.example.edu.cn/atom.xml
`

// auditingRegistry is the real registry with the audit log recorded here,
// whatever the store's audit log does.
type auditingRegistry struct {
	*registry.Registry
	mu      sync.Mutex
	records []model.AuditRecord
}

func (a *auditingRegistry) Audit(_ context.Context, rec model.AuditRecord) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.records = append(a.records, rec)
	return nil
}

func (a *auditingRegistry) last() model.AuditRecord {
	a.mu.Lock()
	defer a.mu.Unlock()
	if len(a.records) == 0 {
		return model.AuditRecord{}
	}
	return a.records[len(a.records)-1]
}

// newEditServer serves editConfig through a registry on a real
// redis-server, wired as the daemon wires it, with one API source
// (api-c, in news) added.
func newEditServer(t *testing.T) (*auditingRegistry, *Server, func(method, path, body string) (*http.Response, []byte)) {
	t.Helper()
	cfg, err := config.Parse("portal.yaml", []byte(editConfig), nil)
	if err != nil {
		t.Fatal(err)
	}
	st := store.New(storetest.NewClient(t, storetest.StartRedis(t)), "", nil)
	reg := &auditingRegistry{Registry: registry.New(st, cfg, registry.Options{AllowPrivate: true})}
	sources, sections := reg.Merged()
	srv := NewServer(st, Options{BaseURL: testBaseURL, Sections: sections, Sources: sources, Admin: reg, AdminToken: editToken})
	reg.OnChange(func(sources []model.Source, sections []model.Section) (int, int, int, error) {
		return 0, 0, 0, srv.SetSections(sections, sources)
	})
	if err := reg.Refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	ts := newHTTPTest(t, srv)
	do := func(method, path, body string) (*http.Response, []byte) {
		t.Helper()
		hdr := map[string]string{"Authorization": "Bearer " + editToken, "Content-Type": "application/json"}
		return fetchBody(t, ts, method, path, hdr, body)
	}
	if resp, body := do("POST", "/api/v1/admin/sources", `{"id":"api-c","url":"https://c.example.org/feed","sections":["news"]}`); resp.StatusCode != 201 {
		t.Fatalf("add: %d %s", resp.StatusCode, body)
	}
	return reg, srv, do
}

func TestAdminAPI_update(t *testing.T) {
	reg, _, do := newEditServer(t)
	tests := []struct {
		name, id, body string
		code           int
		want           []string
	}{
		{"title and schedule", "api-c", `{"title":"丙校","schedule":"@every 5m"}`, 200,
			[]string{`"title": "丙校"`, `"schedule": "@every 5m"`}},
		{"more sections", "api-c", `{"sections":["news","hot"]}`, 200, []string{`"hot"`}},
		{"filters and content", "api-c", `{"include":["通知"],"content":{"fetch":true,"selector":"article"}}`, 200, []string{`"id": "api-c"`}},
		{"bad schedule", "api-c", `{"schedule":"every minute"}`, 400, []string{`"field":"schedule"`}},
		{"unknown section", "api-c", `{"sections":["sports"]}`, 400, []string{`no section \"sports\" in the config`}},
		{"no section", "api-c", `{"sections":[]}`, 400, []string{`"field":"sections"`}},
		{"unknown field", "api-c", `{"titel":"x"}`, 400, []string{`unknown field \"titel\"`}},
		{"nothing to change", "api-c", `{}`, 400, []string{"changes nothing"}},
		{"bad filter", "api-c", `{"exclude":["广告","//"]}`, 400, []string{`"field":"exclude[1]"`, "empty regular expression"}},
		{"bad zone", "api-c", `{"timezone":"Mars/Olympus"}`, 400, []string{`"field":"timezone"`}},
		{"scrape without items, a bad title", "api-c", `{"scrape":{"title":"a["}}`, 400, []string{`"field":"scrape.title"`}},
		{"clear and set scrape", "api-c", `{"clear_scrape":true,"scrape":{"items":"li"}}`, 400, []string{`"field":"clear_scrape"`}},
		{"config source title", "member-a", `{"title":"甲"}`, 409,
			[]string{`source \"member-a\" is defined in the config file: edit title at portal.yaml:7`}},
		{"config source drops its file section", "member-a", `{"sections":["hot"]}`, 409,
			[]string{`listed in section \"news\" by the config file: remove it from that section at portal.yaml:7`}},
		{"config source gains a section", "member-a", `{"sections":["news","hot"]}`, 200,
			[]string{`"id": "member-a"`, `"hot"`}},
		{"unknown source", "nope", `{"title":"x"}`, 404, []string{`no source \"nope\"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := do("PATCH", "/api/v1/admin/sources/"+tt.id, tt.body)
			if resp.StatusCode != tt.code {
				t.Fatalf("status %d, want %d: %s", resp.StatusCode, tt.code, body)
			}
			if ct := resp.Header.Get("Content-Type"); ct != "application/json; charset=utf-8" {
				t.Errorf("Content-Type %q", ct)
			}
			for _, w := range tt.want {
				if !strings.Contains(string(body), w) {
					t.Errorf("body lacks %s:\n%s", w, body)
				}
			}
			// Every edit that reached the registry is in the audit log,
			// with its outcome.
			if tt.name == "unknown field" {
				return
			}
			rec := reg.last()
			wantResult := "ok"
			if tt.code != 200 {
				wantResult = "not ok"
			}
			if rec.Action != "source.update" || rec.Target != tt.id || rec.Via != "api" || rec.Client != "127.0.0.1" ||
				(rec.Result == "ok") != (wantResult == "ok") {
				t.Errorf("audit record %+v, want source.update of %s, %s", rec, tt.id, wantResult)
			}
			if tt.name == "title and schedule" && rec.Detail != "title, schedule" {
				t.Errorf("audit detail %q, want the fields set", rec.Detail)
			}
		})
	}
	// The edits hold in the merged list the scheduler and the server get.
	sources, sections := reg.Merged()
	byID := map[string]model.Source{}
	for _, s := range sources {
		byID[s.ID] = s
	}
	c, a := byID["api-c"], byID["member-a"]
	if c.Title != "丙校" || c.Schedule != "@every 5m" || !slices.Equal(c.Include, []string{"通知"}) || c.Content == nil || !c.Content.Fetch {
		t.Errorf("api-c after the edits: %+v", c)
	}
	if !slices.Equal(a.SectionIDs, []string{"news", "hot"}) || !slices.Contains(sections[1].SourceIDs, "member-a") {
		t.Errorf("member-a in sections %v; hot lists %v", a.SectionIDs, sections[1].SourceIDs)
	}
}

func TestAdminAPI_jsonErrors(t *testing.T) {
	ts := newHTTPTest(t, NewServer(nil, Options{BaseURL: testBaseURL, Admin: &countingAdmin{}, AdminToken: editToken}))
	auth := map[string]string{"Authorization": "Bearer " + editToken}
	tests := []struct {
		name, method, path string
		hdr                map[string]string
		code               int
		allow, want        string
	}{
		{"unknown path", "GET", "/api/v1/admin/nope", auth, 404, "", "no admin API endpoint /api/v1/admin/nope"},
		{"unknown path under sources", "GET", "/api/v1/admin/sources/a/b/c", auth, 404, "", "no admin API endpoint"},
		{"PUT on a source", "PUT", "/api/v1/admin/sources/a", auth, 405, "DELETE, GET, HEAD, PATCH", "method PUT is not allowed on /api/v1/admin/sources/a"},
		{"DELETE on the list", "DELETE", "/api/v1/admin/sources", auth, 405, "GET, HEAD, POST", "method DELETE is not allowed"},
		{"a method no route names", "TRACE", "/api/v1/admin/sources", auth, 405, "GET, HEAD, POST", "method TRACE is not allowed"},
		{"unknown path without the token", "GET", "/api/v1/admin/nope", nil, 401, "", "missing bearer token"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := fetch(t, ts, tt.method, tt.path, tt.hdr)
			if resp.StatusCode != tt.code {
				t.Fatalf("status %d, want %d: %s", resp.StatusCode, tt.code, body)
			}
			if ct := resp.Header.Get("Content-Type"); ct != "application/json; charset=utf-8" {
				t.Errorf("Content-Type %q, want JSON", ct)
			}
			var doc struct {
				Error string `json:"error"`
			}
			if err := json.Unmarshal(body, &doc); err != nil || !strings.Contains(doc.Error, tt.want) {
				t.Errorf("body %s (%v), want a JSON error containing %q", body, err, tt.want)
			}
			if tt.allow != "" {
				allow := strings.Split(resp.Header.Get("Allow"), ", ")
				slices.Sort(allow)
				if got := strings.Join(allow, ", "); got != tt.allow {
					t.Errorf("Allow %q, want %q", got, tt.allow)
				}
			}
		})
	}
}

func TestServer_SetAdminToken(t *testing.T) {
	const oldToken, newToken = "0123456789abcdef-old", "0123456789abcdef-new"
	admin := &countingAdmin{}
	status := statusFunc(func(context.Context, []model.Source) ([]model.SourceStatus, error) { return nil, nil })
	s := NewServer(nil, Options{BaseURL: testBaseURL, Admin: admin, AdminToken: oldToken, Status: status})
	ts := newHTTPTest(t, s)
	codes := func(token string) (api, sources int) {
		hdr := map[string]string{"Authorization": "Bearer " + token}
		resp, _ := fetch(t, ts, "GET", "/api/v1/admin/sources", hdr)
		resp2, _ := fetch(t, ts, "GET", "/api/v1/sources", hdr)
		return resp.StatusCode, resp2.StatusCode
	}
	steps := []struct {
		name, set, use string
		api, sources   int
	}{
		{"the token of the start", "", oldToken, 200, 200},
		{"old token after the change", newToken, oldToken, 401, 401},
		{"new token after the change", "", newToken, 200, 200},
		{"token cleared: admin API off, operator pages open", "-", "whatever", 404, 200},
		{"token set again", oldToken, oldToken, 200, 200},
	}
	for _, step := range steps {
		switch step.set {
		case "":
		case "-":
			s.SetAdminToken("")
		default:
			s.SetAdminToken(step.set)
		}
		if api, sources := codes(step.use); api != step.api || sources != step.sources {
			t.Errorf("%s: admin API %d, /api/v1/sources %d; want %d, %d", step.name, api, sources, step.api, step.sources)
		}
	}
}

// statusFunc is a StatusReader.
type statusFunc func(context.Context, []model.Source) ([]model.SourceStatus, error)

func (f statusFunc) SourceStatuses(ctx context.Context, sources []model.Source) ([]model.SourceStatus, error) {
	return f(ctx, sources)
}

// TestServer_sourceLeft: ?source= answers for a source the section no
// longer lists while it has entries there; a made-up id is a 404 that
// leaves nothing in the render cache.
func TestServer_sourceLeft(t *testing.T) {
	fx := loadFixture(t)
	gone := fx.Entries[0].SourceID
	sec := fx.Section
	sec.SourceIDs = slices.DeleteFunc(slices.Clone(sec.SourceIDs), func(id string) bool { return id == gone })
	if len(sec.SourceIDs) == len(fx.Section.SourceIDs) {
		t.Fatalf("fixture: %s is not a source of the section", gone)
	}
	fx2 := fx
	fx2.Section = sec
	s, ts := newTestServer(t, newFakeReader(fx2), fx2)
	for _, base := range []string{"/sections/news.json", "/sections/news", "/api/v1/sections/news/entries", "/embed/news.html"} {
		resp, body := get(t, ts, base+"?source="+gone)
		if resp.StatusCode != 200 || !strings.Contains(string(body), "新图书馆正式开放") {
			t.Errorf("%s?source=%s (left, entries kept): %d, want 200 with its entries", base, gone, resp.StatusCode)
		}
	}
	s.cache.mu.Lock()
	cached := len(s.cache.entries)
	s.cache.mu.Unlock()
	for _, base := range []string{"/sections/news.json", "/sections/news", "/api/v1/sections/news/entries", "/embed/news.html"} {
		resp, body := get(t, ts, base+"?source=made-up-1")
		if resp.StatusCode != 404 || !strings.Contains(string(body), `source "made-up-1" has no entries in section "news"`) {
			t.Errorf("%s?source=made-up-1: %d %s, want 404 naming source and section", base, resp.StatusCode, body)
		}
	}
	s.cache.mu.Lock()
	after := len(s.cache.entries)
	s.cache.mu.Unlock()
	if after != cached {
		t.Errorf("renders cached: %d before the made-up ids, %d after", cached, after)
	}
}
