package publish

import (
	"context"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeHub records publish pings and answers each with the next scripted
// status (204 once the script runs out).
type fakeHub struct {
	mu     sync.Mutex
	script []int
	urls   []string
	posts  int
}

func (h *fakeHub) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.posts++
	if r.Method != http.MethodPost || r.FormValue("hub.mode") != "publish" {
		w.WriteHeader(http.StatusBadRequest)
		return
	}
	code := http.StatusNoContent
	if len(h.script) > 0 {
		code, h.script = h.script[0], h.script[1:]
	}
	if code < 300 {
		h.urls = append(h.urls, r.FormValue("hub.url"))
	}
	w.WriteHeader(code)
}

func (h *fakeHub) snapshot() (posts int, urls []string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.posts, slices.Clone(h.urls)
}

func TestWebSubNotifier_Notify(t *testing.T) {
	want := []string{
		"https://feeds.example.org/sections/news.rss",
		"https://feeds.example.org/sections/news.atom",
		"https://feeds.example.org/sections/news.json",
	}
	tests := []struct {
		name      string
		script    []int
		posts     int
		delivered []string
		fails     bool
	}{
		{"accepted", nil, 3, want, false},
		{"retried after 503s", []int{503, 503}, 5, want, false},
		{"429 is retried", []int{429}, 4, want, false},
		{"gives up after the attempts", []int{500, 500, 500, 500}, 6, want[1:], true},
		{"400 is not retried", []int{400}, 3, want[1:], true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hub := &fakeHub{script: tt.script}
			ts := httptest.NewServer(hub)
			defer ts.Close()
			n := NewWebSubNotifier(ts.URL, testBaseURL+"/", nil, nil)
			n.Attempts, n.Backoff = 4, time.Millisecond
			err := n.Notify(context.Background(), "news")
			if (err != nil) != tt.fails {
				t.Fatalf("error %v, want failure %v", err, tt.fails)
			}
			posts, urls := hub.snapshot()
			if posts != tt.posts || !slices.Equal(urls, tt.delivered) {
				t.Errorf("%d posts delivering %q; want %d delivering %q", posts, urls, tt.posts, tt.delivered)
			}
		})
	}
}

func TestWebSubNotifier_Run(t *testing.T) {
	hub := &fakeHub{}
	ts := httptest.NewServer(hub)
	defer ts.Close()
	n := NewWebSubNotifier(ts.URL, testBaseURL, nil, nil)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { n.Run(ctx); close(done) }()
	n.Enqueue("news")
	waitFor(t, func() bool { _, urls := hub.snapshot(); return len(urls) == 3 })
	cancel()
	<-done
}

func TestServer_AdvertisesHub(t *testing.T) {
	fx := loadFixture(t)
	ts := newOptsServer(t, fx, Options{WebSubHub: "https://hub.example.org/"})
	tests := map[string]string{
		"/sections/news.atom": `<link href="https://hub.example.org/" rel="hub"></link>`,
		"/sections/news.rss":  `<atom:link href="https://hub.example.org/" rel="hub"></atom:link>`,
		"/sections/news.json": `"hubs": [`,
	}
	for path, want := range tests {
		if _, body := get(t, ts, path); !strings.Contains(string(body), want) {
			t.Errorf("%s lacks %s", path, want)
		}
	}
}
