package main

import (
	"fmt"
	"io"

	"github.com/tributary-rss/tributary/aggregator/model"
)

// printWarnings writes a list page's warnings under a heading, one a
// line; entries is how many entries the page gave.
func printWarnings(w io.Writer, warnings []model.ListWarning, entries int) {
	if len(warnings) == 0 {
		return
	}
	fmt.Fprintf(w, "\nwarnings\n")
	for _, lw := range warnings {
		fmt.Fprintf(w, "  - %s\n", warningText(lw, entries))
	}
}

// warningText words a list warning for an operator, as the console
// words it for an editor (see model.ListWarning).
func warningText(lw model.ListWarning, entries int) string {
	switch lw.Code {
	case model.ListWarnTitleNoMatch:
		return fmt.Sprintf("the title selector %s matched in %d of %d items: the others take their link text as title", lw.Detail, lw.Count, lw.Total)
	case model.ListWarnDateNoMatch:
		return fmt.Sprintf("the date selector %s matched in %d of %d items: the others have no date", lw.Detail, lw.Count, lw.Total)
	case model.ListWarnSameLink:
		return fmt.Sprintf("%d of %d items share a link (such as %s) and merge, leaving %d entries: each item's link may be a category link", lw.Count, lw.Total, lw.Detail, entries)
	case model.ListWarnOneItem:
		return "the list has a single item: the items selector may pick the wrong element"
	case model.ListWarnNoDates:
		return "no item has a date: entries are dated when first fetched"
	case model.ListWarnOddYears:
		return fmt.Sprintf("%d of %d items have a year that looks wrong (%s): check the dates", lw.Count, lw.Total, lw.Detail)
	}
	if lw.Detail != "" {
		return lw.Code + ": " + lw.Detail
	}
	return lw.Code
}
