package publish

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/tributary-rss/tributary/aggregator/model"
)

// countingAdmin answers every request with one source and counts calls;
// an admin call reaching it proves a request got past authentication.
type countingAdmin struct {
	noConsole
	calls atomic.Int32
}

func (a *countingAdmin) Statuses(context.Context) ([]model.SourceStatus, error) {
	a.calls.Add(1)
	return []model.SourceStatus{{ID: "s", ConfiguredURL: "https://s.example/feed", Origin: model.OriginAPI}}, nil
}
func (a *countingAdmin) Status(context.Context, string) (model.SourceStatus, error) {
	a.calls.Add(1)
	return model.SourceStatus{}, &model.RequestError{Kind: model.ErrNotFound, Msg: "no source"}
}
func (a *countingAdmin) Add(context.Context, model.AddRequest) (model.Source, error) {
	a.calls.Add(1)
	return model.Source{}, errors.New("redis: connection refused")
}
func (a *countingAdmin) Remove(context.Context, string, bool) error { a.calls.Add(1); return nil }
func (a *countingAdmin) Pause(context.Context, string) error        { a.calls.Add(1); return nil }
func (a *countingAdmin) Resume(context.Context, string) error       { a.calls.Add(1); return nil }
func (a *countingAdmin) RequestPoll(context.Context, string, string) ([]string, error) {
	a.calls.Add(1)
	return nil, nil
}

func TestAdminAPI_auth(t *testing.T) {
	const token = "0123456789abcdef-token"
	admin := &countingAdmin{}
	ts := newHTTPTest(t, NewServer(nil, Options{BaseURL: testBaseURL, Admin: admin, AdminToken: token}))
	tests := []struct {
		name, method, auth string
		code               int
	}{
		{"no header", "GET", "", 401},
		{"empty bearer", "GET", "Bearer ", 401},
		{"wrong token same length", "GET", "Bearer " + strings.Repeat("x", len(token)), 401},
		{"token with a suffix", "GET", "Bearer " + token + "0", 401},
		{"token prefix", "GET", "Bearer " + token[:len(token)-1], 401},
		{"other scheme", "GET", "Token " + token, 401},
		{"no scheme", "GET", token, 401},
		{"right token", "GET", "Bearer " + token, 200},
		{"scheme is case-insensitive", "GET", "bearer " + token, 200},
		{"preflight gets no CORS grant", "OPTIONS", "", 401},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := admin.calls.Load()
			hdr := map[string]string{}
			if tt.auth != "" {
				hdr["Authorization"] = tt.auth
			}
			if tt.method == "OPTIONS" {
				hdr["Origin"] = "https://evil.example"
				hdr["Access-Control-Request-Method"] = "POST"
			}
			resp, body := fetch(t, ts, tt.method, "/api/v1/admin/sources", hdr)
			if resp.StatusCode != tt.code {
				t.Fatalf("status %d (%s), want %d", resp.StatusCode, body, tt.code)
			}
			reached := admin.calls.Load() != before
			if reached != (tt.code == 200) {
				t.Errorf("admin backend reached = %v with status %d", reached, resp.StatusCode)
			}
			if got := resp.Header.Get("Access-Control-Allow-Origin"); got != "" {
				t.Errorf("admin answer grants CORS to %q", got)
			}
			if cc := resp.Header.Get("Cache-Control"); cc != "no-store" {
				t.Errorf("Cache-Control = %q, want no-store", cc)
			}
		})
	}
}

func TestAdminAPI_errors(t *testing.T) {
	const token = "0123456789abcdef-token"
	ts := newHTTPTest(t, NewServer(nil, Options{BaseURL: testBaseURL, Admin: &countingAdmin{}, AdminToken: token}))
	auth := map[string]string{"Authorization": "Bearer " + token}
	resp, body := fetch(t, ts, "GET", "/api/v1/admin/sources/nope", auth)
	if resp.StatusCode != http.StatusNotFound || !strings.Contains(string(body), `"error":"no source"`) {
		t.Errorf("not found: %d %s", resp.StatusCode, body)
	}
	// A store failure is a 503 that says so, without the Redis error text.
	req := map[string]string{"Authorization": "Bearer " + token, "Content-Type": "application/json"}
	resp, body = fetchBody(t, ts, "POST", "/api/v1/admin/sources", req, `{"url":"https://x.example/","sections":["news"]}`)
	if resp.StatusCode != http.StatusServiceUnavailable || strings.Contains(string(body), "redis") {
		t.Errorf("store failure: %d %s", resp.StatusCode, body)
	}
	for _, tc := range []struct{ body, ctype, want string }{
		{`{"url": 5}`, "application/json", "body: json: cannot unmarshal number"},
		{`{"url":"x"} {"url":"y"}`, "application/json", "body: more than one JSON value"},
		{`url=x`, "application/x-www-form-urlencoded", `body: Content-Type must be application/json`},
		{`{"url":"` + strings.Repeat("a", maxAdminBody) + `"}`, "application/json", "body: larger than 65536 bytes"},
	} {
		req["Content-Type"] = tc.ctype
		resp, body := fetchBody(t, ts, "POST", "/api/v1/admin/sources", req, tc.body)
		if resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(body), tc.want) {
			t.Errorf("body %.40q: %d %s, want 400 with %q", tc.body, resp.StatusCode, body, tc.want)
		}
	}
}

// fetchBody is fetch with a request body.
func fetchBody(t *testing.T, ts *httptest.Server, method, path string, hdr map[string]string, body string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, ts.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, data
}

// TestAdminAPI_refusalsLogQuietly sends a burst of unauthorized requests,
// as a scanner does: each is a debug line, and one warning sums them up
// instead of one warning each.
func TestAdminAPI_refusalsLogQuietly(t *testing.T) {
	rec := &logRecorder{}
	s := NewServer(nil, Options{BaseURL: testBaseURL, Admin: &countingAdmin{}, AdminToken: "0123456789abcdef-token", Logger: slog.New(rec)})
	const n = 20
	guesses := 0
	for i := range n {
		req := httptest.NewRequest(http.MethodGet, "/api/v1/admin/sources", nil)
		want := http.StatusUnauthorized
		if i%2 == 0 {
			req.Header.Set("Authorization", "Bearer guess")
			if guesses++; guesses > authFailLimit {
				want = http.StatusTooManyRequests
			}
		}
		w := httptest.NewRecorder()
		s.ServeHTTP(w, req)
		if w.Code != want {
			t.Fatalf("request %d: %d, want %d", i, w.Code, want)
		}
	}
	warn := 0
	for _, l := range rec.lines() {
		if strings.HasPrefix(l, "WARN requests refused") {
			warn++
		}
	}
	if debug := rec.count(slog.LevelDebug); warn != 1 || debug != n {
		t.Errorf("%d warnings and %d debug lines for %d refusals, want 1 and %d:\n%s", warn, debug, n, n, strings.Join(rec.lines(), "\n"))
	}
}
