package publish

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/publish/i18n"
)

// Console page sizes: what an editor on duty scans at a glance.
const (
	consoleEntries = 50
	consolePolls   = 20
	consoleAudit   = 200
	maxAuditJSON   = 10_000
)

// timeView is a moment as the console shows it: in the configured zone
// with the zone named, relative to now, and machine-readable.
type timeView struct {
	Abs, Rel, ISO string
}

func (c *console) when(cr *consoleReq, t time.Time) timeView {
	if t.IsZero() {
		return timeView{}
	}
	return timeView{
		Abs: zonedTime(t, c.s.opts.Location),
		Rel: cr.text.Ago(t, cr.now), ISO: t.UTC().Format(time.RFC3339),
	}
}

// sourceRow is one source in the overview and on its own page.
type sourceRow struct {
	model.SourceStatus
	Name, StateWord                   string
	LastSuccess, LastAttempt, NextDue timeView
	Link                              string
	Editable                          bool
	// LastEntry is the newest entry's date in the site's zone ("" for
	// none), Silence how long ago, Stale whether that is past the
	// source's stale_after (see console_freshness.go).
	LastEntry, Silence string
	Stale              bool
}

func (c *console) sourceRow(cr *consoleReq, st model.SourceStatus) sourceRow {
	row := sourceRow{
		SourceStatus: st, Name: cmp.Or(st.Title, st.EffectiveURL, st.ConfiguredURL), StateWord: st.State(),
		LastSuccess: c.when(cr, st.LastSuccess), LastAttempt: c.when(cr, st.LastAttempt), NextDue: c.when(cr, st.NextDue),
		Link: c.path("/sources/" + st.ID), Editable: st.Origin == model.OriginAPI,
	}
	c.freshnessOf(cr, &row)
	return row
}

type overviewSection struct {
	ID, Title, Link string
	Entries         int64
	Sources         []sourceRow
	// Review is the section's review queue page ("" without review),
	// Pending how many entries wait in it.
	Review  string
	Pending int
}

type overviewView struct {
	Sections []overviewSection
	Counts   map[string]int
	// Stale counts the sources past their stale_after (see the
	// freshness report).
	Stale int
}

// handleOverview lists every section with its sources, failing first.
func (c *console) handleOverview(w http.ResponseWriter, r *http.Request, cr *consoleReq) {
	list, err := c.s.opts.Admin.Statuses(r.Context())
	if err != nil {
		c.fail(w, r, cr, err)
		return
	}
	sortStatuses(list, "state")
	v := overviewView{Counts: map[string]int{}}
	secs := c.s.cat().list
	sizes := c.sectionSizes(r, secs)
	pending := c.overviewPending(r)
	for _, sec := range secs {
		os := overviewSection{ID: sec.ID, Title: cmp.Or(sec.Title, sec.ID), Link: c.path("/sections/" + sec.ID), Entries: -1}
		if sec.Review {
			os.Review, os.Pending = c.reviewLink(sec.ID), pending[sec.ID]
		}
		if n, ok := sizes[sec.ID]; ok {
			os.Entries = n
		}
		for _, st := range list {
			if slices.Contains(st.SectionIDs, sec.ID) {
				os.Sources = append(os.Sources, c.sourceRow(cr, st))
			}
		}
		v.Sections = append(v.Sections, os)
	}
	for _, st := range list {
		v.Counts[st.State()]++
		if st.Freshness.Stale(cr.now) {
			v.Stale++
		}
	}
	c.render(w, r, cr, http.StatusOK, "overview", cr.text.T("overview.title"), v)
}

// sectionSizes are the sections' entry counts, or none when the reader
// cannot count them (the overview shows the sources' counts still).
func (c *console) sectionSizes(r *http.Request, secs []model.Section) map[string]int64 {
	if c.s.sizer == nil || len(secs) == 0 {
		return nil
	}
	ids := make([]string, len(secs))
	for i, sec := range secs {
		ids[i] = sec.ID
	}
	sizes, err := c.s.sizer.SectionSizes(r.Context(), ids)
	if err != nil {
		c.s.log.Warn("console: count section entries", "err", err)
		return nil
	}
	return sizes
}

// sectionChoice is a checkbox of the sections a source feeds.
type sectionChoice struct {
	ID, Title string
	Checked   bool
}

func (c *console) sectionChoices(checked []string) []sectionChoice {
	var out []sectionChoice
	for _, sec := range c.s.cat().list {
		out = append(out, sectionChoice{ID: sec.ID, Title: cmp.Or(sec.Title, sec.ID), Checked: slices.Contains(checked, sec.ID)})
	}
	return out
}

