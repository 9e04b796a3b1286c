package publish

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/tributary-rss/tributary/aggregator/model"
)

// Entry moderation through the admin API:
//
//	POST /api/v1/admin/sections/{id}/entries/{eid}/hide|unhide|pin|unpin
//	GET  /api/v1/admin/sections/{id}/moderation
//
// A pin takes an optional body {"until": "<RFC 3339>"} or {"for": "2h"};
// the other actions take none.

// moderationState is the answer to a moderation action: the entry's state
// in the section once it is done.
type moderationState struct {
	Section string    `json:"section"`
	Entry   string    `json:"entry"`
	State   string    `json:"state"`
	Until   time.Time `json:"until,omitzero"`
}

// pinBody is a pin's optional expiry: a time, or a duration from now.
type pinBody struct {
	Until string `json:"until"`
	For   string `json:"for"`
}

// routeModeration adds the moderation endpoints to the admin mux.
func (a *adminAPI) routeModeration(mux *http.ServeMux) {
	for _, act := range []string{model.ActionHide, model.ActionUnhide, model.ActionPin, model.ActionUnpin} {
		mux.HandleFunc("POST /api/v1/admin/sections/{id}/entries/{eid}/"+act, a.moderate(act))
	}
	mux.HandleFunc("GET /api/v1/admin/sections/{id}/moderation", a.moderation)
}

func (a *adminAPI) moderate(action string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		sid, eid := r.PathValue("id"), r.PathValue("eid")
		req := model.ModerationRequest{SectionID: sid, EntryID: eid, Action: action}
		var err error
		req.Until, err = readModerationBody(w, r, action, a.s.opts.Now())
		if err == nil {
			err = a.admin.Moderate(r.Context(), req)
		}
		detail := ""
		if !req.Until.IsZero() {
			detail = "until " + req.Until.UTC().Format(time.RFC3339)
		}
		a.s.audit(r, "api", "entry."+action, sid+"/"+eid, err, detail)
		if err != nil {
			a.fail(w, r, err)
			return
		}
		a.s.log.Info("entry "+action+" through the admin API", "section_id", sid, "entry_id", eid, "client", a.s.clientIP(r))
		out := moderationState{Section: sid, Entry: eid, State: stateAfter(action)}
		if action == model.ActionPin {
			out.Until = req.Until.UTC()
		}
		writeAdminJSON(w, http.StatusOK, out)
	}
}

func stateAfter(action string) string {
	switch action {
	case model.ActionHide:
		return "hidden"
	case model.ActionPin:
		return "pinned"
	}
	return "visible"
}

func (a *adminAPI) moderation(w http.ResponseWriter, r *http.Request) {
	m, err := a.admin.Moderation(r.Context(), r.PathValue("id"))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	// Lists, never null, so clients can iterate without a check.
	if m.Hidden == nil {
		m.Hidden = []model.ModeratedEntry{}
	}
	if m.Pinned == nil {
		m.Pinned = []model.ModeratedEntry{}
	}
	writeAdminJSON(w, http.StatusOK, m)
}

// readModerationBody reads the body of a moderation action: empty, or for
// a pin a pinBody, whose expiry it returns (zero: none).
func readModerationBody(w http.ResponseWriter, r *http.Request, action string, now time.Time) (time.Time, error) {
	raw, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxAdminBody))
	if err != nil {
		if errors.As(err, new(*http.MaxBytesError)) {
			return time.Time{}, bodyError("", fmt.Sprintf("body: larger than %d bytes", maxAdminBody))
		}
		return time.Time{}, bodyError("", "body: "+err.Error())
	}
	if len(bytes.TrimSpace(raw)) == 0 {
		return time.Time{}, nil
	}
	if action != model.ActionPin {
		return time.Time{}, bodyError("", action+" takes no body")
	}
	if ct := r.Header.Get("Content-Type"); ct != "" && !isJSONType(ct) {
		return time.Time{}, bodyError("", fmt.Sprintf("body: Content-Type must be application/json, got %q", ct))
	}
	var b pinBody
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&b); err != nil {
		return time.Time{}, bodyError("", fmt.Sprintf(`body: %v; send {"until": "2026-11-20T18:00:00+08:00"} or {"for": "2h"}`, err))
	}
	if dec.More() {
		return time.Time{}, bodyError("", "body: more than one JSON value")
	}
	return b.expiry(now)
}

// expiry is the time the pin ends: until, or now plus for.
func (b pinBody) expiry(now time.Time) (time.Time, error) {
	switch {
	case b.Until != "" && b.For != "":
		return time.Time{}, bodyError("until", `give "until" or "for", not both`)
	case b.Until != "":
		t, err := time.Parse(time.RFC3339, b.Until)
		if err != nil {
			return time.Time{}, bodyError("until", fmt.Sprintf("%q is not an RFC 3339 time such as 2026-11-20T18:00:00+08:00", b.Until))
		}
		return t, nil
	case b.For != "":
		d, err := time.ParseDuration(b.For)
		if err != nil || d <= 0 {
			return time.Time{}, bodyError("for", fmt.Sprintf("%q is not a positive duration such as 90m or 48h", b.For))
		}
		return now.Add(d), nil
	}
	return time.Time{}, nil
}

func bodyError(field, msg string) error {
	return &model.RequestError{Kind: model.ErrInvalid, Field: field, Msg: msg}
}

func isJSONType(ct string) bool {
	return strings.HasPrefix(ct, "application/json")
}
