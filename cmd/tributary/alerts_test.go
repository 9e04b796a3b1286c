package main

import (
	"crypto/hmac"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/tributary-rss/tributary/aggregator/alert"
	"github.com/tributary-rss/tributary/aggregator/store/storetest"
)

// hookReceiver is an alert webhook that keeps every delivery.
type hookReceiver struct {
	srv *httptest.Server
	mu  sync.Mutex
	got []hookDelivery
}

type hookDelivery struct {
	event, signature string
	body             []byte
	payload          alert.Event
}

func newHookReceiver(t *testing.T) *hookReceiver {
	h := &hookReceiver{}
	h.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			t.Error(err)
		}
		d := hookDelivery{event: r.Header.Get(alert.HeaderEvent), signature: r.Header.Get(alert.HeaderSignature), body: body}
		if err := json.Unmarshal(body, &d.payload); err != nil {
			t.Errorf("alert body %s: %v", body, err)
		}
		h.mu.Lock()
		h.got = append(h.got, d)
		h.mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	}))
	t.Cleanup(h.srv.Close)
	return h
}

func (h *hookReceiver) deliveries() []hookDelivery {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]hookDelivery{}, h.got...)
}

// TestDaemon_alerts: a daemon whose source starts answering 500 sends one
// "failing" alert once three polls in a row failed (not before, not
// again on the fourth), one "recovered" when it answers again, and one
// "gone" on a 410; each signed with the secret, naming the source by its
// redacted URL.
func TestDaemon_alerts(t *testing.T) {
	redisURL := "redis://" + storetest.StartRedis(t) + "/0"
	feed, err := os.ReadFile(filepath.Join("testdata", "alpha.xml"))
	if err != nil {
		t.Fatal(err)
	}
	var status atomic.Int64
	status.Store(http.StatusOK)
	src := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		if code := int(status.Load()); code != http.StatusOK {
			http.Error(w, "test outage", code)
			return
		}
		w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
		_, _ = w.Write(feed)
	}))
	t.Cleanup(src.Close)
	hook := newHookReceiver(t)
	const secret = "alert-hmac-secret"
	srcURL := src.URL + "/feed.xml?key=Sup3rSecretKey"
	cfg := writeConfig(t, t.TempDir(), redisURL, "@every 1h", srcURL)
	// The fixture's items are dated: a long stale_after keeps the
	// freshness alerts (TestDaemon_alertsStale's) out of this sequence.
	cfg = withAdmin(t, cfg, fmt.Sprintf("admin:\n  token: %s\nalerts:\n  webhook:\n    url: %s/hook\n    secret: %s\n    timeout: 2s\n  failing_after: 3\n%s",
		adminToken, hook.srv.URL, secret, noStaleAlerts))
	id := cfg.Sources()[0].ID
	d := startDaemon(t, cfg)
	if res := d.waitPollOf(t, srcURL); res.Err != nil {
		t.Fatalf("first poll: %v", res.Err)
	}
	// poll asks for a poll through the admin API and waits for it.
	poll := func(code int) {
		t.Helper()
		status.Store(int64(code))
		resp, body := d.admin(t, "POST", "/api/v1/admin/sources/"+id+"/poll", "Bearer "+adminToken, nil)
		expectStatus(t, "poll", resp, body, http.StatusAccepted, id)
		if res := d.waitPollOf(t, srcURL); res.Status != code {
			t.Fatalf("poll answered %d, want %d (err %v)", res.Status, code, res.Err)
		}
	}
	// pauseResume pauses the failing source and resumes it, as an
	// operator does once its site is fixed: resuming polls it at once, and
	// that success must still read as the end of the outage.
	pauseResume := func(code int) {
		t.Helper()
		status.Store(int64(code))
		resp, body := d.admin(t, "POST", "/api/v1/admin/sources/"+id+"/pause", "Bearer "+adminToken, nil)
		expectStatus(t, "pause", resp, body, http.StatusOK, id)
		resp, body = d.admin(t, "POST", "/api/v1/admin/sources/"+id+"/resume", "Bearer "+adminToken, nil)
		expectStatus(t, "resume", resp, body, http.StatusOK, id)
		if res := d.waitPollOf(t, srcURL); res.Status != code {
			t.Fatalf("poll after resume answered %d, want %d (err %v)", res.Status, code, res.Err)
		}
	}
	steps := []struct {
		code   int
		resume bool     // pause and resume rather than ask for a poll
		want   []string // every event delivered so far
	}{
		{500, false, nil},
		{500, false, nil},
		{500, false, []string{"failing"}},
		{500, false, []string{"failing"}},
		{200, true, []string{"failing", "recovered"}},
		{200, false, []string{"failing", "recovered"}},
		{410, false, []string{"failing", "recovered", "gone"}},
	}
	for i, step := range steps {
		if step.resume {
			pauseResume(step.code)
		} else {
			poll(step.code)
		}
		// Deliveries are in order, one at a time: once the expected
		// number arrived, an unexpected earlier one would have too.
		if len(step.want) > 0 {
			waitFor(t, func() bool { return len(hook.deliveries()) >= len(step.want) })
		}
		var got []string
		for _, dl := range hook.deliveries() {
			got = append(got, dl.event)
		}
		if strings.Join(got, " ") != strings.Join(step.want, " ") {
			t.Fatalf("after poll %d (%d): alerts %q, want %q", i+1, step.code, got, step.want)
		}
	}
	wantErrors := map[string]int{"failing": 3, "recovered": 0, "gone": 1}
	wantStatus := map[string]int{"failing": 500, "recovered": 200, "gone": 410}
	for _, dl := range hook.deliveries() {
		p := dl.payload
		if !hmac.Equal([]byte(dl.signature), []byte(alert.Sign(secret, dl.body))) {
			t.Errorf("%s: signature %q does not verify with the secret", dl.event, dl.signature)
		}
		if string(p.Event) != dl.event || p.Source.ID != id || p.Source.Title != "Alpha 学院" ||
			p.Source.URL != src.URL+"/feed.xml" || strings.Join(p.Source.Sections, ",") != "news" {
			t.Errorf("%s: payload %+v", dl.event, p)
		}
		if p.ErrorsInRow != wantErrors[dl.event] || p.LastStatus != wantStatus[dl.event] || p.Time.IsZero() || p.Instance == "" {
			t.Errorf("%s: errors_in_row %d, last_status %d, time %v, instance %q", dl.event, p.ErrorsInRow, p.LastStatus, p.Time, p.Instance)
		}
		if dl.event != "recovered" && !strings.Contains(p.LastError, "500") && !strings.Contains(p.LastError, "410") {
			t.Errorf("%s: last_error %q", dl.event, p.LastError)
		}
		if strings.Contains(string(dl.body), "Sup3rSecretKey") {
			t.Errorf("%s: the source's key leaked into the alert: %s", dl.event, dl.body)
		}
	}
	// The source's page in the admin API lists these polls, newest first.
	resp, body := d.admin(t, "GET", "/api/v1/admin/sources/"+id+"/polls?limit=3", "Bearer "+adminToken, nil)
	expectStatus(t, "polls", resp, body, http.StatusOK, `"polls"`)
	var polls struct {
		Polls []struct {
			Result string `json:"result"`
			Status int    `json:"status"`
		} `json:"polls"`
	}
	if err := json.Unmarshal(body, &polls); err != nil {
		t.Fatal(err)
	}
	if len(polls.Polls) != 3 || polls.Polls[0].Status != 410 || polls.Polls[0].Result != "error" || polls.Polls[1].Status != 200 {
		t.Errorf("polls = %+v, want the 410 first, then the 200s", polls.Polls)
	}
	// The per-source series say the same.
	_, metricsBody := d.get(t, "/metrics", nil)
	if got := metricValue(t, metricsBody, `tributary_source_errors_in_row{source="`+id+`"}`); got != 1 {
		t.Errorf("errors in row = %v, want 1 (the 410)", got)
	}
}

