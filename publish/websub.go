package publish

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// WebSub notification defaults: five attempts with 1s, 2s, 4s, 8s between
// them, so a hub that restarts within about 15 s misses nothing.
const (
	DefaultWebSubAttempts = 5
	DefaultWebSubBackoff  = time.Second
	defaultWebSubTimeout  = 10 * time.Second
)

// WebSubNotifier tells a WebSub hub that a section's feeds changed (the
// "publish" ping of PubSubHubbub 0.4, which WebSub left to hubs): one POST
// of hub.mode=publish&hub.url=<feed URL> per format. Every instance
// receives every change event, so with several instances a hub hears of a
// change more than once; hubs treat a publish ping as idempotent.
type WebSubNotifier struct {
	hub     string
	baseURL string
	client  *http.Client
	log     *slog.Logger
	// Attempts bounds the POSTs per feed URL; Backoff is the wait before
	// the second one, doubled for each further one.
	Attempts int
	Backoff  time.Duration

	mu      sync.Mutex
	pending map[string]bool
	wake    chan struct{}
}

// NewWebSubNotifier returns a notifier for hub, naming feeds under baseURL.
// A nil client gets one with a 10 s timeout.
func NewWebSubNotifier(hub, baseURL string, client *http.Client, logger *slog.Logger) *WebSubNotifier {
	if client == nil {
		client = &http.Client{Timeout: defaultWebSubTimeout}
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &WebSubNotifier{
		hub: hub, baseURL: strings.TrimRight(baseURL, "/"), client: client, log: logger,
		Attempts: DefaultWebSubAttempts, Backoff: DefaultWebSubBackoff,
		pending: map[string]bool{}, wake: make(chan struct{}, 1),
	}
}

// Enqueue schedules a notification for a section without blocking; several
// changes of one section before Run gets to it make one notification.
func (n *WebSubNotifier) Enqueue(sectionID string) {
	n.mu.Lock()
	n.pending[sectionID] = true
	n.mu.Unlock()
	select {
	case n.wake <- struct{}{}:
	default:
	}
}

// Run sends the queued notifications until ctx is done.
func (n *WebSubNotifier) Run(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-n.wake:
		}
		for _, id := range n.take() {
			if err := n.Notify(ctx, id); err != nil && ctx.Err() == nil {
				n.log.Warn("websub notify", "section_id", id, "hub", n.hub, "error", err)
			}
		}
	}
}

func (n *WebSubNotifier) take() []string {
	n.mu.Lock()
	defer n.mu.Unlock()
	ids := make([]string, 0, len(n.pending))
	for id := range n.pending {
		ids = append(ids, id)
	}
	clear(n.pending)
	return ids
}

// Notify pings the hub for each feed format of a section, retrying each
// with backoff; it returns the errors of the URLs that never got through.
func (n *WebSubNotifier) Notify(ctx context.Context, sectionID string) error {
	var failed []string
	for _, f := range []format{formatRSS, formatAtom, formatJSON} {
		feedURL := n.baseURL + "/sections/" + sectionID + "." + string(f)
		if err := n.notifyURL(ctx, feedURL); err != nil {
			failed = append(failed, err.Error())
		}
	}
	if len(failed) > 0 {
		return fmt.Errorf("websub publish: %s", strings.Join(failed, "; "))
	}
	return nil
}

func (n *WebSubNotifier) notifyURL(ctx context.Context, feedURL string) error {
	wait := n.Backoff
	var err error
	for attempt := 1; ; attempt++ {
		var retry bool
		retry, err = n.post(ctx, feedURL)
		if err == nil || !retry || attempt >= n.Attempts {
			break
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("%s: %w", feedURL, ctx.Err())
		case <-time.After(wait):
		}
		wait *= 2
	}
	if err != nil {
		return fmt.Errorf("%s: %w", feedURL, err)
	}
	return nil
}

// post sends one ping. A network error, 429 or 5xx is worth retrying; any
// other refusal is not.
func (n *WebSubNotifier) post(ctx context.Context, feedURL string) (retry bool, err error) {
	form := url.Values{"hub.mode": {"publish"}, "hub.url": {feedURL}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, n.hub, strings.NewReader(form.Encode()))
	if err != nil {
		return false, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := n.client.Do(req)
	if err != nil {
		return true, err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		return false, nil
	}
	retry = resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500
	return retry, fmt.Errorf("hub answered %s", resp.Status)
}
