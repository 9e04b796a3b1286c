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
	Skipped  int           `json:"skipped,omitempty"`
	Articles *articlesJSON `json:"articles,omitempty"`
}

// articlesJSON is the article fetching of a source with content.fetch.
type articlesJSON struct {
	OK        int    `json:"ok"`
	Failed    int    `json:"failed"`
	Pending   int    `json:"pending"`
	LastError string `json:"last_error,omitempty"`
}

func toSourceJSON(s model.SourceStatus) sourceJSON {
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
	}
	if a := s.Articles; a != nil {
		out.Articles = &articlesJSON{OK: a.OK, Failed: a.Failed, Pending: a.Pending, LastError: a.LastError}
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
	list, err := s.opts.Status.SourceStatuses(r.Context(), s.cat().sources)
	if err != nil {
		s.log.Error("read source statuses", "error", err)
		writeText(w, http.StatusServiceUnavailable, "source status unavailable")
		return nil, false
	}
	return list, true
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
		out.Sources = append(out.Sources, toSourceJSON(st))
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

// statusRow is one source on the /status page.
type statusRow struct {
	model.SourceStatus
	State, Name, Effective            string
	LastAttempt, LastSuccess, NextDue string
}

type statusView struct {
	Stylesheet, StatusCSS, API, Generator, Sort string
	// Ready is "ok" or why /readyz fails: the detail /readyz itself
	// keeps from its public callers.
	Ready  string
	Sorts  []string
	Counts map[string]int
	Rows   []statusRow
	Now    string
}

// handleStatus serves /status, the operator page: one row per source,
// sortable with ?sort= (state, name, next_due, errors, entries).
func (s *Server) handleStatus(w http.ResponseWriter, r *http.Request) {
	key := r.URL.Query().Get("sort")
	if key == "" {
		key = statusSorts[0]
	}
	if !slices.Contains(statusSorts, key) {
		writeText(w, http.StatusBadRequest, "sort: must be one of "+strings.Join(statusSorts, ", "))
		return
	}
	ready := "ok"
	if err := s.ready.probe(r.Context()); err != nil {
		ready = "not ready: " + err.Error()
	}
	list, err := s.opts.Status.SourceStatuses(r.Context(), s.cat().sources)
	if err != nil {
		s.log.Error("read source statuses", "error", err)
		writeText(w, http.StatusServiceUnavailable, "source status unavailable; readiness: "+ready)
		return
	}
	sortStatuses(list, key)
	v := statusView{
		Ready:      ready,
		Stylesheet: s.pathPrefix + "/static/style.css", StatusCSS: s.pathPrefix + "/static/status.css",
		API:       s.pathPrefix + "/api/v1/sources",
		Generator: feedData{Version: s.opts.Version}.generator(), Sort: key, Sorts: statusSorts,
		Counts: map[string]int{}, Now: s.formatStatusTime(time.Now()),
	}
	for _, st := range list {
		v.Counts[st.State()]++
		v.Rows = append(v.Rows, s.statusRow(st))
	}
	s.writeStatusPage(w, v)
}

func (s *Server) statusRow(st model.SourceStatus) statusRow {
	row := statusRow{SourceStatus: st, State: st.State(), Name: cmp.Or(st.Title, st.ConfiguredURL)}
	if st.EffectiveURL != "" && st.EffectiveURL != st.ConfiguredURL {
		row.Effective = st.EffectiveURL
	}
	row.LastAttempt = s.formatStatusTime(st.LastAttempt)
	row.LastSuccess = s.formatStatusTime(st.LastSuccess)
	row.NextDue = s.formatStatusTime(st.NextDue)
	return row
}

func (s *Server) formatStatusTime(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.In(s.opts.Location).Format("2006-01-02 15:04:05")
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
