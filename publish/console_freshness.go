package publish

import (
	"bytes"
	"cmp"
	"encoding/csv"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/publish/i18n"
)

// The console's page of the freshness report (/admin/freshness) and its
// CSV export (/admin/freshness.csv): what a bureau filters by section,
// exports and sends to its schools as the monthly "网站更新情况".

// reportDaysChoices are the windows the page's form offers.
var reportDaysChoices = []int{7, model.ReportDays, 60, model.ActivityDays}

// freshnessCard is one source on the page, every text ready to escape.
type freshnessCard struct {
	ID, Name, Link, SiteLink string
	Sections                 []string
	// LastEntry is the newest entry's date in the site's zone ("" for
	// none); Silence says how long ago ("40 天未更新").
	LastEntry, Silence string
	Stale              bool
	Entries            int
	Spark              template.HTML
	StateWord          string
}

// freshnessChoice is an option of the page's filter form.
type freshnessChoice struct {
	Value, Label string
	Selected     bool
}

type freshnessPageView struct {
	Rows                  []freshnessCard
	Summary               string
	Summaries             []freshnessChoice
	Sections, Shows, Days []freshnessChoice
	WindowLabel           string
	CSV, JSON, Intro      string
	Empty                 string
}

// handleFreshness shows the report: every source of the chosen section,
// stalest first, with its newest entry, its entries in the window and
// their sparkline; the form filters with a GET, so a filtered report can
// be bookmarked and its exports follow it.
func (c *console) handleFreshness(w http.ResponseWriter, r *http.Request, cr *consoleReq) {
	q, err := parseFreshnessQuery(r.URL.Query(), c.s.cat())
	if err != nil {
		c.message(w, r, cr, http.StatusBadRequest, cr.text.T("err.400"), err.Error())
		return
	}
	rep, err := c.s.freshnessReport(r.Context(), q)
	if err != nil {
		c.failReport(w, r, cr, err)
		return
	}
	c.render(w, r, cr, http.StatusOK, "freshness", cr.text.T("fresh.title"), c.freshnessPage(cr, rep))
}

// failReport shows why the report could not be read.
func (c *console) failReport(w http.ResponseWriter, r *http.Request, cr *consoleReq, err error) {
	if errors.Is(err, errNoReport) {
		c.message(w, r, cr, http.StatusNotFound, cr.text.T("err.404"), err.Error())
		return
	}
	c.fail(w, r, cr, err)
}

func (c *console) freshnessPage(cr *consoleReq, rep freshnessReport) freshnessPageView {
	q, t := rep.Query, cr.text
	links := q.values()
	v := freshnessPageView{
		CSV: c.path("/freshness.csv") + encodedQuery(links), JSON: c.path("/freshness.json") + encodedQuery(links),
		Intro:       t.F("fresh.intro", reportZone(cr.lang, c.s.opts.Location, rep.Now)),
		WindowLabel: t.F("fresh.entries", q.days),
		Summary:     c.summaryText(cr, freshnessSummary{Total: rep.Total, Stale: rep.Stale, Threshold: commonThreshold(rep.Summaries)}),
	}
	for _, sum := range rep.Summaries {
		v.Summaries = append(v.Summaries, freshnessChoice{Label: sectionLabel(sum.Section), Value: c.summaryText(cr, sum)})
	}
	v.Sections = append(v.Sections, freshnessChoice{Label: t.T("fresh.allsections"), Selected: q.section == ""})
	for _, sec := range c.s.cat().list {
		v.Sections = append(v.Sections, freshnessChoice{Value: sec.ID, Label: sectionLabel(sec), Selected: q.section == sec.ID})
	}
	for _, show := range []string{showAll, showStale, showFresh} {
		v.Shows = append(v.Shows, freshnessChoice{Value: show, Label: t.T("fresh.show." + cmp.Or(show, "all")), Selected: q.show == show})
	}
	for _, n := range reportDaysChoices {
		v.Days = append(v.Days, freshnessChoice{Value: strconv.Itoa(n), Label: t.F("fresh.days.n", n), Selected: q.days == n})
	}
	for _, row := range rep.Rows {
		v.Rows = append(v.Rows, c.freshnessCard(cr, row, rep.Now))
	}
	if len(v.Rows) == 0 {
		v.Empty = t.T("fresh.none")
	}
	return v
}

