package poll

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/http"
	"time"

	"github.com/tributary-rss/tributary/aggregator/fetch"
	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/aggregator/read"
	"github.com/tributary-rss/tributary/aggregator/scheduler/plan"
)

// WriteBackTimeout bounds writing a finished poll's state and due time
// once its own context has ended.
const WriteBackTimeout = 5 * time.Second

// ErrClaimLapsing is the cause of a poll's or an article pass's end when
// its claim is about to lapse: past the claim's deadline another instance
// may claim the source and poll it beside this one.
var ErrClaimLapsing = errors.New("stopped before its claim on the source lapses")

// Skipped reports whether a source in state st is left unpolled: paused,
// or gone (410) unless its configured URL changed since.
func Skipped(src model.Source, st model.SourceState) bool {
	return st.Paused || st.Gone && st.URL == src.URL
}

// PermanentRedirectPolls is how many polls in a row must see the same
// permanent redirect before it becomes the source's effective URL: one
// 301 can be a misconfiguration fixed the next hour.
const PermanentRedirectPolls = 3

// planNext counts the error streak, marks a 410 as gone and sets the next
// due time from plan.
func (p *Poller) planNext(st *model.SourceState, res *Result, now time.Time, plan plan.Plan) {
	if res.Err == nil {
		st.ErrorsInRow = 0
		st.NextDue = plan.AfterSuccess(now, res.Due, res.Hints)
		res.NextDue = st.NextDue
		return
	}
	st.ErrorsInRow++
	retry := time.Duration(-1)
	var se *fetch.StatusError
	if errors.As(res.Err, &se) {
		switch se.Code {
		case http.StatusGone:
			st.Gone, res.Gone = true, true
		case http.StatusTooManyRequests, http.StatusServiceUnavailable:
			if d, ok := se.RetryDelay(now); ok {
				retry = d
			}
		}
	}
	st.NextDue = plan.AfterFailure(now, res.Due, st.ErrorsInRow, retry)
	res.NextDue = st.NextDue
}

// trackRedirect counts polls in a row that were permanently redirected to
// the same URL and adopts it as the effective URL on the third. It reports
// whether the effective URL changed.
func trackRedirect(st *model.SourceState, permanentURL string) bool {
	switch {
	case permanentURL == "":
		st.RedirectURL, st.RedirectsInRow = "", 0
		return false
	case permanentURL == st.RedirectURL:
		st.RedirectsInRow++
	default:
		st.RedirectURL, st.RedirectsInRow = permanentURL, 1
	}
	if st.RedirectsInRow < PermanentRedirectPolls {
		return false
	}
	st.EffectiveURL = permanentURL
	st.RedirectURL, st.RedirectsInRow = "", 0
	return true
}

// configChanged resets what belonged to the source's previous URL when the
// config now names another one: the effective URL, the redirect streak, the
// gone flag, the list detection recorded and the validators. A source that
// now reads its URL as a list page (scrape:) drops the feed discovery
// found there the same way.
func configChanged(src model.Source, st *model.SourceState) {
	switch {
	case st.URL != "" && st.URL != src.URL:
		st.Gone = false
		st.Detected, st.DetectedFrom = nil, ""
	case src.Scrape != nil && st.Discovered:
	default:
		return
	}
	st.EffectiveURL, st.RedirectURL, st.RedirectsInRow, st.Discovered = "", "", 0, false
	st.ETag, st.LastModified, st.BodyHash = "", "", ""
}

// rulesChanged makes a poll read the body afresh when the source's
// scrape: or content: rules, or the selectors detection recorded for it,
// are not those the last body was read with: an unchanged list page (304,
// or the same body) is otherwise never parsed again, and a fixed selector
// or a newly enabled content.fetch would wait for the site to publish
// something.
func rulesChanged(src model.Source, st *model.SourceState) {
	fp := parseRules(src, st.Detected)
	if fp == st.ParseRules {
		return
	}
	st.ParseRules = fp
	st.ETag, st.LastModified, st.BodyHash = "", "", ""
}

// parseRules fingerprints a source's scrape:, content: and title_strip
// rules and the selectors detection recorded for it (detected); "" when
// it has none. A title_strip list and a detection count only when set,
// so the fingerprints of sources without them stay what they were.
func parseRules(src model.Source, detected *model.Scrape) string {
	if src.Scrape == nil && src.Content == nil && len(src.TitleStrip) == 0 && detected == nil {
		return ""
	}
	rules := []any{src.Scrape, src.Content}
	if len(src.TitleStrip) > 0 {
		rules = append(rules, src.TitleStrip)
	}
	if detected != nil {
		rules = append(rules, map[string]*model.Scrape{"detected": detected})
	}
	b, err := json.Marshal(rules)
	if err != nil {
		return "" // plain structs of strings: never
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:8])
}

// Reason is the human-readable text of a poll error kept in the source
// state and shown on the status page and by `tributary fetch`.
func Reason(err error) string {
	if errors.Is(err, ErrClaimLapsing) {
		return "took too long: " + ErrClaimLapsing.Error()
	}
	return read.Reason(err)
}
