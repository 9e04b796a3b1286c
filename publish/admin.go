package publish

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/tributary-rss/tributary/aggregator/model"
)

// maxAdminBody bounds an admin request body: a source is a few hundred
// bytes of JSON.
const maxAdminBody = 64 << 10

// Admin carries out admin API requests; *registry.Registry is one (the
// caller wires it, so this package needs only the model's request and
// error types).
type Admin interface {
	Statuses(ctx context.Context) ([]model.SourceStatus, error)
	Status(ctx context.Context, id string) (model.SourceStatus, error)
	Add(ctx context.Context, req model.AddRequest) (model.Source, error)
	// Remove deletes a source added through the API; its entries leave
	// its sections unless keepEntries.
	Remove(ctx context.Context, id string, keepEntries bool) error
	Pause(ctx context.Context, id string) error
	Resume(ctx context.Context, id string) error
	RequestPoll(ctx context.Context, kind, id string) ([]string, error)
	// Discover and Preview fetch a URL once and store nothing (see
	// admin_discover.go).
	Discover(ctx context.Context, url string) (model.Discovery, error)
	Preview(ctx context.Context, req model.AddRequest) (model.Preview, error)

	// Update edits a source (PATCH); see model.UpdateRequest.
	Update(ctx context.Context, id string, req model.UpdateRequest) (model.Source, error)
	// Moderate hides, unhides, pins or unpins an entry of a section, for
	// every instance at once; Moderation lists a section's decisions.
	Moderate(ctx context.Context, req model.ModerationRequest) error
	Moderation(ctx context.Context, sectionID string) (model.SectionModeration, error)
	// Audit appends to the audit log (capped); AuditLog reads its newest
	// records first.
	Audit(ctx context.Context, rec model.AuditRecord) error
	AuditLog(ctx context.Context, limit int) ([]model.AuditRecord, error)
	// Console sessions live in the store, so they hold on every instance
	// and across restarts. LoadSession answers a model.ErrNotFound
	// RequestError for an unknown or expired id.
	SaveSession(ctx context.Context, s model.Session) error
	LoadSession(ctx context.Context, id string) (model.Session, error)
	DeleteSession(ctx context.Context, id string) error
	// AuthCounter counts failed admin-token checks for the limit every
	// check goes through (see authlimit.go); AuthFailureLog reads their
	// aggregate records (model.ActionAuthFailed, one per client and
	// window), kept apart from the audit log, latest first.
	AuthCounter
	AuthFailureLog(ctx context.Context, limit int) ([]model.AuditRecord, error)
	// PollHistory returns a source's recent polls, newest first.
	PollHistory(ctx context.Context, id string, limit int) ([]model.PollRecord, error)
}

// adminAPI serves /api/v1/admin/…: source management for operators,
// behind a bearer token. Without a token configured every admin path
// answers 404, so an instance nobody set up exposes nothing. Every answer,
// refusals and unknown paths included, is JSON.
type adminAPI struct {
	admin Admin
	mux   *http.ServeMux
	s     *Server
}

// adminToken is the admin token as requests are checked against it: its
// hash (see tokenIs).
type adminToken struct {
	set  bool
	hash [sha256.Size]byte
}

// SetAdminToken replaces the admin token (a config reload): requests
// after it returns are checked against the new one by the admin API,
// /status, /api/v1/sources and a guarded /metrics. An empty token turns
// the admin API off and opens the operator pages, as at start.
func (s *Server) SetAdminToken(token string) {
	s.token.Store(&adminToken{set: token != "", hash: sha256.Sum256([]byte(token))})
}

// adminToken returns the current token (see SetAdminToken).
func (s *Server) adminToken() *adminToken {
	if t := s.token.Load(); t != nil {
		return t
	}
	return &adminToken{} // a Server not built by NewServer: no token
}

// adminPath is where the admin API lives; adminMethods are the methods
// the server's mux hands it (see Server.ServeHTTP for the others).
const adminPath = "/api/v1/admin/"