// sourceForm is the edit form's values (also the add form's).
type sourceForm struct {
	URL, ID, Title, Schedule, Timezone string
	Include, Exclude, TitleStrip       string // a pattern or label a line
	Sections                           []sectionChoice
	Scrape                             model.Scrape
	Fetch                              bool
	Selector, Remove                   string
	MaxPerPoll                         string
	// Errors are messages by field ("url", "sections", …; "" for the
	// form as a whole).
	Errors map[string]msgView
	// ScrapeOpen shows the selector fields unfolded: they hold a block,
	// a message, or a guess to check.
	ScrapeOpen bool
}

// scrapeInput is one selector field of the form.
type scrapeInput struct {
	Key, Value string
	Error      msgView
}

// MoreOpen reports that the add form's folded settings hold a value or
// a message, so they show unfolded.
func (f sourceForm) MoreOpen() bool {
	for _, k := range []string{"id", "schedule", "timezone", "include", "exclude", "title_strip"} {
		if f.Errors[k].Text != "" {
			return true
		}
	}
	return f.ID != "" || f.Schedule != "" || f.Timezone != "" || strings.TrimSpace(f.Include+f.Exclude+f.TitleStrip) != ""
}

// ScrapeInputs are the form's selector fields, each with its message.
func (f sourceForm) ScrapeInputs() []scrapeInput {
	var out []scrapeInput
	for _, sf := range scrapeFields(f.Scrape) {
		out = append(out, scrapeInput{Key: sf.key, Value: sf.value, Error: f.Errors["scrape."+sf.key]})
	}
	return out
}

func (c *console) formOf(src model.Source) sourceForm {
	f := sourceForm{URL: src.URL, ID: src.ID, Title: src.Title, Schedule: src.Schedule,
		Include: strings.Join(src.Include, "\n"), Exclude: strings.Join(src.Exclude, "\n"), TitleStrip: strings.Join(src.TitleStrip, "\n"),
		Sections: c.sectionChoices(src.SectionIDs)}
	if src.Location != nil && src.Location != time.UTC {
		f.Timezone = src.Location.String()
	}
	if src.Scrape != nil {
		f.Scrape, f.ScrapeOpen = *src.Scrape, true
	}
	if ct := src.Content; ct != nil {
		f.Fetch, f.Selector, f.Remove = ct.Fetch, ct.Selector, strings.Join(ct.Remove, "\n")
		if ct.MaxPerPoll > 0 {
			f.MaxPerPoll = strconv.Itoa(ct.MaxPerPoll)
		}
	}
	return f
}

type pollRow struct {
	model.PollRecord
	At   timeView
	Took string
}

type sourceView struct {
	Source    sourceRow
	Form      sourceForm
	Polls     []pollRow
	PollsErr  string
	Effective string
	Dates     string
	Articles  string
	// Detected are the selectors detection chose for the source's list
	// page; Warnings what its last read gave to check.
	Detected []selectorView
	Warnings []msgView
}

// handleSource shows a source: its state, recent polls and the forms that
// act on it.
func (c *console) handleSource(w http.ResponseWriter, r *http.Request, cr *consoleReq) {
	id := r.PathValue("id")
	st, err := c.s.opts.Admin.Status(r.Context(), id)
	if err != nil {
		c.fail(w, r, cr, err)
		return
	}
	c.sourcePage(w, r, cr, http.StatusOK, st, nil)
}

// sourcePage renders a source's page; form, when set, is an edit that
// was refused, shown again with its errors.
func (c *console) sourcePage(w http.ResponseWriter, r *http.Request, cr *consoleReq, code int, st model.SourceStatus, form *sourceForm) {
	v := sourceView{Source: c.sourceRow(cr, st)}
	if form != nil {
		v.Form = *form
	} else {
		v.Form = c.editForm(st)
	}
	if st.EffectiveURL != "" && st.EffectiveURL != st.ConfiguredURL {
		v.Effective = st.EffectiveURL
	}
	if d := st.DateIssues; d.Undated+d.Future > 0 {
		v.Dates = cr.text.F("source.dates", d.Undated, d.Future)
		if d.Example != "" {
			v.Dates += "; " + cr.text.F("source.example", d.Example)
		}
	}
	if a := st.Articles; a != nil {
		v.Articles = articlesText(cr.text, *a)
	}
	if st.Detected != nil {
		v.Detected = selectorViews(cr, *st.Detected)
	}
	for _, w := range st.Warnings {
		v.Warnings = append(v.Warnings, warningMessage(cr.text, w, -1))
	}
	polls, err := c.s.opts.Admin.PollHistory(r.Context(), st.ID, consolePolls)
	if err != nil {
		v.PollsErr = c.softError(r, cr, err)
	}
	for _, p := range polls {
		v.Polls = append(v.Polls, pollRow{PollRecord: p, At: c.when(cr, p.Time), Took: p.Duration.Round(time.Millisecond).String()})
	}
	c.render(w, r, cr, code, "source", v.Source.Name, v)
}

