package alert

import (
	"bytes"
	"context"
	"crypto/hmac"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// receiver is a webhook that answers with the codes given, in turn (the
// last one for every further request), and keeps what it got.
type receiver struct {
	t     *testing.T
	srv   *httptest.Server
	mu    sync.Mutex
	codes []int
	got   []delivery
	seen  chan struct{}
}

type delivery struct {
	header http.Header
	body   []byte
}

func newReceiver(t *testing.T, codes ...int) *receiver {
	r := &receiver{t: t, codes: codes, seen: make(chan struct{}, 100)}
	r.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, err := io.ReadAll(req.Body)
		if err != nil {
			t.Error(err)
		}
		r.mu.Lock()
		r.got = append(r.got, delivery{header: req.Header.Clone(), body: body})
		code := r.codes[min(len(r.got), len(r.codes))-1]
		r.mu.Unlock()
		w.WriteHeader(code)
		r.seen <- struct{}{}
	}))
	t.Cleanup(r.srv.Close)
	return r
}

func (r *receiver) deliveries() []delivery {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.got)
}

// sleeps records the backoff waits instead of waiting.
type sleeps struct {
	mu sync.Mutex
	d  []time.Duration
}

func (s *sleeps) sleep(ctx context.Context, d time.Duration) error {
	s.mu.Lock()
	s.d = append(s.d, d)
	s.mu.Unlock()
	return ctx.Err()
}

func (s *sleeps) waits() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.d)
}

func testEvent() Event {
	return Event{Event: Failing, Source: Source{ID: "s1", Title: "示例", URL: "https://example.org/rss", Sections: []string{"news"}},
		ErrorsInRow: 3, LastError: "HTTP 500", LastStatus: 500, Time: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC), Instance: "h1"}
}

// deliverOne runs a fresh sender over one event and waits until its
// deliveries are done (the queue drained and the last attempt returned).
func deliverOne(t *testing.T, opts Options, ev Event) {
	t.Helper()
	s, err := NewSender(opts)
	if err != nil {
		t.Fatal(err)
	}
	q := queued{ev: ev, delivery: newDeliveryID()}
	done := make(chan struct{})
	go func() { s.deliver(context.Background(), q); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("delivery did not finish within 10s")
	}
}

// TestSender_signedBody: the body is the event's JSON, signed with the
// secret as the receiver can verify, with the event named in a header.
func TestSender_signedBody(t *testing.T) {
	tests := []struct {
		name, secret string
	}{
		{"with secret", "s3cret-for-hmac"},
		{"without secret", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newReceiver(t, http.StatusNoContent)
			deliverOne(t, Options{URL: r.srv.URL + "/hook", Secret: tt.secret, UserAgent: "Tributary/test"}, testEvent())
			got := r.deliveries()
			if len(got) != 1 {
				t.Fatalf("%d deliveries, want 1", len(got))
			}
			d := got[0]
			var ev map[string]any
			if err := json.Unmarshal(d.body, &ev); err != nil {
				t.Fatalf("body %s: %v", d.body, err)
			}
			src, _ := ev["source"].(map[string]any)
			if ev["event"] != "failing" || ev["errors_in_row"] != 3.0 || ev["last_error"] != "HTTP 500" || ev["last_status"] != 500.0 ||
				ev["time"] != "2026-12-01T00:00:00Z" || ev["instance"] != "h1" ||
				src["id"] != "s1" || src["title"] != "示例" || src["url"] != "https://example.org/rss" || len(src["sections"].([]any)) != 1 {
				t.Errorf("body = %s", d.body)
			}
			if d.header.Get(HeaderEvent) != "failing" || d.header.Get("Content-Type") != "application/json" ||
				d.header.Get("User-Agent") != "Tributary/test" || len(d.header.Get(HeaderDelivery)) != 24 {
				t.Errorf("headers = %v", d.header)
			}
			sig := d.header.Get(HeaderSignature)
			if tt.secret == "" {
				if sig != "" {
					t.Errorf("signature %q without a secret", sig)
				}
				return
			}
			if !hmac.Equal([]byte(sig), []byte(Sign(tt.secret, d.body))) || !strings.HasPrefix(sig, "sha256=") || len(sig) != 7+64 {
				t.Errorf("signature %q does not verify", sig)
			}
			if hmac.Equal([]byte(sig), []byte(Sign("other", d.body))) {
				t.Error("signature verifies with another secret")
			}
		})
	}
}

// TestSender_retries: failures worth retrying are retried with doubling
// waits, capped, up to Tries, as one delivery; others are not retried.
func TestSender_retries(t *testing.T) {
	tests := []struct {
		name      string
		codes     []int
		tries     int
		wantPosts int
		wantWaits []time.Duration
	}{
		{"accepted at once", []int{200}, 5, 1, nil},
		{"500s, then accepted", []int{500, 502, 503, 200}, 5, 4, []time.Duration{time.Second, 2 * time.Second, 4 * time.Second}},
		{"always 500: gives up", []int{500}, 5, 5, []time.Duration{time.Second, 2 * time.Second, 4 * time.Second, 5 * time.Second}},
		{"429 is retried", []int{429, 204}, 5, 2, []time.Duration{time.Second}},
		{"404 is not retried", []int{404}, 5, 1, nil},
		{"a redirect is not followed", []int{302}, 5, 1, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newReceiver(t, tt.codes...)
			var sl sleeps
			deliverOne(t, Options{URL: r.srv.URL, Tries: tt.tries, MaxBackoff: 5 * time.Second, Sleep: sl.sleep}, testEvent())
			got := r.deliveries()
			if len(got) != tt.wantPosts {
				t.Errorf("%d posts, want %d", len(got), tt.wantPosts)
			}
			if w := sl.waits(); !slices.Equal(w, tt.wantWaits) {
				t.Errorf("waits %v, want %v", w, tt.wantWaits)
			}
			for _, d := range got[1:] {
				if d.header.Get(HeaderDelivery) != got[0].header.Get(HeaderDelivery) || !bytes.Equal(d.body, got[0].body) {
					t.Errorf("a retry is not the same delivery: %v", d.header)
				}
			}
		})
	}
}

