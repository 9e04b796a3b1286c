package reload

import (
	"reflect"

	"github.com/tributary-rss/tributary/aggregator/config"
)

// warnRestart logs each setting that differs from the running config but
// is bound at start, so only a restart applies it.
func (r *Reloader) warnRestart(cfg *config.Config) {
	was := restartOnly(r.running)
	for i, s := range restartOnly(cfg) {
		if !reflect.DeepEqual(s.value, was[i].value) {
			r.logger.Warn("config change needs a restart; ignored until then", "key", s.key)
		}
	}
}

// setting is one config value read only at start.
type setting struct {
	key   string
	value any
}

// restartOnly lists what the daemon reads once at start: the listener and
// self links, the store, the fetcher and scheduler limits, the normalizer,
// the HTTP options and logging. (defaults.timezone still applies to
// sources on reload; it is listed for the HTML pages' dates. admin.token
// applies on reload: see applyToken.)
func restartOnly(c *config.Config) []setting {
	// A base_url derived from listen follows it: a new listen alone is
	// one change, named after what the operator edited.
	var baseURL any = c.BaseURL
	if c.BaseURLFromListen() {
		baseURL = "derived from listen"
	}
	return []setting{
		{"listen", c.Listen}, {"base_url", baseURL}, {"redis", c.Redis}, {"storage", c.Storage},
		{"fetch", c.Fetch}, {"http", c.HTTP}, {"ui", c.UI}, {"site", c.Site}, {"websub", c.WebSub}, {"log", c.Log},
		{"admin.allow_private", c.Admin.AllowPrivate},
		{"metrics", c.Metrics}, {"limits", c.Limits}, {"alerts", c.Alerts},
		{"defaults.timezone", c.Defaults.Timezone}, {"defaults.max_interval", c.Defaults.MaxInterval},
		{"defaults.summary_length", c.Defaults.SummaryLength}, {"defaults.tracking_params", c.Defaults.TrackingParams},
	}
}
