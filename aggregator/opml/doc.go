// Package opml reads and writes OPML subscription lists for the
// operator: Read takes a feed reader's export apart (folders, feed:
// URLs, each outline's line), PlanImport decides which section each
// feed joins, YAML and MergeIntoConfig write that plan as config (the
// file's comments and layout kept; Summary says what a merge did), and
// Export renders the config's sections as OPML 2.0. The command line
// only wires them to files and flags.
package opml
