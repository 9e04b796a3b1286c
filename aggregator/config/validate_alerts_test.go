package config

import (
	"strings"
	"testing"
	"time"
)

func TestParse_Alerts(t *testing.T) {
	const hook = "https://hooks.example.org/t/Tok3nInPath?access_token=Q1w2e3"
	defaults := AlertsConfig{Webhook: WebhookConfig{Timeout: DefaultAlertTimeout}, FailingAfter: DefaultFailingAfter}
	tests := []struct {
		name, yaml string
		env        map[string]string
		wantErr    string
		want       AlertsConfig
	}{
		{name: "off by default", want: defaults},
		{name: "all keys", yaml: "alerts:\n  webhook:\n    url: " + hook + "\n    secret: s3cret\n    timeout: 3s\n  failing_after: 5\n",
			want: AlertsConfig{Webhook: WebhookConfig{URL: hook, Secret: "s3cret", Timeout: Duration(3 * time.Second)}, FailingAfter: 5}},
		{name: "private address allowed", yaml: "alerts:\n  webhook:\n    url: http://10.0.0.5:9000/alerts\n",
			want: AlertsConfig{Webhook: WebhookConfig{URL: "http://10.0.0.5:9000/alerts", Timeout: DefaultAlertTimeout}, FailingAfter: 3}},
		{name: "env sets url and secret", env: map[string]string{"TRIBUTARY_ALERTS_WEBHOOK_URL": hook, "TRIBUTARY_ALERTS_SECRET": "from-env"},
			want: AlertsConfig{Webhook: WebhookConfig{URL: hook, Secret: "from-env", Timeout: DefaultAlertTimeout}, FailingAfter: 3}},
		{name: "not http", yaml: "alerts:\n  webhook:\n    url: ftp://hooks.example.org/Tok3nInPath\n",
			wantErr: "t.yaml:3: webhook.url: must be an absolute http or https URL with a host"},
		{name: "relative", yaml: "alerts:\n  webhook:\n    url: /hook?access_token=Q1w2e3\n",
			wantErr: "t.yaml:3: webhook.url: must be an absolute http or https URL with a host"},
		{name: "bad url from env names the variable", env: map[string]string{"TRIBUTARY_ALERTS_WEBHOOK_URL": "Tok3nInPath"},
			wantErr: "TRIBUTARY_ALERTS_WEBHOOK_URL: must be an absolute http or https URL"},
		{name: "secret without url", yaml: "alerts:\n  webhook:\n    secret: s3cret\n",
			wantErr: "t.yaml:3: webhook.secret: is set but alerts.webhook.url is not"},
		{name: "zero failing_after", yaml: "alerts:\n  failing_after: 0\n",
			wantErr: "t.yaml:2: failing_after: must be at least 1, got 0"},
		{name: "negative timeout", yaml: "alerts:\n  webhook:\n    url: " + hook + "\n    timeout: -1s\n",
			wantErr: "t.yaml:4: webhook.timeout: must be more than zero"},
		{name: "unknown key", yaml: "alerts:\n  webhook:\n    uri: " + hook + "\n",
			wantErr: `t.yaml:3: unknown key "uri" in webhook; allowed keys: url, secret, timeout`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := tt.yaml + "sections:\n  - id: news\n    sources:\n      - url: https://example.com/feed\n"
			c, err := Parse("t.yaml", []byte(data), func(k string) string { return tt.env[k] })
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				for _, secret := range []string{"Tok3nInPath", "Q1w2e3", "s3cret"} {
					if strings.Contains(err.Error(), secret) {
						t.Errorf("error quotes a secret: %v", err)
					}
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if c.Alerts != tt.want {
				t.Errorf("alerts = %+v, want %+v", c.Alerts, tt.want)
			}
		})
	}
}