var adminMethods = []string{"GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}

func newAdminAPI(s *Server) *adminAPI {
	a := &adminAPI{admin: s.opts.Admin, s: s}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/v1/admin/sources", a.list)
	mux.HandleFunc("POST /api/v1/admin/sources", a.add)
	mux.HandleFunc("GET /api/v1/admin/sources/{id}", a.get)
	mux.HandleFunc("PATCH /api/v1/admin/sources/{id}", a.update)
	mux.HandleFunc("DELETE /api/v1/admin/sources/{id}", a.remove)
	mux.HandleFunc("POST /api/v1/admin/sources/{id}/pause", a.pause)
	mux.HandleFunc("POST /api/v1/admin/sources/{id}/resume", a.resume)
	mux.HandleFunc("POST /api/v1/admin/sources/{id}/poll", a.poll("source"))
	mux.HandleFunc("GET /api/v1/admin/sources/{id}/polls", a.polls)
	mux.HandleFunc("POST /api/v1/admin/sections/{id}/poll", a.poll("section"))
	mux.HandleFunc("POST /api/v1/admin/discover", a.discover)
	mux.HandleFunc("POST /api/v1/admin/preview", a.preview)
	mux.HandleFunc("GET /api/v1/admin/freshness", a.freshness)
	a.routeModeration(mux)
	a.routeReview(mux)
	a.mux = mux
	return a
}

func (a *adminAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	tok := a.s.adminToken()
	if a.admin == nil || !tok.set {
		writeAdminError(w, http.StatusNotFound, "", "the admin API is off: set admin.token (or TRIBUTARY_ADMIN_TOKEN) to turn it on")
		return
	}
	given, has := requestToken(r, false)
	switch chk := a.s.checkToken(r, "api", given, has); chk.verdict {
	case tokenLocked:
		a.s.refusals.refused(r, "admin API from a client locked out")
		writeTooManyJSON(w, chk.until, a.s.opts.Now())
		return
	case tokenAbsent, tokenWrong:
		// No realm details beyond the scheme: the caller either has the
		// token or not.
		w.Header().Set("WWW-Authenticate", `Bearer realm="tributary-admin"`)
		msg := "missing bearer token (Authorization: Bearer <admin.token>)"
		if r.Header.Get("Authorization") != "" {
			msg = "wrong or malformed bearer token"
		}
		a.s.refusals.refused(r, msg)
		writeAdminError(w, http.StatusUnauthorized, "", msg)
		return
	}
	if _, pattern := a.mux.Handler(r); pattern == "" {
		// The mux's own 404 and 405 are plain text; answer in JSON as
		// every other admin error is, keeping the mux's Allow header.
		a.mux.ServeHTTP(&jsonErrorWriter{ResponseWriter: w, r: r}, r)
		return
	}
	a.mux.ServeHTTP(w, r)
}

// jsonErrorWriter turns the plain-text error a ServeMux writes for an
// unknown path or method into the admin API's JSON error.
type jsonErrorWriter struct {
	http.ResponseWriter
	r       *http.Request
	written bool
}

func (j *jsonErrorWriter) WriteHeader(code int) {
	if j.written {
		return
	}
	j.written = true
	msg := fmt.Sprintf("no admin API endpoint %s", j.r.URL.Path)
	if code == http.StatusMethodNotAllowed {
		msg = fmt.Sprintf("method %s is not allowed on %s; allowed: %s", j.r.Method, j.r.URL.Path,
			strings.Join(j.Header().Values("Allow"), ", "))
	} else if code != http.StatusNotFound {
		msg = http.StatusText(code)
	}
	writeAdminError(j.ResponseWriter, code, "", msg)
}

func (j *jsonErrorWriter) Write(p []byte) (int, error) {
	if !j.written {
		j.WriteHeader(http.StatusOK)
	}
	return len(p), nil // the mux's text; the JSON is written
}

// operatorOnly guards what operators see about sources (/status,
// /api/v1/sources: URLs, errors, keys in URLs): once admin.token is set
// they need it too, as a bearer token or a Basic password so a browser can
// open the page. Without a token they stay public, as before the admin API
// existed.
//
// The token is read per request, so a reload that sets, changes or
// clears it applies at once (SetAdminToken).
func (s *Server) operatorOnly(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !s.adminToken().set {
			h(w, r)
			return
		}
		given, has := requestToken(r, true)
		switch chk := s.checkToken(r, "operator", given, has); chk.verdict {
		case tokenOK:
			h(w, r)
		case tokenLocked:
			s.refusals.refused(r, "operator page from a client locked out")
			writeTooManyText(w, chk.until, s.opts.Now())
		default:
			s.refusals.refused(r, "operator page without the admin token")
			w.Header().Set("WWW-Authenticate", `Basic realm="tributary operators", charset="UTF-8"`)
			writeText(w, http.StatusUnauthorized, "this page needs the admin token (Basic password or Bearer)")
		}
	}
}

