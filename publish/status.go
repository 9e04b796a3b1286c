package publish

import (
	"bytes"
	"cmp"
	"context"
	_ "embed"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/tributary-rss/tributary/aggregator/model"
)

// StatusReader reads the polling status of sources (the store implements
// it). The operator page and /api/v1/sources are served only when
// Options.Status is set.
type StatusReader interface {
	SourceStatuses(ctx context.Context, sources []model.Source) ([]model.SourceStatus, error)
}

//go:embed static/status.css
var statusCSS []byte

// statusSorts are the orders /status offers (?sort=); the first is the
// default: sources that need attention first.
var statusSorts = []string{"state", "name", "next_due", "errors", "entries"}

// sourceJSON is one source in /api/v1/sources. Times are RFC 3339 in UTC
// and omitted when unknown.
type sourceJSON struct {
	ID            string     `json:"id"`
	Title         string     `json:"title,omitempty"`
	State         string     `json:"state"`
	ConfiguredURL string     `json:"configured_url"`
	EffectiveURL  string     `json:"effective_url"`
	Sections      []string   `json:"sections"`
	LastAttempt   *time.Time `json:"last_attempt,omitempty"`
	LastSuccess   *time.Time `json:"last_success,omitempty"`
	NextDue       *time.Time `json:"next_due,omitempty"`
	LastStatus    int        `json:"last_status,omitempty"`
	LastError     string     `json:"last_error,omitempty"`
	ErrorsInRow   int        `json:"errors_in_row"`
	Entries       int64      `json:"entries"`
	Paused        bool       `json:"paused"`
	Gone          bool       `json:"gone"`
	Origin        string     `json:"origin"`
	Schedule      string     `json:"schedule,omitempty"`
	// Discovered: effective_url is the feed the configured page advertises.
	Discovered bool `json:"discovered,omitempty"`
	// Skipped counts the items of the last list page read that had no link.
	Skipped int `json:"skipped,omitempty"`
	// Detected holds the selectors detection chose to read the source's
	// list page (omitted when the source names its items or is a feed);
	// Warnings what its last read gave an editor to check.
	Detected *model.Scrape       `json:"detected,omitempty"`
	Warnings []model.ListWarning `json:"warnings,omitempty"`
	Articles *articlesJSON       `json:"articles,omitempty"`
	// DateIssues is present only when some items had no usable date.
	DateIssues *model.DateIssues `json:"date_issues,omitempty"`
	// SiteLink is the site the feed links to; ConfigFile and ConfigLine
	// say where a config-file source is defined.
	SiteLink   string `json:"site_link,omitempty"`
	ConfigFile string `json:"config_file,omitempty"`
	ConfigLine int    `json:"config_line,omitempty"`
	// Stale is set once the source has published nothing for longer than
	// StaleAfter ("14d"), whatever State says; LastEntry is its newest
	// entry and DaysSinceLastEntry whole days since (both omitted when it
	// never had one); FirstSeen is its first successful poll.
	Stale              bool       `json:"stale"`
	StaleAfter         string     `json:"stale_after"`
	LastEntry          *time.Time `json:"last_entry,omitempty"`
	DaysSinceLastEntry *int       `json:"days_since_last_entry,omitempty"`
	FirstSeen          *time.Time `json:"first_seen,omitempty"`
}

// articlesJSON is the article fetching of a source with content.fetch.
type articlesJSON struct {
	OK        int    `json:"ok"`
	Failed    int    `json:"failed"`
	Pending   int    `json:"pending"`
	LastError string `json:"last_error,omitempty"`
}

// toSourceJSON is s as the API shows it at now.
func toSourceJSON(s model.SourceStatus, now time.Time) sourceJSON {
	t := func(v time.Time) *time.Time {
		if v.IsZero() {
			return nil
		}
		u := v.UTC()
		return &u
	}
	out := sourceJSON{
		ID: s.ID, Title: s.Title, State: s.State(), ConfiguredURL: s.ConfiguredURL,
		EffectiveURL: cmp.Or(s.EffectiveURL, s.ConfiguredURL), Sections: s.SectionIDs,
		LastAttempt: t(s.LastAttempt), LastSuccess: t(s.LastSuccess), NextDue: t(s.NextDue),
		LastStatus: s.LastStatus, LastError: s.LastError, ErrorsInRow: s.ErrorsInRow,
		Entries: s.Entries, Paused: s.Paused, Gone: s.Gone, Origin: s.Origin, Schedule: s.Schedule,
		Discovered: s.Discovered && s.EffectiveURL != "", Skipped: s.Skipped,
		Detected: s.Detected, Warnings: s.Warnings,
	}
	if a := s.Articles; a != nil {
		out.Articles = &articlesJSON{OK: a.OK, Failed: a.Failed, Pending: a.Pending, LastError: a.LastError}
	}
	out.SiteLink, out.ConfigFile, out.ConfigLine = s.SiteLink, s.ConfigFile, s.ConfigLine
	if d := s.DateIssues; d.Undated > 0 || d.Future > 0 {
		d.Last = d.Last.UTC()
		out.DateIssues = &d
	}
	f := s.Freshness
	out.Stale, out.LastEntry, out.FirstSeen = f.Stale(now), t(f.LastEntry), t(f.FirstSeen)
	out.StaleAfter = staleAfterText(f.Threshold())
	if days, ok := f.DaysSinceLastEntry(now); ok {
		out.DaysSinceLastEntry = &days
	}
	return out
}

