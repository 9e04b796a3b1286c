package publish

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/publish/i18n"
)

type fakeStatus struct {
	list []model.SourceStatus
	err  error
}

func (f *fakeStatus) SourceStatuses(_ context.Context, srcs []model.Source) ([]model.SourceStatus, error) {
	if f.err != nil {
		return nil, f.err
	}
	return append([]model.SourceStatus(nil), f.list...), nil
}

var statusT0 = time.Date(2026, 11, 28, 2, 0, 0, 0, time.UTC)

// statusNow is the clock of the status tests: three minutes after the
// fixture's polls.
var statusNow = statusT0.Add(3 * time.Minute)

// statusSections are the sections of the status tests; one title is
// hostile, since titles come from the config or the admin API.
var statusSections = []model.Section{
	{ID: "news", Title: "资讯", SourceIDs: []string{"ok", "fail3"}},
	{ID: "campus", Title: `<b onmouseover="x()">Campus</b>`, SourceIDs: []string{"fail3", "gone"}},
}

func statusFixture() []model.SourceStatus {
	return []model.SourceStatus{
		{ID: "ok", Title: "Alpha 学院", ConfiguredURL: "https://a.example/rss", LastAttempt: statusT0, LastSuccess: statusT0,
			NextDue: statusT0.Add(15 * time.Minute), LastStatus: 200, Entries: 20, SectionIDs: []string{"news"},
			DateIssues: model.DateIssues{Undated: 3, Example: "发布时间：2026-11-29", Last: statusT0.In(time.FixedZone("CST", 8*3600))}},
		{ID: "moved", Title: "Beta", ConfiguredURL: "https://b.example/rss", EffectiveURL: "https://b2.example/rss",
			LastAttempt: statusT0, LastSuccess: statusT0, LastStatus: 200, Entries: 5},
		{ID: "fail1", Title: "Gamma", ConfiguredURL: "https://c.example/rss", LastAttempt: statusT0, LastStatus: 500,
			LastError: "HTTP 500 Internal Server Error", ErrorsInRow: 1},
		{ID: "fail3", Title: "Delta", ConfiguredURL: "https://d.example/rss", LastAttempt: statusT0,
			LastError: `not a feed: HTML page: "<script>alert(1)</script>"`, ErrorsInRow: 3, SectionIDs: []string{"news", "campus"}},
		{ID: "gone", Title: "Epsilon", ConfiguredURL: "https://e.example/rss", LastStatus: 410, LastError: "HTTP 410 Gone", ErrorsInRow: 1, Gone: true,
			SectionIDs: []string{"campus"}},
		{ID: "new", ConfiguredURL: "https://f.example/rss"},
	}
}

// newStatusServer serves sr in English at statusNow, in UTC+8 (the
// zone of the portals Tributary serves); opts overrides those.
func newStatusServer(t *testing.T, sr StatusReader, opts ...func(*Options)) *Server {
	t.Helper()
	o := Options{BaseURL: testBaseURL, Version: "1.2.3", Status: sr, Location: shanghai(t), UILang: i18n.EN,
		Now: func() time.Time { return statusNow }, Sections: statusSections}
	for _, f := range opts {
		f(&o)
	}
	return NewServer(&fakeReader{}, o)
}

func shanghai(t testing.TB) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func TestServer_APISources(t *testing.T) {
	ts := newHTTPTest(t, newStatusServer(t, &fakeStatus{list: statusFixture()}))
	resp, body := get(t, ts, "/api/v1/sources")
	if resp.StatusCode != 200 || resp.Header.Get("Cache-Control") != "no-store" ||
		!strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		t.Fatalf("status %d, headers %v", resp.StatusCode, resp.Header)
	}
	var got struct {
		Sources []map[string]any `json:"sources"`
	}
	if err := json.Unmarshal(body, &got); err != nil {
		t.Fatal(err)
	}
	var order []string
	for _, s := range got.Sources {
		order = append(order, s["id"].(string)+":"+s["state"].(string))
	}
	want := "fail3:failing fail1:failing gone:gone new:pending ok:ok moved:ok"
	if strings.Join(order, " ") != want {
		t.Errorf("order = %v, want %s", order, want)
	}
	tests := []struct {
		id, field string
		want      any
	}{
		{"moved", "effective_url", "https://b2.example/rss"},
		{"moved", "configured_url", "https://b.example/rss"},
		{"ok", "effective_url", "https://a.example/rss"},
		{"ok", "next_due", "2026-11-28T02:15:00Z"},
		{"ok", "entries", float64(20)},
		{"gone", "gone", true},
		{"fail1", "last_error", "HTTP 500 Internal Server Error"},
		{"new", "last_attempt", nil},
		{"fail1", "date_issues", nil},
	}
	byID := map[string]map[string]any{}
	for _, s := range got.Sources {
		byID[s["id"].(string)] = s
	}
	for _, tt := range tests {
		if v := byID[tt.id][tt.field]; v != tt.want {
			t.Errorf("%s.%s = %v, want %v", tt.id, tt.field, v, tt.want)
		}
	}
	issues, _ := json.Marshal(byID["ok"]["date_issues"])
	if want := `{"example":"发布时间：2026-11-29","future":0,"last":"2026-11-28T02:00:00Z","undated":3}`; string(issues) != want {
		t.Errorf("ok.date_issues = %s, want %s", issues, want)
	}
}

