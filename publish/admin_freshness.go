package publish

import (
	"errors"
	"net/http"
	"time"
)

// freshnessJSON is GET /api/v1/admin/freshness: the report as the console
// shows it, for a script that sends the monthly notice itself.
type freshnessJSON struct {
	GeneratedAt time.Time `json:"generated_at"`
	// Days is the window of Daily and Entries; Section the section the
	// report covers ("" for all).
	Days    int    `json:"days"`
	Section string `json:"section,omitempty"`
	// Total and Stale count the sources of the covered sections, whatever
	// ?show= leaves out of Sources.
	Total   int                  `json:"total"`
	Stale   int                  `json:"stale"`
	Sources []freshnessSourceDoc `json:"sources"`
}

// freshnessSourceDoc is one source of the report, stalest first. Times are
// RFC 3339 in UTC; last_entry and days_since_last_entry are null for a
// source that never published.
type freshnessSourceDoc struct {
	ID                 string     `json:"id"`
	Title              string     `json:"title"`
	Sections           []string   `json:"sections"`
	LastEntry          *time.Time `json:"last_entry"`
	DaysSinceLastEntry *int       `json:"days_since_last_entry"`
	// Entries30d counts the new entries of the last 30 days, Entries those
	// of the window (?days=), Daily each of its days, oldest first.
	Entries30d int    `json:"entries_30d"`
	Entries    int    `json:"entries"`
	Daily      []int  `json:"daily"`
	Stale      bool   `json:"stale"`
	StaleAfter string `json:"stale_after"`
	// FirstSeen is when a poll of it first succeeded (null: unknown).
	FirstSeen *time.Time `json:"first_seen"`
	// URL is the site its feed links to, else its own URL; State its
	// polling state (staleness never changes it).
	URL   string `json:"url"`
	State string `json:"state"`
}

// freshness serves GET /api/v1/admin/freshness (?section=, ?show=,
// ?days=).
func (a *adminAPI) freshness(w http.ResponseWriter, r *http.Request) {
	a.s.serveFreshnessJSON(w, r)
}

// handleFreshnessJSON serves the same JSON at /admin/freshness.json to a
// signed-in browser (the report page links to it) or the admin token.
func (c *console) handleFreshnessJSON(w http.ResponseWriter, r *http.Request) {
	if c.readAllowed(w, r, "freshness report") {
		c.s.serveFreshnessJSON(w, r)
	}
}

// serveFreshnessJSON answers the report r asks for as JSON; a bad
// parameter is a 400 naming it.
func (s *Server) serveFreshnessJSON(w http.ResponseWriter, r *http.Request) {
	q, err := parseFreshnessQuery(r.URL.Query(), s.cat())
	if err != nil {
		var pe *paramError
		errors.As(err, &pe)
		writeAdminError(w, http.StatusBadRequest, pe.param(), err.Error())
		return
	}
	rep, err := s.freshnessReport(r.Context(), q)
	switch {
	case errors.Is(err, errNoReport):
		writeAdminError(w, http.StatusNotFound, "", err.Error())
		return
	case err != nil:
		s.log.Error("freshness report", "err", err)
		writeAdminError(w, http.StatusServiceUnavailable, "", "store unavailable, try again later")
		return
	}
	writeAdminJSON(w, http.StatusOK, toFreshnessJSON(rep))
}

func toFreshnessJSON(rep freshnessReport) freshnessJSON {
	out := freshnessJSON{GeneratedAt: rep.Now.UTC(), Days: rep.Query.days, Section: rep.Query.section,
		Total: rep.Total, Stale: rep.Stale, Sources: make([]freshnessSourceDoc, 0, len(rep.Rows))}
	for _, row := range rep.Rows {
		out.Sources = append(out.Sources, toFreshnessDoc(row))
	}
	return out
}

func toFreshnessDoc(row freshnessRow) freshnessSourceDoc {
	f := row.Status.Freshness
	doc := freshnessSourceDoc{ID: row.Status.ID, Title: row.Name, Sections: row.Status.SectionIDs,
		Entries30d: row.Entries30, Entries: row.Entries, Daily: row.Daily, Stale: row.Stale,
		URL: row.Link, State: row.Status.State()}
	doc.StaleAfter = staleAfterText(f.Threshold())
	if row.HasEntry {
		last, days := f.LastEntry.UTC(), row.Days
		doc.LastEntry, doc.DaysSinceLastEntry = &last, &days
	}
	if !f.FirstSeen.IsZero() {
		first := f.FirstSeen.UTC()
		doc.FirstSeen = &first
	}
	if doc.Sections == nil {
		doc.Sections = []string{}
	}
	if doc.Daily == nil {
		doc.Daily = []int{}
	}
	return doc
}