func (a *adminAPI) list(w http.ResponseWriter, r *http.Request) {
	list, err := a.admin.Statuses(r.Context())
	if err != nil {
		a.fail(w, r, err)
		return
	}
	out := struct {
		Sources []sourceJSON `json:"sources"`
	}{Sources: make([]sourceJSON, 0, len(list))}
	for _, st := range list {
		out.Sources = append(out.Sources, toSourceJSON(st, a.s.opts.Now()))
	}
	writeAdminJSON(w, http.StatusOK, out)
}

func (a *adminAPI) get(w http.ResponseWriter, r *http.Request) {
	st, err := a.admin.Status(r.Context(), r.PathValue("id"))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	writeAdminJSON(w, http.StatusOK, toSourceJSON(st, a.s.opts.Now()))
}

func (a *adminAPI) add(w http.ResponseWriter, r *http.Request) {
	var req model.AddRequest
	if err := decodeAdminBody(w, r, &req); err != nil {
		writeAdminError(w, http.StatusBadRequest, "", err.Error())
		return
	}
	src, err := a.admin.Add(r.Context(), req)
	a.s.audit(r, "api", "source.add", cmp.Or(src.ID, req.ID, req.URL), err, req.URL)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	st, err := a.admin.Status(r.Context(), src.ID)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	a.s.log.Info("source added through the admin API", "source", src.ID, "url", src.URL, "sections", src.SectionIDs)
	w.Header().Set("Location", a.s.pathPrefix+"/api/v1/admin/sources/"+src.ID)
	writeAdminJSON(w, http.StatusCreated, toSourceJSON(st, a.s.opts.Now()))
}

// update edits a source (PATCH): the body is a model.UpdateRequest,
// unknown fields refused; the answer is the source's status, as GET
// gives it.
func (a *adminAPI) update(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	var req model.UpdateRequest
	if err := decodeAdminBody(w, r, &req); err != nil {
		writeAdminError(w, http.StatusBadRequest, "", err.Error())
		return
	}
	src, err := a.admin.Update(r.Context(), id, req)
	a.s.audit(r, "api", "source.update", id, err, updateDetail(req))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	a.s.log.Info("source edited through the admin API", "source", id, "changed", updateDetail(req), "sections", src.SectionIDs)
	a.get(w, r)
}

// remove deletes an API source; ?keep_entries=true keeps its entries in
// the sections it fed (by default they leave them).
func (a *adminAPI) remove(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	keep, err := keepEntriesParam(r)
	if err != nil {
		writeAdminError(w, http.StatusBadRequest, "keep_entries", err.Error())
		return
	}
	err = a.admin.Remove(r.Context(), id, keep)
	a.s.audit(r, "api", "source.remove", id, err, "keep_entries="+strconv.FormatBool(keep))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	a.s.log.Info("source removed through the admin API", "source", id, "keep_entries", keep)
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusNoContent)
}

func keepEntriesParam(r *http.Request) (bool, error) {
	q := r.URL.Query()
	if !q.Has("keep_entries") {
		return false, nil
	}
	keep, err := strconv.ParseBool(q.Get("keep_entries"))
	if err != nil {
		return false, fmt.Errorf("keep_entries must be true or false, got %q", q.Get("keep_entries"))
	}
	return keep, nil
}

// updateDetail names the fields an edit sets, for the audit log and the
// log line: "title, sections (keep_entries)".
func updateDetail(req model.UpdateRequest) string {
	fields := req.Fields()
	out := strings.Join(fields, ", ")
	if req.KeepEntries {
		out += " (keep_entries)"
	}
	return out
}

func (a *adminAPI) pause(w http.ResponseWriter, r *http.Request) {
	a.setPaused(w, r, a.admin.Pause, "paused", "source.pause")
}

func (a *adminAPI) resume(w http.ResponseWriter, r *http.Request) {
	a.setPaused(w, r, a.admin.Resume, "resumed", "source.resume")
}