// TestDaemon_alertsOncePerTransition: two daemons poll one source from
// one Redis, each with the same webhook. Whichever instance polls decides
// its alerts, so the outage still makes one "failing" and one "recovered"
// alert, not one per instance; both daemons are shut down (sending what
// they queued) before the count.
func TestDaemon_alertsOncePerTransition(t *testing.T) {
	redisURL := "redis://" + storetest.StartRedis(t) + "/0"
	alpha := newFixtureSource(t, "alpha.xml", "application/rss+xml; charset=utf-8", map[string]string{"{{TITLE}}": "Alpha 第三条"})
	alphaURL := alpha.srv.URL + "/feed.xml"
	hook := newHookReceiver(t)
	extra := fmt.Sprintf("admin:\n  token: %s\nalerts:\n  webhook:\n    url: %s\n  failing_after: 3\n%s", adminToken, hook.srv.URL, noStaleAlerts)
	first := startDaemon(t, withAdmin(t, writeConfig(t, t.TempDir(), redisURL, "@every 1h", alphaURL), extra))
	first.waitPollOf(t, alphaURL)
	second := startDaemon(t, withAdmin(t, writeConfig(t, t.TempDir(), redisURL, "@every 1h", alphaURL), extra))
	id := ""
	for k := range listAdmin(t, first) {
		id = k
	}
	fetched := alpha.requests.Load()
	daemons := []*daemon{first, second}
	for i, down := range []bool{true, true, true, true, false, false} {
		alpha.setDown(down)
		resp, body := daemons[i%2].admin(t, "POST", "/api/v1/admin/sources/"+id+"/poll", "Bearer "+adminToken, nil)
		expectStatus(t, "poll", resp, body, http.StatusAccepted, id)
		fetched++
		// The poll is over once its record is in the history (written
		// with its state): the next request must not meet its claim.
		waitFor(t, func() bool { return len(pollHistory(t, first, id)) == i+2 })
	}
	if n := alpha.requests.Load(); n != fetched {
		t.Fatalf("source fetched %d times, want %d (once per request)", n, fetched)
	}
	// Both instances' polls are in the one history, newest first (the
	// source answers 304 once it is back).
	if h := strings.Join(pollHistory(t, second, id), " "); h != "not_modified not_modified error error error error ok" {
		t.Errorf("poll history %q", h)
	}
	first.shutdown(t)
	second.shutdown(t)
	var got []string
	for _, dl := range hook.deliveries() {
		got = append(got, dl.event)
	}
	if strings.Join(got, " ") != "failing recovered" {
		t.Errorf("alerts %q, want one failing and one recovered", got)
	}
}

// pollHistory reads a source's poll results, newest first, through the
// admin API.
func pollHistory(t *testing.T, d *daemon, id string) []string {
	t.Helper()
	resp, body := d.admin(t, "GET", "/api/v1/admin/sources/"+id+"/polls", "Bearer "+adminToken, nil)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("polls: %d %s", resp.StatusCode, body)
	}
	var out struct {
		Polls []struct {
			Result string `json:"result"`
		} `json:"polls"`
	}
	if err := json.Unmarshal(body, &out); err != nil {
		t.Fatal(err)
	}
	var results []string
	for _, p := range out.Polls {
		results = append(results, p.Result)
	}
	return results
}
