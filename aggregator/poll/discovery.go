package poll

import (
	"cmp"
	"log/slog"

	"github.com/tributary-rss/tributary/aggregator/model"
)

// RediscoverAfterErrors is how many polls in a row a feed found by
// discovery may fail before polls go back to the configured page to look
// for the feed it advertises now: sites move their feed when they change
// CMS, and the page is what the operator configured.
const RediscoverAfterErrors = 3

// pollURL is the URL a poll fetches: the effective URL (after permanent
// redirects, or the feed the configured page advertised), else the
// configured one. A discovered feed failing RediscoverAfterErrors polls
// in a row sends the poll back to the page.
func pollURL(src model.Source, st model.SourceState) string {
	if st.Discovered && st.ErrorsInRow >= RediscoverAfterErrors {
		return src.URL
	}
	return cmp.Or(st.EffectiveURL, src.URL)
}

// validatorURL is the URL the stored validators and body hash belong to:
// the one the last successful poll read.
func validatorURL(src model.Source, st model.SourceState) string {
	return cmp.Or(st.EffectiveURL, src.URL)
}

// adoptDiscovered records the feed an HTML page advertised as where the
// source is fetched from, at once: unlike a redirect, which may be a
// mistake fixed the next hour, the page says so itself, and the feed
// parsed. The configured URL stays the page, so a failing feed can be
// looked for there again (see pollURL).
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

// discoveryError is a failure to read the feed a page advertised; its
// reason names that feed, since the configured URL is the page.
type discoveryError struct {
	feedURL string
	err     error
}

func (e *discoveryError) Error() string { return "advertised feed " + e.feedURL + ": " + e.err.Error() }

func (e *discoveryError) Unwrap() error { return e.err }

func (e *discoveryError) reason() string {
	return "advertised feed " + e.feedURL + ": " + Reason(e.err)
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
