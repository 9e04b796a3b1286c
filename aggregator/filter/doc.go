// Package filter decides whether an entry belongs in a section, from the
// include and exclude lists of the config (sections[].include/exclude and
// sections[].sources[].include/exclude).
//
// A pattern written "/…/" is an RE2 regular expression (add (?i) for case
// folding); anything else is a keyword matched case-insensitively as a
// substring. Patterns are matched against an entry's title, summary and
// each of its categories. An entry passes a Filter when the include list is
// empty or one of its patterns matches, and no exclude pattern matches.
//
// Patterns are compiled once (Compile, or a Cache shared by every poll);
// matching never allocates more than the lower-cased copy of the text that
// keyword matching needs. The package never touches the store: what a
// filter decides is applied by the store at ingest.
package filter
