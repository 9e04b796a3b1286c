package publish

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/tributary-rss/tributary/aggregator/model"
)

// consoleAdmin is an Admin in memory for the console's tests: sessions,
// failure counts and the audit log are kept as a store would, and every
// call that changes something is recorded, so a test can prove a refused
// form changed nothing.
type consoleAdmin struct {
	mu       sync.Mutex
	statuses []model.SourceStatus
	sessions map[string]model.Session
	// now is the clock of the windows of failed token checks; failures
	// are their counts, with their aggregate records.
	now      func() time.Time
	failures map[string]*fakeFailures
	// authDown, when set, is the answer of the count of failed token
	// checks (a store that does not answer).
	authDown error
	audit    []model.AuditRecord
	// aggregates are the records of failed token checks, one per client
	// and window.
	aggregates []*model.AuditRecord
	mod        model.SectionModeration
	polls      []model.PollRecord
	// calls lists the changing calls: "pause s1", "moderate news/e1 pin", ….
	calls  []string
	modReq []model.ModerationRequest
	upd    []model.UpdateRequest
	// addErr, when set, is Add's answer.
	addErr error
	// adds and previews are the requests Add and Preview were given.
	adds, previews []model.AddRequest
	// discovery and preview, when set, are the answers of Discover and
	// Preview (for the URL asked); discoverErr refuses discoveries.
	discovery   *model.Discovery
	preview     *model.Preview
	discoverErr error
}

func newConsoleAdmin(statuses ...model.SourceStatus) *consoleAdmin {
	return &consoleAdmin{statuses: statuses, sessions: map[string]model.Session{}, failures: map[string]*fakeFailures{}, now: time.Now}
}

func (a *consoleAdmin) call(format string, args ...any) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.calls = append(a.calls, fmt.Sprintf(format, args...))
}

// changes returns the changing calls so far.
func (a *consoleAdmin) changes() []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return slices.Clone(a.calls)
}

func (a *consoleAdmin) records() []model.AuditRecord {
	a.mu.Lock()
	defer a.mu.Unlock()
	return slices.Clone(a.audit)
}

func notFoundErr(what string) error {
	return &model.RequestError{Kind: model.ErrNotFound, Msg: "no source " + fmt.Sprintf("%q", what)}
}

func (a *consoleAdmin) Statuses(context.Context) ([]model.SourceStatus, error) {
	return slices.Clone(a.statuses), nil
}

func (a *consoleAdmin) Status(_ context.Context, id string) (model.SourceStatus, error) {
	for _, st := range a.statuses {
		if st.ID == id {
			return st, nil
		}
	}
	return model.SourceStatus{}, notFoundErr(id)
}

func (a *consoleAdmin) Add(_ context.Context, req model.AddRequest) (model.Source, error) {
	a.call("add %s %v", req.URL, req.Sections)
	a.mu.Lock()
	a.adds = append(a.adds, req)
	a.mu.Unlock()
	if a.addErr != nil {
		return model.Source{}, a.addErr
	}
	return model.Source{ID: "new1", URL: req.URL, SectionIDs: req.Sections}, nil
}

func (a *consoleAdmin) Remove(_ context.Context, id string, keep bool) error {
	a.call("remove %s keep=%v", id, keep)
	return nil
}

func (a *consoleAdmin) Pause(_ context.Context, id string) error {
	a.call("pause %s", id)
	return nil
}

func (a *consoleAdmin) Resume(_ context.Context, id string) error {
	a.call("resume %s", id)
	return nil
}

func (a *consoleAdmin) RequestPoll(_ context.Context, kind, id string) ([]string, error) {
	a.call("poll %s %s", kind, id)
	return []string{id}, nil
}

func (a *consoleAdmin) Discover(_ context.Context, url string) (model.Discovery, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.discoverErr != nil {
		return model.Discovery{}, a.discoverErr
	}
	if a.discovery != nil {
		d := *a.discovery
		d.URL = url
		return d, nil
	}
	return model.Discovery{URL: url, Feeds: []model.FeedLink{{URL: url + "/feed.xml", Type: "rss", Title: "<b>Feed</b>"}}, Lists: []model.ListCandidate{}}, nil
}

func (a *consoleAdmin) Preview(_ context.Context, req model.AddRequest) (model.Preview, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.previews = append(a.previews, req)
	if a.preview != nil {
		p := *a.preview
		p.URL = req.URL
		return p, nil
	}
	return model.Preview{URL: req.URL, Title: "Preview", Entries: []model.PreviewEntry{{ID: "p1", Title: "<img src=x onerror=alert(1)>", NoDate: true}},
		Skipped: []model.PreviewSkip{}, Warnings: []model.ListWarning{}}, nil
}

