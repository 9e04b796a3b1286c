// Package report writes the plain-text reports the operator commands
// print on a terminal: what a preview reads (tributary preview), the
// feeds and lists of entries a page offers (discover, with scrape:
// blocks ready to paste), a line per source of check --live, the
// sources' status table (sources) and a fetch run's progress. Tables
// line up as a terminal draws them: a Chinese character takes two
// columns.
//
// It formats the values it is handed. It never fetches, opens the store
// or decides anything a poll does, and the wording of list warnings is
// its caller's (handed in as a function), like every other text an
// editor also reads.
package report
