package publish

import (
	"net/http"
	"strings"
	"time"

	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/publish/i18n"
)

// auditRow is a record of the audit log as the console shows it: the
// action named in the page's language, an entry action's entry by its
// title, times in the site's zone.
type auditRow struct {
	model.AuditRecord
	// At is the record's time; From the first failure of an aggregate
	// of failed token checks.
	At, From timeView
	// ActionName is the action in the page's language (the machine
	// name when the catalog has none); ViaName the surface's.
	ActionName, ViaName string
	// Section is the section an entry or section action was about, and
	// SectionLink its console page; Entry the entry's id. Target is
	// shown as recorded for other actions.
	Section, SectionLink, Entry string
	// Result is "ok" in the page's language, else the refusal.
	Result string
	// Until is a pin's expiry from the record's detail, in the site's
	// zone; Detail what else the detail says.
	Until  timeView
	Detail string
}

type auditView struct {
	Records []auditRow
	Err     string
	JSON    string
}

func (c *console) handleAudit(w http.ResponseWriter, r *http.Request, cr *consoleReq) {
	v := auditView{JSON: c.path("/audit.json")}
	recs, err := c.auditRecords(r.Context(), consoleAudit)
	if err != nil {
		v.Err = c.softError(r, cr, err)
	}
	for _, rec := range recs {
		v.Records = append(v.Records, c.auditRow(cr, rec))
	}
	c.render(w, r, cr, http.StatusOK, "audit", cr.text.T("audit.title"), v)
}

func (c *console) auditRow(cr *consoleReq, rec model.AuditRecord) auditRow {
	row := auditRow{AuditRecord: rec, At: c.when(cr, rec.Time), From: c.when(cr, rec.First),
		ActionName: catalogOr(cr.text, "audit.action."+rec.Action, rec.Action),
		ViaName:    catalogOr(cr.text, "audit.via."+rec.Via, rec.Via),
		Result:     rec.Result, Detail: rec.Detail}
	if rec.Result == "ok" {
		row.Result = cr.text.T("result.ok")
	}
	switch {
	case strings.HasPrefix(rec.Action, "entry."):
		if sid, eid, ok := strings.Cut(rec.Target, "/"); ok {
			row.Section, row.Entry = sid, eid
		}
	case strings.HasPrefix(rec.Action, "section."):
		row.Section = rec.Target
	}
	if row.Section != "" {
		if _, ok := c.s.cat().sections[row.Section]; ok {
			row.SectionLink = c.path("/sections/" + row.Section)
		}
	}
	// A pin's detail is "until <RFC 3339 in UTC>": shown as the other
	// times of the page are.
	if raw, ok := strings.CutPrefix(rec.Detail, "until "); ok {
		if t, err := time.Parse(time.RFC3339, raw); err == nil {
			row.Until, row.Detail = c.when(cr, t), ""
		}
	}
	return row
}

// catalogOr is key's string, or fallback when the catalog has none.
func catalogOr(l i18n.Lang, key, fallback string) string {
	if s, ok := i18n.Lookup(string(l), key); ok {
		return s
	}
	return fallback
}
