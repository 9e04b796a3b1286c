package main

import (
	"cmp"
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/tributary-rss/tributary/aggregator/config"
	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/aggregator/registry"
	"github.com/tributary-rss/tributary/aggregator/store/storeopen"
)

const sourcesUsage = `Usage: tributary sources [--config FILE]

Prints every configured source's polling status from the store (the same
Redis as the daemon, or the embedded store's snapshot): its name (the
config's title, else the feed's own), state, last HTTP status, errors in a
row, next due time (in defaults.timezone, with its zone), stored entries,
when it last published (FRESHNESS: "3d" for three days since its newest
entry, "stale 40d" past its stale_after, "never" for none), the last error
and its URL, followed by "(list detected: SELECTOR)" for a list page read
by detection. Failing sources come first, as on the /status page. Columns
line up as a terminal draws Chinese (two columns a character). With the
embedded store it reads the snapshot file and never writes it, so it runs
beside the daemon (whose latest state is there once it has written a
snapshot).

Examples:
  tributary sources --config tributary.yaml
  TRIBUTARY_REDIS_URL=redis://127.0.0.1:6379/0 tributary sources

Flags:
`

func cmdSources(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("sources", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfgPath := fs.String("config", "", "config file (default $TRIBUTARY_CONFIG, else ./tributary.yaml)")
	fs.Usage = func() { fmt.Fprint(stderr, sourcesUsage); fs.PrintDefaults() }
	if err := fs.Parse(args); err != nil {
		return flagExit(err)
	}
	cfg, err := config.Load(configPath(*cfgPath), os.Getenv)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return exitError
	}
	statuses, err := readStatuses(ctx, cfg, stderr)
	if err != nil {
		fmt.Fprintln(stderr, "tributary sources:", err)
		return exitError
	}
	loc, err := time.LoadLocation(cfg.Defaults.Timezone)
	if err != nil {
		fmt.Fprintln(stderr, "tributary sources: defaults.timezone:", err)
		return exitError
	}
	printStatuses(stdout, statuses, time.Now(), loc)
	return exitOK
}

func readStatuses(ctx context.Context, cfg *config.Config, stderr io.Writer) ([]model.SourceStatus, error) {
	st, closeStore, err := storeopen.OpenReadOnly(cfg, newConfigLogger(stderr, config.LogConfig{Level: "warn", Format: cfg.Log.Format}))
	if err != nil {
		return nil, err
	}
	defer closeStore()
	reg := registry.New(st, cfg, registry.Options{AllowPrivate: cfg.Admin.AllowPrivate, ReadOnly: true})
	if err := reg.Refresh(ctx); err != nil {
		return nil, err
	}
	return reg.Statuses(ctx)
}

// printStatuses writes the status table, failing sources first, with
// times in loc (defaults.timezone) and columns aligned as a terminal
// draws them (see widthTable).
func printStatuses(w io.Writer, statuses []model.SourceStatus, now time.Time, loc *time.Location) {
	slices.SortStableFunc(statuses, func(a, b model.SourceStatus) int {
		return cmp.Or(cmp.Compare(model.StateRank(a.State()), model.StateRank(b.State())), cmp.Compare(a.ConfiguredURL, b.ConfiguredURL))
	})
	tw := &widthTable{gap: 2}
	tw.add("STATE", "NAME", "ORIGIN", "SECTIONS", "LAST STATUS", "ERRORS", "NEXT DUE", "ENTRIES", "FRESHNESS", "LAST ERROR", "URL")
	for _, s := range statuses {
		tw.add(s.State(), sourceName(s), cmp.Or(s.Origin, model.OriginConfig), strings.Join(s.SectionIDs, ","),
			statusText(s.LastStatus), strconv.Itoa(s.ErrorsInRow), dueText(s.NextDue, now, loc), strconv.FormatInt(s.Entries, 10),
			freshnessText(s.Freshness, now), cmp.Or(oneLine(s.LastError), "-"), sourceLabel(s))
	}
	_ = tw.write(w)
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
	return cmp.Or(oneLine(s.Title), "-")
}

// oneLine keeps a table cell on its line: a feed's title or an error may
// hold tabs or newlines, which would break the columns.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// sourceLabel is the URL cell: the configured URL, where redirects or
// discovery led, and the items selector of a list detection chose.
func sourceLabel(s model.SourceStatus) string {
	label := s.ConfiguredURL
	if s.EffectiveURL != "" && s.EffectiveURL != s.ConfiguredURL {
		label += " → " + s.EffectiveURL
	}
	if s.Detected != nil {
		label += " (list detected: " + oneLine(s.Detected.Items) + ")"
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
