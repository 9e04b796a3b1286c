package report

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/tributary-rss/tributary/aggregator/model"
)

// Statuses writes the sources' status table (tributary sources), failing
// sources first as on the /status page, with times in loc
// (defaults.timezone) and columns aligned as a terminal draws them. It
// sorts statuses in place.
func Statuses(w io.Writer, statuses []model.SourceStatus, now time.Time, loc *time.Location) error {
	slices.SortStableFunc(statuses, func(a, b model.SourceStatus) int {
		return cmp.Or(cmp.Compare(model.StateRank(a.State()), model.StateRank(b.State())), cmp.Compare(a.ConfiguredURL, b.ConfiguredURL))
	})
	tw := &table{gap: 2}
	tw.add("STATE", "NAME", "ORIGIN", "SECTIONS", "LAST STATUS", "ERRORS", "NEXT DUE", "ENTRIES", "FRESHNESS", "LAST ERROR", "URL")
	for _, s := range statuses {
		tw.add(s.State(), sourceName(s), cmp.Or(s.Origin, model.OriginConfig), strings.Join(s.SectionIDs, ","),
			statusText(s.LastStatus), strconv.Itoa(s.ErrorsInRow), dueText(s.NextDue, now, loc), strconv.FormatInt(s.Entries, 10),
			freshnessText(s.Freshness, now), cmp.Or(OneLine(s.LastError), "-"), sourceLabel(s))
	}
	return tw.write(w)
}

// freshnessText is the FRESHNESS cell: whole days since the newest entry
// ("3d"), "stale 40d" past the source's stale_after, "never" (or "stale
// never") without one, "-" while nothing is known.
func freshnessText(f model.Freshness, now time.Time) string {
	days, ok := f.DaysSinceLastEntry(now)
	text := fmt.Sprintf("%dd", days)
	switch {
	case !ok && f.FirstSeen.IsZero():
		return "-"
	case !ok:
		text = "never"
	}
	if f.Stale(now) {
		return "stale " + text
	}
	return text
}

// sourceName is what the operator calls the source: the config's title,
// else the feed's own as last polled; "-" before anything is known.
func sourceName(s model.SourceStatus) string {
	return cmp.Or(OneLine(s.Title), "-")
}

// sourceLabel is the URL cell: the configured URL, where redirects or
// discovery led, and the items selector of a list detection chose.
func sourceLabel(s model.SourceStatus) string {
	label := s.ConfiguredURL
	if s.EffectiveURL != "" && s.EffectiveURL != s.ConfiguredURL {
		label += " → " + s.EffectiveURL
	}
	if s.Detected != nil {
		label += " (list detected: " + OneLine(s.Detected.Items) + ")"
	}
	return label
}

func statusText(code int) string {
	if code == 0 {
		return "-"
	}
	return fmt.Sprint(code)
}

// dueText is the next due time in loc, its zone named ("2026-12-07
// 21:00:00 CST"), with how far off it is.
func dueText(due, now time.Time, loc *time.Location) string {
	switch {
	case due.IsZero():
		return "now"
	case !due.After(now):
		return zonedStamp(due, loc) + " (due)"
	}
	return zonedStamp(due, loc) + " (in " + due.Sub(now).Round(time.Second).String() + ")"
}

// zonedStamp is t in loc to the second with the zone's abbreviation, or
// its offset where the tz database has no letters for it ("+04:00").
func zonedStamp(t time.Time, loc *time.Location) string {
	t = t.In(loc)
	zone := t.Format("MST")
	if strings.HasPrefix(zone, "+") || strings.HasPrefix(zone, "-") {
		zone = t.Format("-07:00")
	}
	return t.Format("2006-01-02 15:04:05") + " " + zone
}
