package config

import (
	"errors"
	"net/url"
	"time"
)

// Alert defaults (see package aggregator/alert for the delivery itself).
const (
	// DefaultAlertTimeout bounds one delivery attempt to the webhook.
	DefaultAlertTimeout = Duration(10 * time.Second)
	// DefaultFailingAfter is how many failed polls in a row make a source
	// failing.
	DefaultFailingAfter = 3
)

// AlertsConfig sends a webhook when a source turns failing, recovers or is
// retired by a 410.
type AlertsConfig struct {
	// Webhook is where alerts go; without a URL no alert is sent.
	Webhook WebhookConfig `yaml:"webhook"`
	// FailingAfter is how many failed polls in a row make a source
	// failing (default 3).
	FailingAfter int `yaml:"failing_after"`
}

// WebhookConfig is the receiver of alerts.
type WebhookConfig struct {
	// URL is an absolute http or https URL. It is the operator's own, so
	// private addresses are allowed. TRIBUTARY_ALERTS_WEBHOOK_URL
	// overrides it (chat webhooks carry their token in the URL).
	URL string `yaml:"url"`
	// Secret, when set, signs each delivery: X-Tributary-Signature is
	// "sha256=" and the hex HMAC-SHA256 of the body keyed with it.
	// TRIBUTARY_ALERTS_SECRET overrides it.
	Secret string `yaml:"secret"`
	// Timeout bounds one delivery attempt (default 10s).
	Timeout Duration `yaml:"timeout"`
}

func (v *validator) alerts(a *AlertsConfig) {
	if v.filled(&a.Webhook.URL) {
		v.check(&a.Webhook.URL, "webhook.url", checkWebhookURL(a.Webhook.URL))
	}
	if v.filled(&a.Webhook.Secret) && a.Webhook.URL == "" {
		v.check(&a.Webhook.Secret, "webhook.secret", errors.New("is set but alerts.webhook.url is not; set the URL or remove the secret"))
	}
	v.positive(&a.Webhook.Timeout, "webhook.timeout", int64(a.Webhook.Timeout))
	v.positive(&a.FailingAfter, "failing_after", int64(a.FailingAfter))
}

// checkWebhookURL never quotes the URL back: webhooks of chat services
// carry their token in the path or the query, and messages reach logs.
func checkWebhookURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Hostname() == "" {
		return errors.New("must be an absolute http or https URL with a host")
	}
	return nil
}

func applyAlertsDefaults(c *Config) {
	setZero(&c.Alerts.Webhook.Timeout, DefaultAlertTimeout)
	setZero(&c.Alerts.FailingAfter, DefaultFailingAfter)
}
