package publish

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/tributary-rss/tributary/aggregator/model"
)

// auditTimeout bounds the audit write of one action: the action is done
// already, and a slow store must not hold its answer for long.
const auditTimeout = 2 * time.Second

// EntryTitler is the part of an Admin that names an entry by its stored
// title. The registry is one; an Admin without it has entry actions
// audited by id alone.
type EntryTitler interface {
	EntryTitle(ctx context.Context, id string) (string, error)
}

// audit records an admin action in the audit log: what (action, target),
// who (the client's address), through what (via: "api" or "console"),
// how it ended ("ok" or err's message) and detail (the fields an edit
// set, …). An entry action ("entry.pin", target "section/entry") also
// records the entry's title, read now, so the log names the entry after
// it has aged out. A failure to record is logged at debug level and
// otherwise ignored: the action itself succeeded or failed on its own,
// and the log line of the action stays.
func (s *Server) audit(r *http.Request, via, action, target string, err error, detail string) {
	if s.opts.Admin == nil {
		return
	}
	rec := model.AuditRecord{
		Time: s.opts.Now().UTC(), Action: action, Target: target, Client: s.clientIP(r), Via: via,
		Result: "ok", Detail: detail,
	}
	if err != nil {
		rec.Result = err.Error()
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), auditTimeout)
	defer cancel()
	rec.Title = s.auditTitle(ctx, action, target)
	if aerr := s.opts.Admin.Audit(ctx, rec); aerr != nil {
		s.log.Debug("audit record not written", "action", action, "target", target, "err", aerr)
	}
}

// auditTitle is the title of the entry an entry action is about ("" for
// other actions, an entry not stored, or an Admin that cannot tell).
func (s *Server) auditTitle(ctx context.Context, action, target string) string {
	t, ok := s.opts.Admin.(EntryTitler)
	if !ok || !strings.HasPrefix(action, "entry.") {
		return ""
	}
	_, eid, found := strings.Cut(target, "/")
	if !found || !isLowerHex(eid) {
		return ""
	}
	title, err := t.EntryTitle(ctx, eid)
	if err != nil {
		s.log.Debug("audit: entry title not read", "entry", eid, "err", err)
		return ""
	}
	return title
}
