package config

import (
	"fmt"
	"sort"
	"strings"
)

// Problem is one thing wrong with a config file. Line is 1-based; 0 means
// the problem has no line (an environment variable, an unreadable document).
type Problem struct {
	Line int
	Msg  string
}

// Error lists every problem found in one config file, sorted by line.
type Error struct {
	Path     string
	Problems []Problem
}

// Error renders one "path:line: message" line per problem.
func (e *Error) Error() string {
	var b strings.Builder
	for i, p := range e.Problems {
		if i > 0 {
			b.WriteByte('\n')
		}
		if p.Line > 0 {
			fmt.Fprintf(&b, "%s:%d: %s", e.Path, p.Line, p.Msg)
		} else {
			fmt.Fprintf(&b, "%s: %s", e.Path, p.Msg)
		}
	}
	return b.String()
}

// problemList collects problems so a user fixes a file in one pass instead
// of one error per run.
type problemList struct {
	items []Problem
}

func (l *problemList) add(line int, format string, args ...any) {
	l.items = append(l.items, Problem{Line: line, Msg: fmt.Sprintf(format, args...)})
}

func (l *problemList) err(path string) *Error {
	items := append([]Problem(nil), l.items...)
	sort.SliceStable(items, func(i, j int) bool { return items[i].Line < items[j].Line })
	return &Error{Path: path, Problems: items}
}
