package publish

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tributary-rss/tributary/aggregator/config"
	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/aggregator/registry"
	"github.com/tributary-rss/tributary/aggregator/store"
	"github.com/tributary-rss/tributary/aggregator/store/storetest"
)

const moderationToken = "moderation-token-0123456789"

const moderationConfig = `sections:
  - id: news
    title: 资讯
    sources:
      - id: member-a
        url: https://a.example.edu.cn/rss.xml
`

// Entry ids as the normalizer makes them: hex.
const (
	modE1 = "00000000000000e1"
	modE2 = "00000000000000e2"
	modE3 = "00000000000000e3"
)

// auditLog is the real registry with the audit log recorded here.
type auditLog struct {
	*registry.Registry
	mu      sync.Mutex
	records []model.AuditRecord
}

func (a *auditLog) Audit(_ context.Context, rec model.AuditRecord) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.records = append(a.records, rec)
	return nil
}

func (a *auditLog) all() []model.AuditRecord {
	a.mu.Lock()
	defer a.mu.Unlock()
	return slices.Clone(a.records)
}

// newModerationServer serves moderationConfig through the real registry
// on a real redis-server, with e1…e3 of member-a in news.
func newModerationServer(t *testing.T) (*auditLog, *Server, func(method, path, body string) (*http.Response, []byte)) {
	t.Helper()
	return newAdminPortal(t, moderationConfig, nil)
}

// newAdminPortal serves config through the real registry on a real
// redis-server, with e1…e3 of member-a polled once (each shaped by edit,
// if any), and a caller of the admin API with the token.
func newAdminPortal(t *testing.T, cfgYAML string, edit func(*model.Entry)) (*auditLog, *Server, func(method, path, body string) (*http.Response, []byte)) {
	t.Helper()
	cfg, err := config.Parse("portal.yaml", []byte(cfgYAML), nil)
	if err != nil {
		t.Fatal(err)
	}
	st := store.New(storetest.NewClient(t, storetest.StartRedis(t)), "", nil)
	reg := &auditLog{Registry: registry.New(st, cfg, registry.Options{})}
	sources, sections := reg.Merged()
	var es []model.Entry
	for i, id := range []string{modE1, modE2, modE3} {
		e := pinEntry(id, "member-a", i)
		if edit != nil {
			edit(&e)
		}
		es = append(es, e)
	}
	if _, err := st.Ingest(context.Background(), sources[0], sections, es, time.Now()); err != nil {
		t.Fatal(err)
	}
	srv := NewServer(st, Options{BaseURL: testBaseURL, Sections: sections, Sources: sources, Admin: reg, AdminToken: moderationToken})
	ts := newHTTPTest(t, srv)
	return reg, srv, func(method, path, body string) (*http.Response, []byte) {
		t.Helper()
		hdr := map[string]string{"Authorization": "Bearer " + moderationToken}
		if body != "" {
			hdr["Content-Type"] = "application/json"
		}
		return fetchBody(t, ts, method, path, hdr, body)
	}
}

