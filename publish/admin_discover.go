package publish

import (
	"net/http"

	"github.com/tributary-rss/tributary/aggregator/model"
)

// The admin API's look before adding a source: discover lists the feeds a
// URL offers, preview shows what a poll of a source would store. Both
// fetch once, under the rules sources added through the API are fetched
// by (public addresses only unless admin.allow_private is set), and
// store nothing.
//
// A remote page that cannot be read is an answer, not a refusal: 200
// with the reason in the body ("reason" for discover, "error" for
// preview), and its code ("reason_code", "error_code", with their
// arguments) for a client that words it in its reader's language. Refusals of the request itself are the usual {"error",
// "field"}: 400 for a bad URL, a private address or a bad selector.

// discoverRequest is the body of POST /api/v1/admin/discover.
type discoverRequest struct {
	URL string `json:"url"`
}

// discover answers POST /api/v1/admin/discover: {"url": …} →
// model.Discovery, whose feeds are [] with a reason when the URL offers
// none.
func (a *adminAPI) discover(w http.ResponseWriter, r *http.Request) {
	var req discoverRequest
	if err := decodeAdminBody(w, r, &req); err != nil {
		writeAdminError(w, http.StatusBadRequest, "", err.Error())
		return
	}
	d, err := a.admin.Discover(r.Context(), req.URL)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	if d.Feeds == nil {
		d.Feeds = []model.FeedLink{}
	}
	if d.Lists == nil {
		d.Lists = []model.ListCandidate{}
	}
	writeAdminJSON(w, http.StatusOK, d)
}

// preview answers POST /api/v1/admin/preview: the body is a source as
// POST /api/v1/admin/sources takes it (id, sections and schedule are
// accepted and ignored) → model.Preview.
func (a *adminAPI) preview(w http.ResponseWriter, r *http.Request) {
	var req model.AddRequest
	if err := decodeAdminBody(w, r, &req); err != nil {
		writeAdminError(w, http.StatusBadRequest, "", err.Error())
		return
	}
	p, err := a.admin.Preview(r.Context(), req)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	if p.Entries == nil {
		p.Entries = []model.PreviewEntry{}
	}
	if p.Skipped == nil {
		p.Skipped = []model.PreviewSkip{}
	}
	if p.Warnings == nil {
		p.Warnings = []model.ListWarning{}
	}
	writeAdminJSON(w, http.StatusOK, p)
}