// requests returns the requests Add and Preview were given so far.
func (a *consoleAdmin) requests() (adds, previews []model.AddRequest) {
	a.mu.Lock()
	defer a.mu.Unlock()
	return slices.Clone(a.adds), slices.Clone(a.previews)
}

func (a *consoleAdmin) Update(_ context.Context, id string, req model.UpdateRequest) (model.Source, error) {
	a.call("update %s", id)
	a.mu.Lock()
	a.upd = append(a.upd, req)
	a.mu.Unlock()
	if req.Schedule != nil && *req.Schedule == "bad" {
		return model.Source{}, &model.RequestError{Kind: model.ErrInvalid, Field: "schedule", Msg: `"bad" is not a cron spec`}
	}
	return model.Source{ID: id}, nil
}

func (a *consoleAdmin) Moderate(_ context.Context, req model.ModerationRequest) error {
	a.call("moderate %s/%s %s", req.SectionID, req.EntryID, req.Action)
	a.mu.Lock()
	a.modReq = append(a.modReq, req)
	a.mu.Unlock()
	return nil
}

func (a *consoleAdmin) Moderation(context.Context, string) (model.SectionModeration, error) {
	return a.mod, nil
}

func (a *consoleAdmin) Audit(_ context.Context, rec model.AuditRecord) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.audit = append([]model.AuditRecord{rec}, a.audit...)
	return nil
}

func (a *consoleAdmin) AuditLog(_ context.Context, limit int) ([]model.AuditRecord, error) {
	recs := a.records()
	if len(recs) > limit {
		recs = recs[:limit]
	}
	return recs, nil
}

func (a *consoleAdmin) SaveSession(_ context.Context, s model.Session) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.sessions[s.ID] = s
	return nil
}

func (a *consoleAdmin) LoadSession(_ context.Context, id string) (model.Session, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	s, ok := a.sessions[id]
	if !ok {
		return model.Session{}, &model.RequestError{Kind: model.ErrNotFound, Msg: "no such session"}
	}
	return s, nil
}

func (a *consoleAdmin) DeleteSession(_ context.Context, id string) error {
	a.call("signout")
	a.mu.Lock()
	defer a.mu.Unlock()
	delete(a.sessions, id)
	return nil
}

// fakeFailures is a client's count in its window and the aggregate
// record of that window, as the store keeps them.
type fakeFailures struct {
	n     int
	until time.Time
	rec   model.AuditRecord
}

// live returns client's count if its window has not ended.
func (a *consoleAdmin) live(client string) *fakeFailures {
	f := a.failures[client]
	if f == nil || !a.now().Before(f.until) {
		return nil
	}
	return f
}

func (a *consoleAdmin) AuthFailed(_ context.Context, fail model.AuthFailure, window time.Duration) (int, time.Duration, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.authDown != nil {
		return 0, 0, a.authDown
	}
	f := a.live(fail.Client)
	if f == nil {
		f = &fakeFailures{until: a.now().Add(window), rec: model.AuditRecord{Action: model.ActionAuthFailed,
			Client: fail.Client, Via: fail.Via, Result: "wrong token", First: fail.Time}}
		a.failures[fail.Client] = f
		a.aggregates = append(a.aggregates, &f.rec)
	}
	f.n++
	f.rec.Count, f.rec.Time = f.n, fail.Time
	if !slices.Contains(strings.Split(f.rec.Via, ","), fail.Via) {
		f.rec.Via += "," + fail.Via
	}
	return f.n, f.until.Sub(a.now()), nil
}

func (a *consoleAdmin) AuthFailures(_ context.Context, client string) (int, time.Duration, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.authDown != nil {
		return 0, 0, a.authDown
	}
	f := a.live(client)
	if f == nil {
		return 0, 0, nil
	}
	return f.n, f.until.Sub(a.now()), nil
}

func (a *consoleAdmin) AuthFailureLog(_ context.Context, limit int) ([]model.AuditRecord, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	var out []model.AuditRecord
	for _, rec := range a.aggregates {
		out = append(out, *rec)
	}
	slices.SortStableFunc(out, func(x, y model.AuditRecord) int { return y.Time.Compare(x.Time) })
	return out[:min(len(out), limit)], nil
}

func (a *consoleAdmin) PollHistory(context.Context, string, int) ([]model.PollRecord, error) {
	return a.polls, nil
}
