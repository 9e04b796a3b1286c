package main

import (
	"fmt"
	"io"

	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/publish/i18n"
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

// warningText words a list warning for an operator in the CLI's form of
// the catalog's words (the console and /status word it in theirs); a
// code the catalog does not know shows as itself, with its detail.
func warningText(lw model.ListWarning, entries int) string {
	if s, ok := i18n.Warning(i18n.EN, i18n.WarnCLI, lw, entries); ok {
		return s
	}
	if lw.Detail != "" {
		return lw.Code + ": " + lw.Detail
	}
	return lw.Code
}
