package publish

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/publish/i18n"
)

// The members' update report: for every source, when it last published,
// how many entries it published in the last days and whether it has gone
// quiet for longer than its stale_after. A bureau sends it to its schools
// every month ("网站更新情况"); the console shows it at /admin/freshness,
// exports it as CSV (/admin/freshness.csv) and the admin API as JSON
// (/api/v1/admin/freshness). Everything it reads was kept by the store as
// entries arrived: a few fields and one small hash per source.

// ActivityReader reads the daily new-entry counts of sources (the store
// implements it); with Options.Status it serves the freshness report.
type ActivityReader interface {
	SourceActivity(ctx context.Context, ids []string) ([]model.Activity, error)
}

// The report's filter by freshness (?show=).
const (
	showAll   = ""
	showStale = "stale"
	showFresh = "fresh"
)

// errNoReport is the report asked of a server that reads no statuses or
// no activity.
var errNoReport = errors.New("the freshness report needs the store's statuses and activity")

// freshnessQuery is what a report asks for: one section or all, stale or
// fresh sources or both, and the window of daily counts in days.
type freshnessQuery struct {
	section, show string
	days          int
}

// paramError is a bad query parameter of the report: which one and why.
type paramError struct {
	name string
	err  error
}

func (e *paramError) Error() string { return e.err.Error() }

// param names the parameter at fault ("" for a nil error).
func (e *paramError) param() string {
	if e == nil {
		return ""
	}
	return e.name
}

func badParam(name, why string) error {
	return &paramError{name: name, err: queryError(name, why)}
}

// parseFreshnessQuery reads ?section=, ?show= and ?days= (default
// model.ReportDays, at most the model.ActivityDays the store keeps); a bad
// value is a *paramError naming the parameter and why.
func parseFreshnessQuery(v url.Values, c *catalog) (freshnessQuery, error) {
	q := freshnessQuery{section: v.Get("section"), show: v.Get("show"), days: model.ReportDays}
	if _, ok := c.sections[q.section]; q.section != "" && !ok {
		return q, badParam("section", fmt.Sprintf("%q is not a configured section", q.section))
	}
	switch q.show {
	case showAll, "all":
		q.show = showAll
	case showStale, showFresh:
	default:
		return q, badParam("show", fmt.Sprintf("must be stale, fresh or all, got %q", q.show))
	}
	if v.Has("days") {
		raw := v.Get("days")
		n, err := strconv.Atoi(raw)
		if err != nil || n < 1 || n > model.ActivityDays {
			return q, badParam("days", fmt.Sprintf("must be a whole number of days from 1 to %d (the daily counts kept), got %q",
				model.ActivityDays, raw))
		}
		q.days = n
	}
	return q, nil
}

// values is the query as URL parameters (defaults left out), for links
// from the page to its exports.
func (q freshnessQuery) values() url.Values {
	v := url.Values{}
	if q.section != "" {
		v.Set("section", q.section)
	}
	if q.show != showAll {
		v.Set("show", q.show)
	}
	if q.days != model.ReportDays {
		v.Set("days", strconv.Itoa(q.days))
	}
	return v
}

// freshnessRow is one source in the report.
type freshnessRow struct {
	Status   model.SourceStatus
	Name     string
	Sections []model.Section
	// Link is where a reader of the report finds the source: the site its
	// feed links to, else its URL (without credentials either way).
	Link string
	// Days is how many whole days have passed since its newest entry;
	// HasEntry is false when it never had one.
	Days     int
	HasEntry bool
	Stale    bool
	// Daily holds the new entries of each day of the window, oldest
	// first; Entries their sum and Entries30 that of the last 30 days.
	Daily              []int
	Entries, Entries30 int
	// Zone is the zone its days are counted in.
	Zone *time.Location
}

// freshnessSummary counts a section's sources and the stale ones: "共 N
// 个来源，其中 M 个超过 14 天未更新". Threshold is their stale_after when
// they share one (0 when they differ).
type freshnessSummary struct {
	Section      model.Section
	Total, Stale int
	Threshold    time.Duration
}

// freshnessReport is the report of one query at Now.
type freshnessReport struct {
	Query freshnessQuery
	Now   time.Time
	// Rows are the sources shown, stalest first; Summaries count the
	// chosen sections' sources (all of them, whatever ?show= hides).
	Rows      []freshnessRow
	Summaries []freshnessSummary
	// Total and Stale count every source of the chosen sections.
	Total, Stale int
}

