package config

import (
	"fmt"
	"sort"
	"strings"
)

// Problem is one thing wrong with a config file. Line is 1-based; 0 means
// the problem has no line (an environment variable, an unreadable document).
type Problem struct {
	// File is the included file the problem is in; empty means the
	// config file itself (Error.Path).
	File string
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
		path := e.Path
		if p.File != "" {
			path = p.File
		}
		if p.Line > 0 {
			fmt.Fprintf(&b, "%s:%d: %s", path, p.Line, p.Msg)
		} else {
			fmt.Fprintf(&b, "%s: %s", path, p.Msg)
		}
	}
	return b.String()
}

// problemList collects problems so a user fixes a file in one pass instead
// of one error per run.
type problemList struct {
	items []Problem
	// spans map the renumbered lines of included files back to them.
	spans []fileSpan
}

func (l *problemList) add(line int, format string, args ...any) {
	l.items = append(l.items, Problem{Line: line, Msg: fmt.Sprintf(format, args...)})
}

// addFrom adds the problems found in an included file, in its numbering.
func (l *problemList) addFrom(file string, local *problemList) {
	for _, p := range local.items {
		p.File = file
		l.items = append(l.items, p)
	}
}

func (l *problemList) err(path string) *Error {
	items := make([]Problem, len(l.items))
	for i, p := range l.items {
		items[i] = l.locate(p)
	}
	order := func(p Problem) int {
		if p.File == "" {
			return 0
		}
		for i, s := range l.spans {
			if s.path == p.File {
				return i + 1
			}
		}
		return len(l.spans) + 1
	}
	sort.SliceStable(items, func(i, j int) bool {
		if oi, oj := order(items[i]), order(items[j]); oi != oj {
			return oi < oj
		}
		return items[i].Line < items[j].Line
	})
	return &Error{Path: path, Problems: items}
}

// locate maps a renumbered line back to its included file.
func (l *problemList) locate(p Problem) Problem {
	if p.File != "" || p.Line < lineStride {
		return p
	}
	for i := len(l.spans) - 1; i >= 0; i-- {
		if s := l.spans[i]; p.Line >= s.start {
			p.File, p.Line = s.path, p.Line-s.start
			return p
		}
	}
	return p
}
