package publish

import (
	"cmp"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/publish/i18n"
)

// statusStates are the states /status filters by (?state=), in the order
// its links show them.
var statusStates = []string{model.StateFailing, model.StateOK, model.StatePaused, model.StateGone, model.StatePending}

// statusQuery is what a /status request asks for. Empty state or section
// means all; lang is set only when the request named one, so links carry
// it on and never pin a language Accept-Language chose.
type statusQuery struct {
	sort, state, section, lang string
	// ui is the language the page is shown in.
	ui string
	// path is the page's own root-relative path, which links repeat.
	path string
}

func (s *Server) parseStatusQuery(r *http.Request, c *catalog) (statusQuery, error) {
	v := r.URL.Query()
	q := statusQuery{sort: cmp.Or(v.Get("sort"), statusSorts[0]), state: v.Get("state"), section: v.Get("section"),
		path: s.pathPrefix + "/status"}
	if !slices.Contains(statusSorts, q.sort) {
		return q, queryError("sort", "must be one of "+strings.Join(statusSorts, ", "))
	}
	if q.state != "" && !slices.Contains(statusStates, q.state) {
		return q, queryError("state", "must be one of "+strings.Join(statusStates, ", "))
	}
	if _, ok := c.sections[q.section]; q.section != "" && !ok {
		return q, queryError("section", fmt.Sprintf("%q is not a configured section", q.section))
	}
	var err error
	if q.ui, err = embedLang(v, s.uiLang(r)); err != nil {
		return q, err
	}
	if v.Has("lang") {
		q.lang = q.ui
	}
	return q, nil
}

// with returns q with one parameter changed, for a link.
func (q statusQuery) with(name, value string) statusQuery {
	switch name {
	case "sort":
		q.sort = value
	case "state":
		q.state = value
	case "section":
		q.section = value
	case "lang":
		q.lang = value
	}
	return q
}

// href is the root-relative link to the page q asks for; the default sort
// is left out so the plain page keeps its plain URL.
func (q statusQuery) href() string {
	v := url.Values{}
	if q.sort != statusSorts[0] {
		v.Set("sort", q.sort)
	}
	for name, val := range map[string]string{"state": q.state, "section": q.section, "lang": q.lang} {
		if val != "" {
			v.Set(name, val)
		}
	}
	if len(v) == 0 {
		return q.path
	}
	return q.path + "?" + v.Encode()
}

// statusLink is one choice in the page's filter, sort or language bars.
type statusLink struct {
	Label, Href string
	// Count is shown when HasCount (a filter): how many sources it lists.
	Count    int
	HasCount bool
	Current  bool
	// Class styles a state link like the state.
	Class string
}

// statusColumn is a table header; Href is set on the columns ?sort= can
// order by, AriaSort on the one it does.
type statusColumn struct {
	Label, Href, AriaSort string
}

// statusTime is a moment shown with its zone and relative to now;
// RFC3339 is empty when the moment is unknown.
type statusTime struct {
	Date, Clock, Relative, RFC3339 string
}

// statusSection is a section a source feeds, linked to the page filtered
// by it.
type statusSection struct {
	ID, Title, Href string
}

// statusRow is one source on the /status page, every text ready to
// escape.
type statusRow struct {
	ID, State, StateName, Name, ConfiguredURL string
	// Effective is where the source is fetched from when that is not
	// ConfiguredURL, and EffectiveWhy says why.
	Effective, EffectiveWhy string
	Notes                   []string
	// Warnings are the last list page's, for an editor to check.
	Warnings                []string
	DateIssues              []dateIssue
	Sections                []statusSection
	LastAttempt             statusTime
	LastSuccess             statusTime
	NextDue                 statusTime
	LastStatus, ErrorsInRow int
	LastError               string
	Entries                 int64
	// Stale is set past the source's stale_after; Silence then says for
	// how long it has published nothing ("40 天未更新").
	Stale   bool
	Silence string
}

type statusView struct {
	L                                     i18n.Lang
	Stylesheet, StatusCSS, API, Generator string
	// Ready is "ok" (status.ready.ok) or why /readyz fails: the detail
	// /readyz itself keeps from its public callers.
	Ready, Summary string
	Now            statusTime
	Langs          []statusLink
	States         []statusLink
	Sections       []statusLink
	Sorts          []statusLink
	Columns        []statusColumn
	Rows           []statusRow
	// Empty is shown instead of rows when there are none.
	Empty string
}

