package main

import (
	"cmp"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/tributary-rss/tributary/aggregator/alert"
	"github.com/tributary-rss/tributary/aggregator/config"
	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/aggregator/poll"
)

// alertDrain bounds the last try of queued alerts at shutdown; it fits in
// the 5 s the daemon gives its background loops.
const alertDrain = 3 * time.Second

// newAlerter returns the observer that sends alerts.webhook its events,
// or nil (no alerts) when alerts.webhook.url is unset.
func newAlerter(cfg *config.Config, sources func() []model.Source, logger *slog.Logger) (*alert.Observer, error) {
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
	return alert.NewObserver(sender, cfg.Alerts.FailingAfter, cmp.Or(host, "tributary"), sources, logger), nil
}

// alertHook returns an OnPoll hook that hands each poll to alerts, then
// calls next (when set).
func alertHook(alerts *alert.Observer, next func(poll.Result)) func(poll.Result) {
	if alerts == nil {
		return next
	}
	return func(res poll.Result) {
		p := alert.Poll{SourceID: res.SourceID, URL: res.URL, Freshness: res.Freshness, Held: res.Held}
		if res.Change != nil {
			p.Written, p.Prev, p.Next = true, res.Change.Prev, res.Change.Next
		}
		alerts.Observe(p)
		if next != nil {
			next(res)
		}
	}
}
