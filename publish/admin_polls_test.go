package publish

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/tributary-rss/tributary/aggregator/model"
)

// pollsAdmin keeps two polls of source "s" and knows no other source.
type pollsAdmin struct {
	countingAdmin
	limit int
}

func (a *pollsAdmin) PollHistory(_ context.Context, id string, limit int) ([]model.PollRecord, error) {
	a.limit = limit
	if id != "s" {
		return nil, &model.RequestError{Kind: model.ErrNotFound, Msg: `no source "` + id + `"`}
	}
	at := time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)
	return []model.PollRecord{
		{Time: at.Add(time.Minute), Duration: 120 * time.Millisecond, Result: "error", Status: 500, Error: "HTTP 500"},
		{Time: at, Duration: 80 * time.Millisecond, Result: "ok", Status: 200, New: 3},
	}, nil
}

// TestAdminAPI_polls: GET /api/v1/admin/sources/{id}/polls answers the
// source's polls as {"polls": […]} behind the token, hands ?limit to the
// registry and refuses a bad one, and says 404 for an unknown source.
func TestAdminAPI_polls(t *testing.T) {
	const token = "0123456789abcdef-token"
	admin := &pollsAdmin{}
	ts := newHTTPTest(t, NewServer(nil, Options{BaseURL: testBaseURL, Admin: admin, AdminToken: token}))
	auth := map[string]string{"Authorization": "Bearer " + token}
	tests := []struct {
		name, path string
		auth       map[string]string
		code       int
		contains   string
		limit      int
	}{
		{"without token", "/api/v1/admin/sources/s/polls", nil, http.StatusUnauthorized, "missing bearer token", 0},
		{"all", "/api/v1/admin/sources/s/polls", auth, http.StatusOK, `"polls": [`, 0},
		{"limit", "/api/v1/admin/sources/s/polls?limit=5", auth, http.StatusOK, `"result": "error"`, 5},
		{"bad limit", "/api/v1/admin/sources/s/polls?limit=0", auth, http.StatusBadRequest, `"field":"limit"`, -1},
		{"not a number", "/api/v1/admin/sources/s/polls?limit=ten", auth, http.StatusBadRequest, `got \"ten\"`, -1},
		{"unknown source", "/api/v1/admin/sources/nope/polls", auth, http.StatusNotFound, `"error":"no source \"nope\""`, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			admin.limit = -1
			resp, body := fetch(t, ts, "GET", tt.path, tt.auth)
			if resp.StatusCode != tt.code || !strings.Contains(string(body), tt.contains) {
				t.Fatalf("%d %s, want %d containing %s", resp.StatusCode, body, tt.code, tt.contains)
			}
			if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
				t.Errorf("Content-Type = %q", ct)
			}
			if tt.code == http.StatusOK && admin.limit != tt.limit {
				t.Errorf("limit handed on = %d, want %d", admin.limit, tt.limit)
			}
			if tt.code != http.StatusOK {
				return
			}
			var out struct {
				Polls []map[string]any `json:"polls"`
			}
			if err := json.Unmarshal(body, &out); err != nil {
				t.Fatal(err)
			}
			if len(out.Polls) != 2 || out.Polls[0]["time"] != "2026-12-01T08:01:00Z" || out.Polls[0]["status"] != 500.0 ||
				out.Polls[0]["error"] != "HTTP 500" || out.Polls[1]["new"] != 3.0 || out.Polls[1]["duration_ns"] != 8e7 {
				t.Errorf("polls = %v", out.Polls)
			}
		})
	}
}