// statusView builds the page of list (already sorted) for q. Counts are
// facets: the state links count the sources of the chosen section, the
// section links those of the chosen state, so each link says how many
// rows it would show.
func (s *Server) statusView(q statusQuery, c *catalog, list []model.SourceStatus, ready error) statusView {
	l := i18n.Lang(q.ui)
	now := s.opts.Now()
	v := statusView{
		L: l, Ready: l.T("status.ready.ok"),
		Stylesheet: s.pathPrefix + "/static/style.css", StatusCSS: s.pathPrefix + "/static/status.css",
		API: s.pathPrefix + "/api/v1/sources", Generator: feedData{Version: s.opts.Version}.generator(),
		Now: s.statusTime(l, now, now),
	}
	if ready != nil {
		v.Ready = l.T("status.notready") + ready.Error()
	}
	stateCount, sectionCount := map[string]int{}, map[string]int{}
	inSection, inState := 0, 0
	for _, st := range list {
		state := st.State()
		if q.section == "" || slices.Contains(st.SectionIDs, q.section) {
			stateCount[state]++
			inSection++
		}
		if q.state == "" || q.state == state {
			inState++
			for _, id := range st.SectionIDs {
				sectionCount[id]++
			}
		}
		if (q.state == "" || q.state == state) && (q.section == "" || slices.Contains(st.SectionIDs, q.section)) {
			v.Rows = append(v.Rows, s.statusRow(l, q, c, st, now))
		}
	}
	v.Summary = statusSummary(l, len(v.Rows), len(list))
	v.States = append(v.States, statusLink{Label: l.T("status.all"), Href: q.with("state", "").href(), Count: inSection, HasCount: true, Current: q.state == ""})
	for _, state := range statusStates {
		v.States = append(v.States, statusLink{Label: l.State(state), Href: q.with("state", state).href(),
			Count: stateCount[state], HasCount: true, Current: q.state == state, Class: "state-" + state})
	}
	v.Sections = append(v.Sections, statusLink{Label: l.T("status.all"), Href: q.with("section", "").href(), Count: inState, HasCount: true, Current: q.section == ""})
	for _, sec := range c.list {
		v.Sections = append(v.Sections, statusLink{Label: sectionLabel(sec), Href: q.with("section", sec.ID).href(),
			Count: sectionCount[sec.ID], HasCount: true, Current: q.section == sec.ID})
	}
	for _, key := range statusSorts {
		v.Sorts = append(v.Sorts, statusLink{Label: l.T("status.sort." + key), Href: q.with("sort", key).href(), Current: q.sort == key})
	}
	v.Langs = []statusLink{
		{Label: "中文", Href: q.with("lang", i18n.ZH).href(), Current: q.ui == i18n.ZH},
		{Label: "English", Href: q.with("lang", i18n.EN).href(), Current: q.ui == i18n.EN},
	}
	v.Columns = statusColumns(l, q)
	switch {
	case len(list) == 0:
		v.Empty = l.T("status.nosources")
	case len(v.Rows) == 0:
		v.Empty = l.T("status.nomatch")
	}
	return v
}

// statusColumns are the table's headers; the sortable ones link to their
// order, and aria-sort tells which one is in force.
func statusColumns(l i18n.Lang, q statusQuery) []statusColumn {
	col := func(label, key, dir string) statusColumn {
		c := statusColumn{Label: label}
		if key != "" {
			c.Href = q.with("sort", key).href()
			if q.sort == key {
				c.AriaSort = dir
			}
		}
		return c
	}
	return []statusColumn{
		col(l.T("col.state"), "state", "ascending"), col(l.T("col.source"), "name", "ascending"), col(l.T("col.sections"), "", ""),
		col(l.T("col.lastattempt"), "", ""), col(l.T("col.lastsuccess"), "", ""), col(l.T("status.http"), "", ""),
		col(l.T("col.errors"), "errors", "descending"), col(l.T("col.lasterror"), "", ""),
		col(l.T("col.nextdue"), "next_due", "ascending"), col(l.T("col.entries"), "entries", "descending"),
	}
}

// sectionLabel names a section by its title with its id, or by its id
// alone when it has no title.
func sectionLabel(sec model.Section) string {
	if sec.Title == "" || sec.Title == sec.ID {
		return sec.ID
	}
	return sec.Title + " (" + sec.ID + ")"
}

func (s *Server) statusRow(l i18n.Lang, q statusQuery, c *catalog, st model.SourceStatus, now time.Time) statusRow {
	row := statusRow{
		ID: st.ID, State: st.State(), Name: cmp.Or(st.Title, st.ConfiguredURL), ConfiguredURL: st.ConfiguredURL,
		LastStatus: st.LastStatus, ErrorsInRow: st.ErrorsInRow, LastError: st.LastError, Entries: st.Entries,
		LastAttempt: s.statusTime(l, st.LastAttempt, now), LastSuccess: s.statusTime(l, st.LastSuccess, now),
		NextDue:    s.statusTime(l, st.NextDue, now),
		DateIssues: statusDateIssues(l, st.DateIssues),
	}
	row.StateName = l.State(row.State)
	if row.Stale = st.Freshness.Stale(now); row.Stale {
		days, hasEntry := st.Freshness.DaysSinceLastEntry(now)
		row.Silence = statusSilence(l, days, hasEntry)
	}
	if st.EffectiveURL != "" && st.EffectiveURL != st.ConfiguredURL {
		row.Effective, row.EffectiveWhy = st.EffectiveURL, statusRedirect(l, st.Discovered)
	}
	if st.Detected != nil {
		row.Notes = append(row.Notes, l.F("status.detected", st.Detected.Items))
	}
	if st.Skipped > 0 {
		row.Notes = append(row.Notes, l.N("status.skipped", st.Skipped, st.Skipped))
	}
	for _, w := range st.Warnings {
		row.Warnings = append(row.Warnings, statusWarning(l, w))
	}
	if st.Articles != nil {
		row.Notes = append(row.Notes, statusArticles(l, *st.Articles))
	}
	for _, id := range st.SectionIDs {
		sec, ok := c.sections[id]
		if !ok {
			sec = model.Section{ID: id}
		}
		row.Sections = append(row.Sections, statusSection{ID: id, Title: sectionLabel(sec), Href: q.with("section", id).href()})
	}
	return row
}

// statusTime shows at in the configured zone and relative to now; a zero
// time is unknown and shown as a dash.
func (s *Server) statusTime(l i18n.Lang, at, now time.Time) statusTime {
	if at.IsZero() {
		return statusTime{}
	}
	date, clock := zonedParts(at, s.opts.Location)
	return statusTime{
		Date: date, Clock: clock, Relative: i18n.Relative(string(l), at, now),
		RFC3339: at.In(s.opts.Location).Format(time.RFC3339),
	}
}