// commonThreshold is the stale_after every summarized section shares, or
// 0 when they differ.
func commonThreshold(sums []freshnessSummary) time.Duration {
	var d time.Duration
	for i, s := range sums {
		if s.Threshold == 0 || (i > 0 && s.Threshold != d) {
			return 0
		}
		d = s.Threshold
	}
	return d
}

// summaryText is "共 N 个来源，其中 M 个超过 14 天未更新".
func (c *console) summaryText(cr *consoleReq, sum freshnessSummary) string {
	if days, ok := thresholdDays(sum.Threshold); ok {
		return cr.text.F("fresh.summary", sum.Total, sum.Stale, days)
	}
	return cr.text.F("fresh.summary.mixed", sum.Total, sum.Stale)
}

func (c *console) freshnessCard(cr *consoleReq, row freshnessRow, now time.Time) freshnessCard {
	st := row.Status
	card := freshnessCard{ID: st.ID, Name: row.Name, Link: c.path("/sources/" + st.ID), SiteLink: row.Link,
		Stale: row.Stale, Entries: row.Entries, StateWord: st.State(), Silence: silenceText(cr.text, row)}
	for _, sec := range row.Sections {
		card.Sections = append(card.Sections, cmp.Or(sec.Title, sec.ID))
	}
	if row.HasEntry {
		card.LastEntry = st.Freshness.LastEntry.In(c.s.opts.Location).Format(time.DateOnly)
	}
	card.Spark = sparkline(sparkDays(cr.text, row, now), cr.text.F("fresh.spark", len(row.Daily), row.Entries))
	return card
}

// silenceText says how long a source has been quiet: "40 天未更新",
// "1 天内有更新", or "从未更新".
func silenceText(t i18n.Lang, row freshnessRow) string {
	switch {
	case !row.HasEntry:
		return t.T("fresh.never")
	case row.Days == 0:
		return t.T("fresh.today")
	case row.Days == 1:
		return t.T("fresh.silent.one")
	}
	return t.F("fresh.silent", row.Days)
}

// sparkDays labels the row's daily counts with their dates in its zone.
func sparkDays(t i18n.Lang, row freshnessRow, now time.Time) []sparkDay {
	y, m, d := now.In(row.Zone).Date()
	out := make([]sparkDay, len(row.Daily))
	for i, n := range row.Daily {
		day := time.Date(y, m, d-(len(row.Daily)-1-i), 12, 0, 0, 0, row.Zone)
		out[i] = sparkDay{Count: n, Label: t.F("fresh.spark.day", day.Format(time.DateOnly), n)}
	}
	return out
}

func encodedQuery(v url.Values) string {
	if len(v) == 0 {
		return ""
	}
	return "?" + v.Encode()
}

// utf8BOM starts the CSV: without it Excel reads UTF-8 as the system's
// ANSI code page and garbles every Chinese cell.
const utf8BOM = "\ufeff"