// TestSender_timeout: a webhook that never answers is cut by the
// timeout on every try, and the delivery ends.
func TestSender_timeout(t *testing.T) {
	release := make(chan struct{})
	var mu sync.Mutex
	posts := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		mu.Lock()
		posts++
		mu.Unlock()
		select {
		case <-release:
		case <-req.Context().Done():
		}
	}))
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(release) })
	var sl sleeps
	start := time.Now()
	deliverOne(t, Options{URL: srv.URL, Timeout: 100 * time.Millisecond, Tries: 3, Sleep: sl.sleep}, testEvent())
	if elapsed := time.Since(start); elapsed > 5*time.Second {
		t.Errorf("delivery took %v, want about 3 × 100ms", elapsed)
	}
	mu.Lock()
	defer mu.Unlock()
	if posts != 3 {
		t.Errorf("%d posts, want 3 (each cut by the timeout, then retried)", posts)
	}
	if len(sl.waits()) != 2 {
		t.Errorf("waits %v, want 2", sl.waits())
	}
}

// TestSender_boundedQueue: Send never blocks; beyond the queue's size
// events are dropped, logged once per run of drops, and the queue takes
// events again once they are delivered.
func TestSender_boundedQueue(t *testing.T) {
	var logs bytes.Buffer
	var logMu sync.Mutex
	logger := slog.New(slog.NewTextHandler(lockedWriter{&logs, &logMu}, nil))
	r := newReceiver(t, http.StatusOK)
	s, err := NewSender(Options{URL: r.srv.URL, Queue: 2, Logger: logger})
	if err != nil {
		t.Fatal(err)
	}
	// Nothing delivers yet: a webhook that cannot keep up.
	accepted := 0
	for range 50 {
		if s.Send(testEvent()) {
			accepted++
		}
	}
	if accepted != 2 {
		t.Errorf("%d events accepted of 50 with a queue of 2, want 2", accepted)
	}
	logged := func() string {
		logMu.Lock()
		defer logMu.Unlock()
		return logs.String()
	}
	if n := strings.Count(logged(), "alert queue full"); n != 1 {
		t.Errorf("queue-full warning logged %d times, want once:\n%s", n, logged())
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ran := make(chan struct{})
	go func() { s.Run(ctx); close(ran) }()
	deadline := time.After(10 * time.Second)
	for range accepted {
		select {
		case <-r.seen:
		case <-deadline:
			t.Fatalf("queued events not delivered; got %d", len(r.deliveries()))
		}
	}
	if !s.Send(testEvent()) {
		t.Error("the queue does not take events again after delivering")
	}
	if !strings.Contains(logged(), "alert queue has room again") || !strings.Contains(logged(), "dropped=48") {
		t.Errorf("no log line with the count when the queue had room again:\n%s", logged())
	}
	cancel()
	select {
	case <-ran:
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not return after its context was done")
	}
}

// TestSender_drainAtShutdown: events still queued when Run's context is
// done get one try each.
func TestSender_drainAtShutdown(t *testing.T) {
	r := newReceiver(t, http.StatusOK)
	s, err := NewSender(Options{URL: r.srv.URL, Queue: 4})
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		s.Send(testEvent())
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	s.Run(ctx)
	if n := len(r.deliveries()); n != 3 {
		t.Errorf("%d events delivered at shutdown, want 3", n)
	}
}

func TestNewSender_badURL(t *testing.T) {
	for _, u := range []string{"", "ftp://example.org/x", "/relative", "https://"} {
		if _, err := NewSender(Options{URL: u}); err == nil {
			t.Errorf("NewSender(%q) accepted", u)
		}
	}
}

type lockedWriter struct {
	w  io.Writer
	mu *sync.Mutex
}

func (l lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// TestSender_webhookTokenNotLogged: chat webhooks (Feishu, Slack) carry
// their token in the path, others in the query; neither reaches the log
// nor an error when a delivery fails or the URL is refused.
func TestSender_webhookTokenNotLogged(t *testing.T) {
	const pathToken, queryToken = "pathtoken0123456789", "querytoken0123456789"
	var logs bytes.Buffer
	var logMu sync.Mutex
	logger := slog.New(slog.NewTextHandler(lockedWriter{&logs, &logMu}, nil))
	r := newReceiver(t, http.StatusNotFound)
	deliverOne(t, Options{URL: r.srv.URL + "/open-apis/bot/v2/hook/" + pathToken + "?key=" + queryToken, Logger: logger}, testEvent())
	logMu.Lock()
	logged := logs.String()
	logMu.Unlock()
	if !strings.Contains(logged, "alert not sent") {
		t.Fatalf("the failed delivery is not logged:\n%s", logged)
	}
	if !strings.Contains(logged, r.srv.Listener.Addr().String()) {
		t.Errorf("the log does not name the webhook's host:\n%s", logged)
	}
	_, err := NewSender(Options{URL: "ftp://hooks.example.org/services/" + pathToken + "?key=" + queryToken})
	if err == nil {
		t.Fatal("an ftp webhook was accepted")
	}
	for _, text := range []string{logged, err.Error(), WebhookLabel("https://hooks.example.org/services/" + pathToken)} {
		if strings.Contains(text, pathToken) || strings.Contains(text, queryToken) {
			t.Errorf("a webhook token leaks: %s", text)
		}
	}
}
