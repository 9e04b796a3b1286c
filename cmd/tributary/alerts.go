package main

import (
	"cmp"
	"context"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"time"

	"github.com/tributary-rss/tributary/aggregator/alert"
	"github.com/tributary-rss/tributary/aggregator/config"
	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/aggregator/poll"
)

// alertDrain bounds the last try of queued alerts at shutdown; it fits in
// the 5 s the daemon gives its background loops.
const alertDrain = 3 * time.Second

// alerter turns polls' state changes into webhook alerts (alerts.webhook).
// It runs on polling instances only: the instance that polled a source
// decides from the state it read and wrote, so each transition is sent
// once across instances. A nil *alerter sends nothing.
type alerter struct {
	sender       *alert.Sender
	failingAfter int
	instance     string
	// sources returns the merged source list (config file and admin
	// API), for an event's title and sections.
	sources func() []model.Source
	logger  *slog.Logger
	// index maps source ids to their place in the list sources returned
	// last (the registry hands out the same slice until it changes), so
	// a run of alerts over many sources does not scan the list for each.
	mu      sync.Mutex
	indexed []model.Source
	index   map[string]int
}

// newAlerter returns nil (no alerts) when alerts.webhook.url is unset.
func newAlerter(cfg *config.Config, sources func() []model.Source, logger *slog.Logger) (*alerter, error) {
	hook := cfg.Alerts.Webhook
	if hook.URL == "" {
		return nil, nil
	}
	sender, err := alert.NewSender(alert.Options{
		URL: hook.URL, Secret: hook.Secret, Timeout: time.Duration(hook.Timeout), DrainTimeout: alertDrain,
		UserAgent: "Tributary/" + version, Logger: logger,
	})
	if err != nil {
		return nil, fmt.Errorf("alerts.webhook.url: %w", err)
	}
	host, err := os.Hostname()
	if err != nil {
		host = ""
	}
	logger.Info("alerts on", "webhook", alert.WebhookLabel(hook.URL), "signed", hook.Secret != "", "failing_after", cfg.Alerts.FailingAfter)
	return &alerter{sender: sender, failingAfter: cfg.Alerts.FailingAfter, instance: cmp.Or(host, "tributary"),
		sources: sources, logger: logger}, nil
}

// onPoll returns an OnPoll hook that decides alerts, then calls next
// (when set).
func (a *alerter) onPoll(next func(poll.Result)) func(poll.Result) {
	if a == nil {
		return next
	}
	return func(res poll.Result) {
		a.observe(res)
		if next != nil {
			next(res)
		}
	}
}

// observe queues the alerts res's state change makes, if any: a change
// of state (failing, recovered, gone) and a freshness crossing (stale,
// fresh), which the store decided once across instances. A poll whose
// state was not written (res.Change nil) decides nothing: the next poll
// starts from the same state and decides then.
func (a *alerter) observe(res poll.Result) {
	a.observeHeld(res)
	if res.Change == nil {
		return
	}
	if kind, ok := alert.Decide(res.Change.Prev, res.Change.Next, a.failingAfter); ok {
		src := a.source(res)
		a.logger.Info("alert", "event", string(kind), "source", src.ID, "errors_in_row", res.Change.Next.ErrorsInRow)
		a.sender.Send(alert.NewEvent(kind, src, res.Change.Prev, res.Change.Next, a.instance))
	}
	if kind, ok := alert.FreshnessKind(res.Freshness); ok {
		src := a.source(res)
		a.logger.Info("alert", "event", string(kind), "source", src.ID, "last_entry", res.Freshness.LastEntry)
		a.sender.Send(alert.NewFreshnessEvent(kind, src, *res.Freshness, res.Change.Next, res.Change.Next.LastAttempt, a.instance))
	}
}

// observeHeld queues a pending event per section whose review queue the
// poll fed: the store's merge queued each entry once across instances,
// so each is announced once.
func (a *alerter) observeHeld(res poll.Result) {
	if len(res.Held) == 0 {
		return
	}
	var next model.SourceState
	if res.Change != nil {
		next = res.Change.Next
	}
	src := a.source(res)
	for _, ev := range alert.NewPendingEvents(src, res.Held, next, a.now(res), a.instance) {
		a.logger.Info("alert", "event", string(ev.Event), "source", src.ID, "section", ev.Section, "count", ev.Count)
		a.sender.Send(ev)
	}
}

// now is when res's poll ran, as its state says, else the poll's end.
func (a *alerter) now(res poll.Result) time.Time {
	if res.Change != nil && !res.Change.Next.LastAttempt.IsZero() {
		return res.Change.Next.LastAttempt
	}
	return time.Now()
}

// source finds the polled source in the merged list; one removed since
// the poll began is described by what the poll knew.
func (a *alerter) source(res poll.Result) model.Source {
	list := a.sources()
	a.mu.Lock()
	defer a.mu.Unlock()
	if len(list) != len(a.indexed) || (len(list) > 0 && &list[0] != &a.indexed[0]) {
		a.indexed, a.index = list, make(map[string]int, len(list))
		for i, src := range list {
			a.index[src.ID] = i
		}
	}
	if i, ok := a.index[res.SourceID]; ok {
		return list[i]
	}
	return model.Source{ID: res.SourceID, URL: res.URL}
}

// run delivers alerts until ctx is done, then tries the queued ones once.
func (a *alerter) run(ctx context.Context) {
	if a != nil {
		a.sender.Run(ctx)
	}
}
