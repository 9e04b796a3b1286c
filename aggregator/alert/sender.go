package alert

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"sync/atomic"
	"time"
)

// Defaults of Options.
const (
	// DefaultTimeout bounds one delivery attempt, connection to response.
	DefaultTimeout = 10 * time.Second
	// DefaultTries is how many attempts an event gets: with the backoff
	// below, the last comes about 15 s after the first failed.
	DefaultTries = 5
	// DefaultBackoff is the wait after the first failed attempt; it
	// doubles after each further one, up to DefaultMaxBackoff.
	DefaultBackoff    = time.Second
	DefaultMaxBackoff = 30 * time.Second
	// DefaultQueue is how many events may wait for delivery. Events
	// beyond it are dropped: a webhook down while every source fails
	// (the daemon's own network is out) must not grow memory.
	DefaultQueue = 256
	// DefaultDrainTimeout is how long Run gives queued events, one try
	// each, once its context is done (the daemon shutting down).
	DefaultDrainTimeout = 5 * time.Second
)

// Headers of a delivery.
const (
	// HeaderEvent carries the event's kind.
	HeaderEvent = "X-Tributary-Event"
	// HeaderSignature is "sha256=" and the hex HMAC-SHA256 of the body
	// keyed with the secret; absent without a secret.
	HeaderSignature = "X-Tributary-Signature"
	// HeaderDelivery is a random id, the same on every attempt of one
	// event, so a receiver can drop a retry whose first attempt it got.
	HeaderDelivery = "X-Tributary-Delivery"
)

// maxResponse is how much of a webhook's answer is read (and dropped) so
// the connection can be reused.
const maxResponse = 64 << 10

// Options configures a Sender. Zero values take the defaults above.
type Options struct {
	// URL is the webhook (http or https). It is the operator's own, so
	// private and loopback addresses are allowed.
	URL string
	// Secret keys the HMAC signature; empty sends no signature.
	Secret       string
	Timeout      time.Duration
	Tries        int
	Backoff      time.Duration
	MaxBackoff   time.Duration
	Queue        int
	DrainTimeout time.Duration
	// UserAgent is sent with each delivery.
	UserAgent string
	// Client sends the requests (nil: one with Timeout that follows no
	// redirects).
	Client *http.Client
	Logger *slog.Logger
	// Sleep waits d or until ctx is done (tests replace it, so backoff
	// takes no time).
	Sleep func(ctx context.Context, d time.Duration) error
}

// Sender delivers events to a webhook in the background. Send never
// blocks; Run delivers, one event at a time, in the order sent.
type Sender struct {
	opts  Options
	queue chan queued
	// dropped counts events refused since the queue last had room;
	// the first refusal of a run of them is logged, and the count when
	// the queue takes events again.
	dropped atomic.Int64
}

type queued struct {
	ev       Event
	delivery string
}