// TestAdminAPI_moderate walks an editor's session: each step's status and
// what its answer must say.
func TestAdminAPI_moderate(t *testing.T) {
	reg, srv, do := newModerationServer(t)
	entryPath := func(id, action string) string { return "/api/v1/admin/sections/news/entries/" + id + "/" + action }
	steps := []struct {
		name, method, path, body string
		code                     int
		want                     []string
	}{
		{"hide", "POST", entryPath(modE2, "hide"), "", 200, []string{`"state": "hidden"`, `"entry": "` + modE2 + `"`, `"section": "news"`}},
		{"hide again", "POST", entryPath(modE2, "hide"), "", 200, []string{`"state": "hidden"`}},
		{"pin a hidden entry", "POST", entryPath(modE2, "pin"), "", 409, []string{`unhide it before pinning`}},
		{"pin for two hours", "POST", entryPath(modE1, "pin"), `{"for":"2h"}`, 200, []string{`"state": "pinned"`, `"until": "`}},
		{"pin until a past time", "POST", entryPath(modE3, "pin"), `{"until":"2020-01-01T00:00:00Z"}`, 400,
			[]string{`"field":"until"`, "not in the future"}},
		{"pin until a bad time", "POST", entryPath(modE3, "pin"), `{"until":"tomorrow"}`, 400, []string{`"field":"until"`, "RFC 3339"}},
		{"pin with both", "POST", entryPath(modE3, "pin"), `{"until":"2099-01-01T00:00:00Z","for":"1h"}`, 400, []string{`not both`}},
		{"pin with a bad duration", "POST", entryPath(modE3, "pin"), `{"for":"-1h"}`, 400, []string{`"field":"for"`}},
		{"pin with an unknown field", "POST", entryPath(modE3, "pin"), `{"untill":"x"}`, 400, []string{`unknown field \"untill\"`}},
		{"hide with a body", "POST", entryPath(modE3, "hide"), `{"for":"1h"}`, 400, []string{`hide takes no body`}},
		{"pin an entry not in the section", "POST", entryPath("00000000000000ff", "pin"), "", 404,
			[]string{`entry 00000000000000ff is not in section \"news\"`}},
		{"unknown section", "POST", "/api/v1/admin/sections/sports/entries/" + modE1 + "/hide", "", 404, []string{`no section \"sports\"`}},
		{"bad entry id", "POST", entryPath("E1", "hide"), "", 400, []string{`"field":"entry"`}},
		{"unknown action", "POST", entryPath(modE1, "delete"), "", 404, []string{`"error"`}},
		{"moderation", "GET", "/api/v1/admin/sections/news/moderation", "", 200,
			[]string{`"hidden": [`, `"id": "` + modE2 + `"`, `"pinned": [`, `"id": "` + modE1 + `"`}},
		{"unknown section's moderation", "GET", "/api/v1/admin/sections/sports/moderation", "", 404, []string{`no section \"sports\"`}},
		{"unpin", "POST", entryPath(modE1, "unpin"), "", 200, []string{`"state": "visible"`}},
		{"unhide", "POST", entryPath(modE2, "unhide"), "", 200, []string{`"state": "visible"`}},
	}
	for _, step := range steps {
		resp, body := do(step.method, step.path, step.body)
		if resp.StatusCode != step.code {
			t.Fatalf("%s: %d %s, want %d", step.name, resp.StatusCode, body, step.code)
		}
		if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
			t.Errorf("%s: Content-Type %q", step.name, ct)
		}
		for _, w := range step.want {
			if !strings.Contains(string(body), w) {
				t.Errorf("%s: answer lacks %s:\n%s", step.name, w, body)
			}
		}
		if step.name == "hide" {
			// The server drops its renders on the new version.
			if err := srv.Recheck(context.Background()); err != nil {
				t.Fatal(err)
			}
			if _, api := do("GET", "/api/v1/sections/news/entries", ""); strings.Contains(string(api), modE2) {
				t.Errorf("the API still shows the hidden entry:\n%s", api)
			}
		}
	}

	recs := reg.all()
	if len(recs) == 0 {
		t.Fatal("no audit records")
	}
	first := recs[0]
	if first.Action != "entry.hide" || first.Target != "news/"+modE2 || first.Via != "api" || first.Client != "127.0.0.1" || first.Result != "ok" {
		t.Errorf("first audit record = %+v", first)
	}
	var refused, pinned bool
	for _, rec := range recs {
		refused = refused || rec.Action == "entry.pin" && strings.Contains(rec.Result, "unhide it before pinning")
		pinned = pinned || rec.Action == "entry.pin" && rec.Result == "ok" && strings.HasPrefix(rec.Detail, "until ")
	}
	if !refused || !pinned {
		t.Errorf("audit records lack the refused pin (%t) or the pin with its expiry (%t): %+v", refused, pinned, recs)
	}
}

// TestAdminAPI_moderate_pinUntil: the answer's until is the pin's expiry.
func TestAdminAPI_moderate_pinUntil(t *testing.T) {
	_, _, do := newModerationServer(t)
	until := time.Now().Add(48 * time.Hour).UTC().Truncate(time.Second)
	resp, body := do("POST", "/api/v1/admin/sections/news/entries/"+modE3+"/pin", `{"until":"`+until.Format(time.RFC3339)+`"}`)
	if resp.StatusCode != 200 {
		t.Fatalf("pin: %d %s", resp.StatusCode, body)
	}
	var got moderationState
	if err := json.Unmarshal(body, &got); err != nil {
		t.Fatal(err)
	}
	if !got.Until.Equal(until) || got.State != "pinned" {
		t.Errorf("answer = %+v, want pinned until %v", got, until)
	}
	_, body = do("GET", "/api/v1/admin/sections/news/moderation", "")
	var m model.SectionModeration
	if err := json.Unmarshal(body, &m); err != nil {
		t.Fatal(err)
	}
	if len(m.Pinned) != 1 || !m.Pinned[0].Until.Equal(until) || len(m.Hidden) != 0 {
		t.Errorf("moderation = %+v", m)
	}
}
