package publish

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/tributary-rss/tributary/aggregator/model"
)

// Review before publishing through the admin API:
//
//	GET  /api/v1/admin/sections/{id}/review[?limit=N]
//	POST /api/v1/admin/sections/{id}/entries/{eid}/approve|reject
//
// The actions take no body. A section without review answers 409, an
// entry not waiting in its queue 404.

// Reviewer is the part of an Admin that runs sections' review queues
// (sections[].review). The registry is one; an Admin without it answers
// the review endpoints 404 and the console shows no queue.
type Reviewer interface {
	// Review approves or rejects entries of a section's queue, for every
	// instance at once; see registry.Registry.Review.
	Review(ctx context.Context, req model.ReviewRequest) ([]model.ReviewOutcome, error)
	// ReviewQueue lists the waiting entries, newest published first, at
	// most limit (0: all), and how many wait in all.
	ReviewQueue(ctx context.Context, sectionID string, limit int) ([]model.PendingEntry, int, error)
	// PendingCounts is how many wait per section with review.
	PendingCounts(ctx context.Context) (map[string]int, error)
}

// maxQueueLimit bounds ?limit= of the queue: the queue is capped in the
// store, and this bounds one answer.
const maxQueueLimit = 1000

// pendingJSON is one waiting entry in the queue's answer.
type pendingJSON struct {
	ID          string    `json:"id"`
	Title       string    `json:"title"`
	Source      string    `json:"source"`
	SourceTitle string    `json:"source_title,omitempty"`
	Link        string    `json:"link,omitempty"`
	Published   time.Time `json:"published"`
	NoDate      bool      `json:"no_date,omitempty"`
	Summary     string    `json:"summary,omitempty"`
	HeldAt      time.Time `json:"held_at"`
}

// reviewState is the answer to a review action.
type reviewState struct {
	Section string `json:"section"`
	Entry   string `json:"entry"`
	State   string `json:"state"`
	// Shown is whether an approved entry shows now (one older than the
	// section keeps, or whose source left it, does not).
	Shown bool `json:"shown"`
}

// routeReview adds the review endpoints to the admin mux.
func (a *adminAPI) routeReview(mux *http.ServeMux) {
	mux.HandleFunc("GET /api/v1/admin/sections/{id}/review", a.reviewQueue)
	for _, act := range []string{model.ActionApprove, model.ActionReject} {
		mux.HandleFunc("POST /api/v1/admin/sections/{id}/entries/{eid}/"+act, a.review(act))
	}
}

// reviewer returns the Admin's Reviewer, or answers 404 when it has none.
func (a *adminAPI) reviewer(w http.ResponseWriter) (Reviewer, bool) {
	rv, ok := a.admin.(Reviewer)
	if !ok {
		writeAdminError(w, http.StatusNotFound, "", "review is not available on this server")
	}
	return rv, ok
}

func (a *adminAPI) reviewQueue(w http.ResponseWriter, r *http.Request) {
	rv, ok := a.reviewer(w)
	if !ok {
		return
	}
	limit := 0
	if v := r.URL.Query().Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > maxQueueLimit {
			writeAdminError(w, http.StatusBadRequest, "limit", "limit: "+strconv.Quote(v)+" is not a number from 1 to "+strconv.Itoa(maxQueueLimit))
			return
		}
		limit = n
	}
	sid := r.PathValue("id")
	queue, total, err := rv.ReviewQueue(r.Context(), sid, limit)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	out := struct {
		Section string        `json:"section"`
		Total   int           `json:"total"`
		Pending []pendingJSON `json:"pending"`
	}{Section: sid, Total: total, Pending: make([]pendingJSON, 0, len(queue))}
	for _, p := range queue {
		e := p.Entry
		out.Pending = append(out.Pending, pendingJSON{ID: e.ID, Title: e.Title, Source: e.SourceID, SourceTitle: e.SourceTitle,
			Link: e.Link, Published: e.Published.UTC(), NoDate: e.NoDate, Summary: e.Summary, HeldAt: p.HeldAt})
	}
	writeAdminJSON(w, http.StatusOK, out)
}

func (a *adminAPI) review(action string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		rv, ok := a.reviewer(w)
		if !ok {
			return
		}
		sid, eid := r.PathValue("id"), r.PathValue("eid")
		if _, err := readModerationBody(w, r, action, a.s.opts.Now()); err != nil {
			a.fail(w, r, err)
			return
		}
		out, err := rv.Review(r.Context(), model.ReviewRequest{SectionID: sid, EntryIDs: []string{eid}, Action: action})
		a.s.auditReview(r, "api", action, sid, []string{eid}, out, err)
		if err != nil {
			a.fail(w, r, err)
			return
		}
		a.s.log.Info("entry "+action+" through the admin API", "section_id", sid, "entry_id", eid, "client", a.s.clientIP(r))
		writeAdminJSON(w, http.StatusOK, reviewState{Section: sid, Entry: eid, State: out[0].State, Shown: out[0].Shown})
	}
}

// auditReview records one review decision per entry of ids: the decided
// ones (out) with their title as detail, then the refused one with the
// refusal.
func (s *Server) auditReview(r *http.Request, via, action, sectionID string, ids []string, out []model.ReviewOutcome, err error) {
	for _, o := range out {
		s.audit(r, via, "entry."+action, sectionID+"/"+o.EntryID, nil, o.Title)
	}
	if err != nil && len(out) < len(ids) {
		s.audit(r, via, "entry."+action, sectionID+"/"+ids[len(out)], err, "")
	}
}