// articlesText words a source's article fetching in the page's
// language (model.ArticleStatus.String is the English of it); the last
// failure's reason stays as the fetch gave it.
func articlesText(l i18n.Lang, a model.ArticleStatus) string {
	return articleCounts(l, "source.articles.", a)
}

// softError is the text shown in place of a part of a page that could
// not be read; the rest of the page still shows.
func (c *console) softError(r *http.Request, cr *consoleReq, err error) string {
	var re *model.RequestError
	if errors.As(err, &re) {
		return re.Error()
	}
	c.s.log.Warn("console: part of a page unavailable", "path", r.URL.Path, "err", err)
	return cr.text.F("err.pending", err.Error())
}

// editForm is the edit form of a source as its page shows it: the
// configured values, the sections it feeds now, and the feed's own title
// where the source has none. An edit is compared with this form, so a
// field submitted as shown is left as it is.
func (c *console) editForm(st model.SourceStatus) sourceForm {
	src, _ := c.catalogSource(st.ID)
	src.SectionIDs = st.SectionIDs
	f := c.formOf(src)
	f.Title = cmp.Or(src.Title, st.Title)
	return f
}

// catalogSource is the configured source id (its filters, scrape: and
// content: rules, which the status does not carry).
func (c *console) catalogSource(id string) (model.Source, bool) {
	for _, src := range c.s.cat().sources {
		if src.ID == id {
			return src, true
		}
	}
	return model.Source{ID: id}, false
}

// auditRecords reads up to limit records of the audit log and of the
// aggregates of failed token checks (kept apart, see
// Admin.AuthFailureLog), merged newest first.
func (c *console) auditRecords(ctx context.Context, limit int) ([]model.AuditRecord, error) {
	recs, err := c.s.opts.Admin.AuditLog(ctx, limit)
	if err != nil {
		return nil, err
	}
	fails, err := c.s.opts.Admin.AuthFailureLog(ctx, limit)
	if err != nil {
		return nil, err
	}
	out := append(slices.Clip(recs), fails...)
	slices.SortStableFunc(out, func(a, b model.AuditRecord) int { return b.Time.Compare(a.Time) })
	return out[:min(len(out), limit)], nil
}

// handleAuditJSON serves the audit log as JSON to a signed-in browser or
// to a script with the admin token as a bearer token (under the limit of
// wrong tokens); ?limit=N (default 100, at most 10000).
func (c *console) handleAuditJSON(w http.ResponseWriter, r *http.Request) {
	if !c.auditAllowed(w, r) {
		return
	}
	limit := 100
	if q := r.URL.Query().Get("limit"); q != "" {
		n, err := strconv.Atoi(q)
		if err != nil || n < 1 || n > maxAuditJSON {
			writeAdminError(w, http.StatusBadRequest, "limit", "limit: must be an integer between 1 and "+strconv.Itoa(maxAuditJSON))
			return
		}
		limit = n
	}
	recs, err := c.auditRecords(r.Context(), limit)
	if err != nil {
		code, msg := c.errorStatus(r, err)
		writeAdminError(w, code, "", msg)
		return
	}
	if recs == nil {
		recs = []model.AuditRecord{}
	}
	data, err := json.MarshalIndent(struct {
		Records []model.AuditRecord `json:"records"`
	}{recs}, "", "  ")
	if err != nil {
		writeAdminError(w, http.StatusInternalServerError, "", "encode audit log: "+err.Error())
		return
	}
	writeAdminBytes(w, http.StatusOK, data)
}

// auditAllowed lets a signed-in browser or the admin token read the audit
// log; otherwise it answers 401, or 429 to a client locked out.
func (c *console) auditAllowed(w http.ResponseWriter, r *http.Request) bool {
	return c.readAllowed(w, r, "audit log")
}

// readAllowed lets a signed-in browser or the admin token read what (the
// audit log, the freshness report) outside a console page; otherwise it
// answers 401, or 429 to a client locked out. Token checks count against
// the limit of wrong tokens as every other does (via "audit").
func (c *console) readAllowed(w http.ResponseWriter, r *http.Request, what string) bool {
	if _, ok := c.session(w, r); ok {
		return true
	}
	given, has := requestToken(r, false)
	switch chk := c.s.checkToken(r, "audit", given, has); chk.verdict {
	case tokenOK:
		return true
	case tokenLocked:
		c.s.refusals.refused(r, what+" from a client locked out")
		writeTooManyJSON(w, chk.until, c.s.opts.Now())
	default:
		c.s.refusals.refused(r, what+" without a session or the admin token")
		writeAdminError(w, http.StatusUnauthorized, "", "sign in at /admin/signin, or send Authorization: Bearer <admin.token>")
	}
	return false
}
