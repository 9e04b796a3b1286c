package publish

import (
	"context"
	"net/http"
	"time"

	"github.com/tributary-rss/tributary/aggregator/model"
)

// auditTimeout bounds the audit write of one action: the action is done
// already, and a slow store must not hold its answer for long.
const auditTimeout = 2 * time.Second

// audit records an admin action in the audit log: what (action, target),
// who (the client's address), through what (via: "api" or "console"),
// how it ended ("ok" or err's message) and detail (the fields an edit
// set, …). A failure to record is logged at debug level and otherwise
// ignored: the action itself succeeded or failed on its own, and the log
// line of the action stays.
func (s *Server) audit(r *http.Request, via, action, target string, err error, detail string) {
	if s.opts.Admin == nil {
		return
	}
	rec := model.AuditRecord{
		Time: time.Now().UTC(), Action: action, Target: target, Client: s.clientIP(r), Via: via,
		Result: "ok", Detail: detail,
	}
	if err != nil {
		rec.Result = err.Error()
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), auditTimeout)
	defer cancel()
	if aerr := s.opts.Admin.Audit(ctx, rec); aerr != nil {
		s.log.Debug("audit record not written", "action", action, "target", target, "err", aerr)
	}
}
