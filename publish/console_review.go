package publish

import (
	"cmp"
	"net/http"
	"net/url"
	"strings"

	"github.com/tributary-rss/tributary/aggregator/model"
)

// The console's review queue of a section with review: true, at
// /admin/sections/{id}/review: what waits, newest published first, each
// with its title, source, date in the section's zone, summary and
// original link, to approve or reject one at a time, a selection
// (checkboxes) or the whole page, through one form (no script).

// reviewPageSize is how many waiting entries the queue page lists: what
// one decision may take (see registry.MaxReviewBatch).
const reviewPageSize = 200

// reviewRow is a waiting entry on the queue page.
type reviewRow struct {
	ID, Title, Link, Source, Summary string
	Published, Held                  timeView
	NoDate                           bool
}

type consoleReviewView struct {
	ID, Title, Back string
	Rows            []reviewRow
	// Total is how many wait in all (more than Rows when the queue is
	// longer than a page).
	Total int
	Zone  string
	Err   string
}

// routeReview adds the queue's page and its form to the console.
func (c *console) routeReview(mux *http.ServeMux) {
	mux.HandleFunc("GET /admin/sections/{id}/review", c.page(c.handleReview))
	mux.HandleFunc("POST /admin/sections/{id}/review", c.post("entry.review", c.handleReviewPost))
}

// reviewSection finds the section of a queue page and the Reviewer, or
// answers the page that says why there is no queue.
func (c *console) reviewSection(w http.ResponseWriter, r *http.Request, cr *consoleReq) (model.Section, Reviewer, bool) {
	id := r.PathValue("id")
	sec, ok := c.s.cat().sections[id]
	if !ok {
		c.message(w, r, cr, http.StatusNotFound, cr.text.T("err.404"), cr.text.F("err.nosection", id))
		return sec, nil, false
	}
	rv, ok := c.s.opts.Admin.(Reviewer)
	if !ok || !sec.Review {
		c.message(w, r, cr, http.StatusConflict, cr.text.T("err.409"), cr.text.F("msg."+model.KeyReviewOff, id))
		return sec, nil, false
	}
	return sec, rv, true
}

func (c *console) handleReview(w http.ResponseWriter, r *http.Request, cr *consoleReq) {
	sec, rv, ok := c.reviewSection(w, r, cr)
	if !ok {
		return
	}
	loc := cmp.Or(sec.Location, c.s.opts.Location)
	v := consoleReviewView{ID: sec.ID, Title: cmp.Or(sec.Title, sec.ID), Back: c.path("/sections/" + sec.ID), Zone: zoneLabel(cr.now, loc)}
	queue, total, err := rv.ReviewQueue(r.Context(), sec.ID, reviewPageSize)
	if err != nil {
		_, msg := c.errorView(r, cr, err)
		v.Err = msg.Text
	}
	v.Total = total
	for _, p := range queue {
		e := p.Entry
		row := reviewRow{ID: e.ID, Title: cmp.Or(e.Title, e.ID), Link: webLink(e.Link), Source: cmp.Or(e.SourceTitle, e.SourceID),
			Summary: e.Summary, NoDate: e.NoDate, Held: c.when(cr, p.HeldAt)}
		// The section's zone, as its pages show the date.
		row.Published = c.when(cr, entryPublished(e))
		row.Published.Abs = zonedTime(entryPublished(e), loc)
		v.Rows = append(v.Rows, row)
	}
	c.render(w, r, cr, http.StatusOK, "review", cr.text.F("review.title", v.Title), v)
}

// handleReviewPost decides what the queue's form asks: one entry ("one":
// "approve:<id>" or "reject:<id>"), the entries ticked ("action" with
// "entry" values), or every entry of the page ("action" "approve-page"
// with its "page" values). Each decided entry is audited with its title.
func (c *console) handleReviewPost(w http.ResponseWriter, r *http.Request, cr *consoleReq) {
	sid := r.PathValue("id")
	back := "/sections/" + sid + "/review"
	req, ok := reviewForm(r, sid)
	if !ok {
		c.redirect(w, r, cr, back, flash{Error: true, Text: cr.text.T("review.none")})
		return
	}
	var out []model.ReviewOutcome
	var err error
	rv, isReviewer := c.s.opts.Admin.(Reviewer)
	if !isReviewer {
		err = &model.RequestError{Kind: model.ErrConflict, Msg: "review is not available on this server", Key: model.KeyReviewOff, Args: []string{sid}}
	} else {
		out, err = rv.Review(r.Context(), req)
	}
	c.s.auditReview(r, "console", req.Action, sid, req.EntryIDs, out, err)
	if len(out) > 0 {
		c.s.log.Info("console: entries "+req.Action, "section", sid, "count", len(out), "client", c.s.clientIP(r))
	}
	if err != nil {
		_, msg := c.errorView(r, cr, err)
		if len(out) > 0 {
			msg.Text = cr.text.F("flash."+req.Action+".some", len(out)) + " " + msg.Text
		}
		c.redirect(w, r, cr, back, errorFlash(msg))
		return
	}
	c.redirect(w, r, cr, back, flash{Text: cr.text.F("flash."+req.Action+".n", len(out))})
}

// reviewForm reads the queue form's request; ok is false when it names
// no entry.
func reviewForm(r *http.Request, sid string) (model.ReviewRequest, bool) {
	req := model.ReviewRequest{SectionID: sid}
	if one := r.PostForm.Get("one"); one != "" {
		action, id, _ := strings.Cut(one, ":")
		req.Action, req.EntryIDs = action, []string{id}
		return req, id != ""
	}
	switch action := r.PostForm.Get("action"); action {
	case "approve-page":
		req.Action, req.EntryIDs = model.ActionApprove, r.PostForm["page"]
	default:
		req.Action, req.EntryIDs = action, r.PostForm["entry"]
	}
	return req, len(req.EntryIDs) > 0
}

// overviewPending is the pending count of every section with review, for
// the overview (nil when the Admin runs no queues or the store fails:
// the overview shows the rest).
func (c *console) overviewPending(r *http.Request) map[string]int {
	rv, ok := c.s.opts.Admin.(Reviewer)
	if !ok {
		return nil
	}
	counts, err := rv.PendingCounts(r.Context())
	if err != nil {
		c.s.log.Error("console: count review queues", "err", err)
		return nil
	}
	return counts
}

// reviewLink is the queue page of section id.
func (c *console) reviewLink(id string) string { return c.path("/sections/" + id + "/review") }

// webLink is link when it is an http or https URL, else "": the queue
// links an entry's original page, never a script or data URL a defaced
// site might carry.
func webLink(link string) string {
	u, err := url.Parse(link)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return ""
	}
	return link
}