var rowRe = regexp.MustCompile(`<tr id="source-([^"]+)">`)

func TestServer_StatusPage(t *testing.T) {
	ts := newHTTPTest(t, newStatusServer(t, &fakeStatus{list: statusFixture()}))
	tests := []struct {
		query string
		code  int
		order string
	}{
		{"", 200, "fail3 fail1 gone new ok moved"},
		{"?sort=state", 200, "fail3 fail1 gone new ok moved"},
		{"?sort=name", 200, "ok moved fail3 gone fail1 new"},
		{"?sort=errors", 200, "fail3 gone fail1 ok moved new"},
		{"?sort=entries", 200, "ok moved fail3 gone fail1 new"},
		{"?sort=next_due", 200, "moved fail3 gone fail1 new ok"},
		{"?sort=next_due&lang=en", 200, "moved fail3 gone fail1 new ok"},
		{"?sort=color", 400, ""},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			resp, body := get(t, ts, "/status"+tt.query)
			if resp.StatusCode != tt.code {
				t.Fatalf("status %d, want %d: %s", resp.StatusCode, tt.code, body)
			}
			if tt.code != 200 {
				return
			}
			var ids []string
			for _, m := range rowRe.FindAllSubmatch(body, -1) {
				ids = append(ids, string(m[1]))
			}
			if got := strings.Join(ids, " "); got != tt.order {
				t.Errorf("rows = %s, want %s", got, tt.order)
			}
			h := resp.Header
			if h.Get("Content-Security-Policy") != contentSecurityPolicy || h.Get("Cache-Control") != "no-store" ||
				h.Get("X-Content-Type-Options") != "nosniff" {
				t.Errorf("headers = %v", h)
			}
			if strings.Contains(string(body), "<script>") || !strings.Contains(string(body), "&lt;script&gt;") {
				t.Error("the error text is not escaped")
			}
			if !strings.Contains(string(body), `→ <span class="url">https://b2.example/rss</span> (moved permanently)`) {
				t.Error("the effective URL is not shown")
			}
		})
	}
}

func TestServer_StatusErrors(t *testing.T) {
	tests := []struct {
		name string
		sr   StatusReader
		path string
		code int
	}{
		{"no status reader: no page", nil, "/status", http.StatusNotFound},
		{"no status reader: no API", nil, "/api/v1/sources", http.StatusMethodNotAllowed}, // only the CORS preflight matches,
		{"store down: page", &fakeStatus{err: errors.New("connection refused")}, "/status", http.StatusServiceUnavailable},
		{"store down: API", &fakeStatus{err: errors.New("connection refused")}, "/api/v1/sources", http.StatusServiceUnavailable},
		{"stylesheet", &fakeStatus{}, "/static/status.css", http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var s *Server
			if tt.sr == nil {
				s = NewServer(&fakeReader{}, Options{BaseURL: testBaseURL})
			} else {
				s = newStatusServer(t, tt.sr)
			}
			resp, _ := get(t, newHTTPTest(t, s), tt.path)
			if resp.StatusCode != tt.code {
				t.Errorf("status %d, want %d", resp.StatusCode, tt.code)
			}
		})
	}
}

// While no admin token is set, /status and /api/v1/sources are public and
// show source URLs and the errors quoting them without their credentials;
// once a token is set they are the operator's and show them whole.
func TestServer_statusPublicRedacts(t *testing.T) {
	const conf = "https://u:pw-1234@a.example/rss?app_secret=s3cr3t-a&page=2"
	const eff = "https://b.example/feed?access_token=s3cr3t-b"
	list := []model.SourceStatus{{ID: "ok", Title: "A", ConfiguredURL: conf, EffectiveURL: eff,
		LastError: `fetch https://u:pw-1234@a.example/rss?app_secret=s3cr3t-a&page=2: HTTP 500`,
		Articles:  &model.ArticleStatus{LastError: "fetch " + eff + ": timeout"}}}
	secrets := []string{"pw-1234", "s3cr3t-a", "s3cr3t-b"}
	tests := []struct {
		name  string
		token string
		leak  bool
	}{
		{"public", "", false},
		{"operator", "status-token-0123456789", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newStatusServer(t, &fakeStatus{list: list})
			s.SetAdminToken(tt.token)
			ts := newHTTPTest(t, s)
			hdr := map[string]string{}
			if tt.token != "" {
				hdr["Authorization"] = "Bearer " + tt.token
			}
			for _, path := range []string{"/api/v1/sources", "/status"} {
				resp, raw := fetch(t, ts, http.MethodGet, path, hdr)
				body := string(raw)
				if resp.StatusCode != 200 {
					t.Fatalf("%s: status %d", path, resp.StatusCode)
				}
				for _, sec := range secrets {
					if got := strings.Contains(body, sec); got != tt.leak {
						t.Errorf("%s: shows %q: %v, want %v", path, sec, got, tt.leak)
					}
				}
				if !strings.Contains(body, "a.example/rss") || !strings.Contains(body, "page=2") {
					t.Errorf("%s: the URL's host, path and plain parameters are gone:\n%s", path, body)
				}
			}
		})
	}
}
