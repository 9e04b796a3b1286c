package poll

import (
	"log/slog"

	"github.com/tributary-rss/tributary/aggregator/model"
)

// adoptDiscovered records the feed an HTML page advertised as where the
// source is fetched from, at once: unlike a redirect, which may be a
// mistake fixed the next hour, the page says so itself, and the feed
// parsed. The configured URL stays the page, so a failing feed can be
// looked for there again (see read.URL).
func adoptDiscovered(st *model.SourceState, feedURL string) bool {
	changed := st.EffectiveURL != feedURL || !st.Discovered
	st.EffectiveURL, st.Discovered = feedURL, true
	st.RedirectURL, st.RedirectsInRow = "", 0
	return changed
}

// dropDiscovered forgets a discovered feed once the configured URL itself
// is read successfully again (the page turned into a feed).
func dropDiscovered(st *model.SourceState) {
	st.EffectiveURL, st.Discovered = "", false
	st.RedirectURL, st.RedirectsInRow = "", 0
}

// trackDiscovery records, after a successful poll, where discovery led:
// the advertised feed the poll followed becomes the effective URL, and a
// configured page read as a feed itself again ends the discovery.
func (p *Poller) trackDiscovery(log *slog.Logger, src model.Source, st *model.SourceState, res *Result) {
	switch {
	case res.Discovered != "":
		if adoptDiscovered(st, res.Discovered) {
			log.Info("source resolved to the feed its page advertises", "effective_url", st.EffectiveURL)
		}
	case st.Discovered && res.FetchURL == src.URL && res.list != nil:
		dropDiscovered(st)
		log.Info("source page advertises no feed any more; discovery dropped, its list read instead")
	case st.Discovered && res.FetchURL == src.URL:
		dropDiscovered(st)
		log.Info("source URL serves a feed itself again; discovery dropped")
	}
}