// freshnessReport reads the report q asks for: the sources' statuses and
// their activity, two pipelined reads.
func (s *Server) freshnessReport(ctx context.Context, q freshnessQuery) (freshnessReport, error) {
	if s.opts.Status == nil || s.opts.Activity == nil {
		return freshnessReport{}, errNoReport
	}
	c := s.cat()
	statuses, err := s.opts.Status.SourceStatuses(ctx, c.sources)
	if err != nil {
		return freshnessReport{}, err
	}
	var srcs []model.Source
	var sts []model.SourceStatus
	for i, st := range statuses {
		if q.section == "" || slices.Contains(st.SectionIDs, q.section) {
			srcs, sts = append(srcs, c.sources[i]), append(sts, st)
		}
	}
	ids := make([]string, len(srcs))
	for i, src := range srcs {
		ids[i] = src.ID
	}
	acts, err := s.opts.Activity.SourceActivity(ctx, ids)
	if err != nil {
		return freshnessReport{}, err
	}
	rep := freshnessReport{Query: q, Now: s.opts.Now()}
	all := make([]freshnessRow, len(sts))
	for i, st := range sts {
		all[i] = s.freshnessRow(c, srcs[i], st, acts[i], rep.Now, q.days)
	}
	rep.summarize(c, all)
	for _, row := range all {
		if q.show == showAll || (q.show == showStale) == row.Stale {
			rep.Rows = append(rep.Rows, row)
		}
	}
	sortStalest(rep.Rows)
	return rep, nil
}

// freshnessRow builds the row of one source at now.
func (s *Server) freshnessRow(c *catalog, src model.Source, st model.SourceStatus, act model.Activity, now time.Time, days int) freshnessRow {
	row := freshnessRow{Status: st, Name: cmp.Or(st.Title, st.EffectiveURL, st.ConfiguredURL), Stale: st.Freshness.Stale(now)}
	for _, id := range st.SectionIDs {
		sec, ok := c.sections[id]
		if !ok {
			sec = model.Section{ID: id}
		}
		row.Sections = append(row.Sections, sec)
	}
	row.Zone = model.ActivityZone(row.Sections, src)
	row.Days, row.HasEntry = st.Freshness.DaysSinceLastEntry(now)
	window := act.Daily(now, row.Zone, max(days, model.ReportDays))
	row.Daily = window[len(window)-days:]
	row.Entries, row.Entries30 = sum(row.Daily), sum(window[len(window)-model.ReportDays:])
	row.Link = redactURL(cmp.Or(st.SiteLink, st.ConfiguredURL), s.secret)
	return row
}

func sum(ns []int) int {
	t := 0
	for _, n := range ns {
		t += n
	}
	return t
}

// summarize counts the sources of each section the query covers, and all
// of them.
func (rep *freshnessReport) summarize(c *catalog, rows []freshnessRow) {
	for _, sec := range c.list {
		if rep.Query.section != "" && sec.ID != rep.Query.section {
			continue
		}
		sum := freshnessSummary{Section: sec}
		thresholds := map[time.Duration]bool{}
		for _, row := range rows {
			if !slices.Contains(row.Status.SectionIDs, sec.ID) {
				continue
			}
			sum.Total++
			if row.Stale {
				sum.Stale++
			}
			thresholds[row.Status.Freshness.Threshold()] = true
		}
		if len(thresholds) == 1 {
			for d := range thresholds {
				sum.Threshold = d
			}
		}
		rep.Summaries = append(rep.Summaries, sum)
	}
	for _, row := range rows {
		rep.Total++
		if row.Stale {
			rep.Stale++
		}
	}
}

// sortStalest orders rows stalest first: sources that never published,
// then by their newest entry, oldest first; ties by name.
func sortStalest(rows []freshnessRow) {
	slices.SortStableFunc(rows, func(a, b freshnessRow) int {
		if a.HasEntry != b.HasEntry {
			if !a.HasEntry {
				return -1
			}
			return 1
		}
		return cmp.Or(a.Status.Freshness.LastEntry.Compare(b.Status.Freshness.LastEntry),
			strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)), strings.Compare(a.Status.ID, b.Status.ID))
	})
}

// thresholdDays writes a stale_after as people say it: in days when it is
// whole days ("14"), else as a duration ("36h0m0s").
func thresholdDays(d time.Duration) (string, bool) {
	const day = 24 * time.Hour
	if d > 0 && d%day == 0 {
		return strconv.FormatInt(int64(d/day), 10), true
	}
	return d.String(), false
}

// staleAfterText writes a threshold as the config does: "14d", else as a
// duration.
func staleAfterText(d time.Duration) string {
	if days, ok := thresholdDays(d); ok {
		return days + "d"
	}
	return d.String()
}

// reportZone names the zone report dates are shown in: 北京时间 (Beijing
// time) for China's, else the zone's abbreviation or offset.
func reportZone(lang string, loc *time.Location, now time.Time) string {
	switch loc.String() {
	case "Asia/Shanghai", "Asia/Chongqing", "Asia/Harbin", "PRC":
		return i18n.T(lang, "zone.beijing")
	}
	return zoneLabel(now, loc)
}