// NewSender checks opts.URL and fills the defaults.
func NewSender(opts Options) (*Sender, error) {
	u, err := url.Parse(opts.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("alert webhook: want an absolute http or https URL, got %q", WebhookLabel(opts.URL))
	}
	opts.Timeout = orDefault(opts.Timeout, DefaultTimeout)
	opts.Tries = orDefault(opts.Tries, DefaultTries)
	opts.Backoff = orDefault(opts.Backoff, DefaultBackoff)
	opts.MaxBackoff = orDefault(opts.MaxBackoff, DefaultMaxBackoff)
	opts.Queue = orDefault(opts.Queue, DefaultQueue)
	opts.DrainTimeout = orDefault(opts.DrainTimeout, DefaultDrainTimeout)
	if opts.Client == nil {
		opts.Client = &http.Client{
			Timeout: opts.Timeout,
			// A redirected POST turns into a GET: a moved webhook is a
			// configuration to fix, reported as such.
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		}
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Sleep == nil {
		opts.Sleep = sleep
	}
	return &Sender{opts: opts, queue: make(chan queued, opts.Queue)}, nil
}

func orDefault[T int | time.Duration](v, def T) T {
	if v <= 0 {
		return def
	}
	return v
}

// Send queues ev for delivery and reports whether it was queued; a full
// queue drops it (logged). It never blocks, so a poll that decided an
// event is never held up by the webhook.
func (s *Sender) Send(ev Event) bool {
	select {
	case s.queue <- queued{ev: ev, delivery: newDeliveryID()}:
		if n := s.dropped.Swap(0); n > 0 {
			s.opts.Logger.Info("alert queue has room again", "dropped", n)
		}
		return true
	default:
		if s.dropped.Add(1) == 1 {
			s.opts.Logger.Warn("alert queue full; dropping alerts until the webhook catches up",
				"event", string(ev.Event), "source", ev.Source.ID, "queue", cap(s.queue))
		}
		return false
	}
}

// Run delivers queued events until ctx is done, then gives those still
// queued, and one whose retries the shutdown cut short, one more attempt
// each within DrainTimeout.
func (s *Sender) Run(ctx context.Context) {
	for {
		select {
		case q := <-s.queue:
			if ctx.Err() != nil || !s.deliver(ctx, q) {
				s.drain(&q)
				return
			}
		case <-ctx.Done():
			s.drain(nil)
			return
		}
	}
}

// drain posts first (when set) and the queued events once each, until
// DrainTimeout has passed; what is left is logged as not sent.
func (s *Sender) drain(first *queued) {
	ctx, cancel := context.WithTimeout(context.Background(), s.opts.DrainTimeout)
	defer cancel()
	try := func(q queued) {
		err := ctx.Err()
		if err == nil {
			_, err = s.post(ctx, q)
		}
		if err != nil {
			s.opts.Logger.Warn("alert not sent at shutdown", "event", string(q.ev.Event), "source", q.ev.Source.ID, "err", err)
		}
	}
	if first != nil {
		try(*first)
	}
	for {
		select {
		case q := <-s.queue:
			try(q)
		default:
			return
		}
	}
}

// deliver posts q until it is accepted, refused for good or out of tries,
// and reports true; false when ctx was done first.
func (s *Sender) deliver(ctx context.Context, q queued) bool {
	log := s.opts.Logger.With("event", string(q.ev.Event), "source", q.ev.Source.ID)
	wait := s.opts.Backoff
	for try := 1; ; try++ {
		retry, err := s.post(ctx, q)
		switch {
		case err == nil:
			log.Debug("alert sent", "tries", try)
			return true
		case ctx.Err() != nil:
			return false
		case !retry || try >= s.opts.Tries:
			log.Warn("alert not sent", "tries", try, "err", err)
			return true
		}
		if s.opts.Sleep(ctx, wait) != nil {
			return false
		}
		wait = min(2*wait, s.opts.MaxBackoff)
	}
}

// post makes one attempt and says whether a failure is worth retrying:
// no answer, a timeout, 408, 429 and 5xx are; other answers are not.
func (s *Sender) post(ctx context.Context, q queued) (retry bool, err error) {
	body, err := json.Marshal(q.ev)
	if err != nil {
		return false, fmt.Errorf("encode alert: %w", err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.opts.URL, bytes.NewReader(body))
	if err != nil {
		return false, fmt.Errorf("alert request: %w", err)
	}
	h := req.Header
	h.Set("Content-Type", "application/json")
	h.Set(HeaderEvent, string(q.ev.Event))
	h.Set(HeaderDelivery, q.delivery)
	if s.opts.UserAgent != "" {
		h.Set("User-Agent", s.opts.UserAgent)
	}
	if s.opts.Secret != "" {
		h.Set(HeaderSignature, Sign(s.opts.Secret, body))
	}
	resp, err := s.opts.Client.Do(req)
	if err != nil {
		// The error quotes the whole URL, which may carry a token.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return ctx.Err() == nil, fmt.Errorf("post to %s: %w", WebhookLabel(s.opts.URL), err)
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxResponse))
	resp.Body.Close()
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		return false, nil
	}
	retry = resp.StatusCode >= 500 || resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusRequestTimeout
	return retry, fmt.Errorf("post to %s: HTTP %d", WebhookLabel(s.opts.URL), resp.StatusCode)
}

// Sign is the X-Tributary-Signature value of body keyed with secret:
// "sha256=" and the hex HMAC-SHA256. A receiver computes the same over
// the raw body and compares in constant time.
func Sign(secret string, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write(body)
	return "sha256=" + hex.EncodeToString(mac.Sum(nil))
}

func newDeliveryID() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