// handleFreshnessCSV serves the report as CSV, stalest first, to a
// signed-in browser or to a script with the admin token as a bearer
// token, as the audit log's JSON is served; same ?section=, ?show= and
// ?days= as the page.
func (c *console) handleFreshnessCSV(w http.ResponseWriter, r *http.Request) {
	if !c.readAllowed(w, r, "freshness report") {
		return
	}
	cr := c.request(w, r)
	q, err := parseFreshnessQuery(r.URL.Query(), c.s.cat())
	if err != nil {
		writeText(w, http.StatusBadRequest, err.Error())
		return
	}
	rep, err := c.s.freshnessReport(r.Context(), q)
	if err != nil {
		code, msg := c.errorStatus(r, err)
		if errors.Is(err, errNoReport) {
			code, msg = http.StatusNotFound, err.Error()
		}
		writeText(w, code, msg)
		return
	}
	body, err := c.freshnessCSV(cr, rep)
	if err != nil {
		c.s.log.Error("console: write freshness csv", "err", err)
		writeText(w, http.StatusInternalServerError, "internal error")
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/csv; charset=utf-8")
	h.Set("Content-Disposition", csvDisposition(cr.text, rep.Now.In(c.s.opts.Location)))
	_, _ = w.Write(body)
}

// freshnessCSV writes the report as CSV for Excel: a BOM, CRLF line ends,
// headers in the console's language (Chinese by default).
func (c *console) freshnessCSV(cr *consoleReq, rep freshnessReport) ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteString(utf8BOM)
	cw := csv.NewWriter(&buf)
	cw.UseCRLF = true
	t := cr.text
	header := []string{t.T("fresh.csv.source"), t.T("fresh.csv.sections"), t.T("fresh.csv.lastentry"), t.T("fresh.csv.days"),
		t.F("fresh.csv.entries", rep.Query.days), t.T("fresh.csv.status"), t.T("fresh.csv.polling"), t.T("fresh.csv.link")}
	if err := cw.Write(header); err != nil {
		return nil, err
	}
	for _, row := range rep.Rows {
		if err := cw.Write(c.csvRecord(cr, row)); err != nil {
			return nil, err
		}
	}
	cw.Flush()
	return buf.Bytes(), cw.Error()
}

func (c *console) csvRecord(cr *consoleReq, row freshnessRow) []string {
	st, t := row.Status, cr.text
	sections := make([]string, len(row.Sections))
	for i, sec := range row.Sections {
		sections[i] = cmp.Or(sec.Title, sec.ID)
	}
	last, days := "", ""
	if row.HasEntry {
		last = st.Freshness.LastEntry.In(c.s.opts.Location).Format(time.DateOnly)
		days = strconv.Itoa(row.Days)
	}
	return []string{csvCell(row.Name), csvCell(strings.Join(sections, "、")), last, days, strconv.Itoa(row.Entries),
		csvStatus(t, row), t.State(st.State()), csvCell(row.Link)}
}

// csvStatus is the status cell: "超过14天未更新", "从未更新" or "正常".
func csvStatus(t i18n.Lang, row freshnessRow) string {
	switch {
	case row.Stale && !row.HasEntry:
		return t.T("fresh.never")
	case row.Stale:
		if days, ok := thresholdDays(row.Status.Freshness.Threshold()); ok {
			return t.F("fresh.csv.stale", days)
		}
		return t.T("fresh.stale")
	case row.Status.Freshness.Since().IsZero():
		return t.T("fresh.csv.unknown")
	}
	return t.T("fresh.csv.fresh")
}

// csvCell keeps a text a spreadsheet would run as a formula (a feed title
// starting with =, +, - or @) as text, with a leading apostrophe, as
// OWASP advises for CSV exports.
func csvCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// csvDisposition names the download after the report and the day, in
// ASCII for old clients and in the console's language for the rest
// (RFC 6266, RFC 8187).
func csvDisposition(t i18n.Lang, day time.Time) string {
	date := day.Format(time.DateOnly)
	name := t.T("fresh.csv.filename") + "-" + date + ".csv"
	return fmt.Sprintf(`attachment; filename="freshness-%s.csv"; filename*=UTF-8''%s`, date, url.PathEscape(name))
}

// freshnessOf fills a console source row's freshness: its newest entry's
// date, how long ago, and whether that is past its stale_after.
func (c *console) freshnessOf(cr *consoleReq, row *sourceRow) {
	f := row.Freshness
	days, has := f.DaysSinceLastEntry(cr.now)
	row.Stale = f.Stale(cr.now)
	row.Silence = silenceText(cr.text, freshnessRow{Days: days, HasEntry: has})
	if has {
		row.LastEntry = f.LastEntry.In(c.s.opts.Location).Format(time.DateOnly)
	}
}