func (a *adminAPI) setPaused(w http.ResponseWriter, r *http.Request, op func(context.Context, string) error, what, action string) {
	id := r.PathValue("id")
	err := op(r.Context(), id)
	a.s.audit(r, "api", action, id, err, "")
	if err != nil {
		a.fail(w, r, err)
		return
	}
	a.s.log.Info("source "+what+" through the admin API", "source", id)
	a.get(w, r)
}

func (a *adminAPI) poll(kind string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id := r.PathValue("id")
		ids, err := a.admin.RequestPoll(r.Context(), kind, id)
		a.s.audit(r, "api", kind+".poll", id, err, strings.Join(ids, " "))
		if err != nil {
			a.fail(w, r, err)
			return
		}
		writeAdminJSON(w, http.StatusAccepted, struct {
			Requested string   `json:"requested"`
			Sources   []string `json:"sources"`
		}{Requested: kind + " " + id, Sources: append([]string{}, ids...)})
	}
}

// fail maps the registry's refusals to 400/404/409 with their message;
// anything else is the store failing, logged and answered 503.
func (a *adminAPI) fail(w http.ResponseWriter, r *http.Request, err error) {
	var re *model.RequestError
	switch {
	case errors.As(err, &re) && errors.Is(err, model.ErrNotFound):
		writeAdminError(w, http.StatusNotFound, re.Field, re.Error())
	case errors.As(err, &re) && errors.Is(err, model.ErrConflict):
		writeAdminError(w, http.StatusConflict, re.Field, re.Error())
	case errors.As(err, &re):
		writeAdminError(w, http.StatusBadRequest, re.Field, re.Error())
	default:
		a.s.log.Error("admin API", "method", r.Method, "path", r.URL.Path, "err", err)
		writeAdminError(w, http.StatusServiceUnavailable, "", "store unavailable, try again later")
	}
}

// decodeAdminBody reads one JSON object, refusing unknown fields (a typo
// such as "section" for "sections" must not pass silently) and bodies over
// maxAdminBody.
func decodeAdminBody(w http.ResponseWriter, r *http.Request, v any) error {
	if ct := r.Header.Get("Content-Type"); ct != "" && !strings.HasPrefix(ct, "application/json") {
		return fmt.Errorf("body: Content-Type must be application/json, got %q", ct)
	}
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxAdminBody))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var mbe *http.MaxBytesError
		switch {
		case errors.As(err, &mbe):
			return fmt.Errorf("body: larger than %d bytes", maxAdminBody)
		case errors.Is(err, io.EOF):
			return errors.New("body: empty; send a JSON object")
		}
		return fmt.Errorf("body: %v", err)
	}
	if dec.More() {
		return errors.New("body: more than one JSON value")
	}
	return nil
}

func writeAdminJSON(w http.ResponseWriter, code int, v any) {
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		writeAdminError(w, http.StatusInternalServerError, "", "encode response: "+err.Error())
		return
	}
	writeAdminBytes(w, code, data)
}

func writeAdminError(w http.ResponseWriter, code int, field, msg string) {
	data, _ := json.Marshal(struct {
		Error string `json:"error"`
		Field string `json:"field,omitempty"`
	}{msg, field})
	writeAdminBytes(w, code, data)
}

// writeTooManyJSON refuses a client locked out by the limit of token
// checks, until until (see authFailLimit).
func writeTooManyJSON(w http.ResponseWriter, until, now time.Time) {
	secs := retryAfter(w, until, now)
	writeAdminError(w, http.StatusTooManyRequests, "",
		fmt.Sprintf("too many wrong admin tokens from this address: every token is refused for %d more seconds", secs))
}

// writeTooManyText is writeTooManyJSON for plain-text answers.
func writeTooManyText(w http.ResponseWriter, until, now time.Time) {
	secs := retryAfter(w, until, now)
	writeText(w, http.StatusTooManyRequests,
		fmt.Sprintf("too many wrong admin tokens from this address: every token is refused for %d more seconds", secs))
}

// writeAdminBytes sends one JSON document: never cached, never sniffed.
func writeAdminBytes(w http.ResponseWriter, code int, data []byte) {
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	_, _ = w.Write(append(data, '\n'))
}