// sortStatuses orders in place by key (one of statusSorts), breaking ties
// by name so the page is stable between refreshes.
func sortStatuses(list []model.SourceStatus, key string) {
	name := func(s model.SourceStatus) string { return strings.ToLower(cmp.Or(s.Title, s.ConfiguredURL)) }
	slices.SortStableFunc(list, func(a, b model.SourceStatus) int {
		var c int
		switch key {
		case "name":
		case "next_due":
			c = a.NextDue.Compare(b.NextDue)
		case "errors":
			c = cmp.Compare(b.ErrorsInRow, a.ErrorsInRow)
		case "entries":
			c = cmp.Compare(b.Entries, a.Entries)
		default:
			c = cmp.Or(cmp.Compare(model.StateRank(a.State()), model.StateRank(b.State())),
				cmp.Compare(b.ErrorsInRow, a.ErrorsInRow))
		}
		return cmp.Or(c, strings.Compare(name(a), name(b)), strings.Compare(a.ID, b.ID))
	})
}

func (s *Server) readStatuses(w http.ResponseWriter, r *http.Request) ([]model.SourceStatus, bool) {
	list, err := s.sourceStatuses(r.Context())
	if err != nil {
		s.log.Error("read source statuses", "error", err)
		writeText(w, http.StatusServiceUnavailable, "source status unavailable")
		return nil, false
	}
	return list, true
}

// sourceStatuses reads every configured source's status, without the
// credentials of source URLs while the status pages are public (no admin
// token set).
func (s *Server) sourceStatuses(ctx context.Context) ([]model.SourceStatus, error) {
	list, err := s.opts.Status.SourceStatuses(ctx, s.cat().sources)
	if err != nil || s.adminToken().set {
		return list, err
	}
	for i := range list {
		list[i] = publicStatus(list[i], s.secret)
	}
	return list, nil
}

// handleAPISources serves /api/v1/sources: every configured source, failing
// first. It is operator data, so it is never cached and not offered
// across origins.
func (s *Server) handleAPISources(w http.ResponseWriter, r *http.Request) {
	list, ok := s.readStatuses(w, r)
	if !ok {
		return
	}
	sortStatuses(list, "state")
	out := struct {
		Sources []sourceJSON `json:"sources"`
	}{Sources: make([]sourceJSON, 0, len(list))}
	for _, st := range list {
		out.Sources = append(out.Sources, toSourceJSON(st, s.opts.Now()))
	}
	body, err := json.Marshal(out)
	if err != nil {
		writeText(w, http.StatusInternalServerError, "internal error")
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	_, _ = w.Write(body)
}

// handleStatus serves /status, the operator page: one card or row per
// source, in the configured UI language (or ?lang=), filtered by ?state=
// and ?section=, sorted by ?sort=. It reads the statuses once per request
// and is never cached.
func (s *Server) handleStatus(w http.ResponseWriter, r *http.Request) {
	c := s.cat()
	q, err := s.parseStatusQuery(r, c)
	if err != nil {
		writeText(w, http.StatusBadRequest, err.Error())
		return
	}
	// The probe's error, not a word for it: /status is where an operator
	// learns why /readyz fails.
	ready := s.ready.probe(r.Context())
	list, err := s.sourceStatuses(r.Context())
	if err != nil {
		s.log.Error("read source statuses", "error", err)
		msg := "source status unavailable; readiness: ok"
		if ready != nil {
			msg = "source status unavailable; readiness: not ready: " + ready.Error()
		}
		writeText(w, http.StatusServiceUnavailable, msg)
		return
	}
	sortStatuses(list, q.sort)
	s.writeStatusPage(w, s.statusView(q, c, list, ready))
}

func (s *Server) writeStatusPage(w http.ResponseWriter, v statusView) {
	var buf bytes.Buffer
	if err := s.pages.tmpl.ExecuteTemplate(&buf, "status.html", v); err != nil {
		s.log.Error("render status", "error", err)
		writeText(w, http.StatusInternalServerError, "internal error")
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Security-Policy", contentSecurityPolicy)
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "no-store")
	_, _ = w.Write(buf.Bytes())
}

func (s *Server) handleStatusStyle(w http.ResponseWriter, r *http.Request) {
	serveAsset(w, r, "status.css", "text/css; charset=utf-8", staticAsset{body: statusCSS, etag: contentETag(statusCSS)})
}
