package opml

import (
	"fmt"
	"strings"
)

// Summary says what MergeIntoConfig did to the config file at path with
// p, one line per section (opml import --write prints it).
func (p *Plan) Summary(path string) string {
	var b strings.Builder
	if len(p.Sections) == 0 {
		fmt.Fprintf(&b, "%s: nothing to add\n", path)
	}
	for _, s := range p.Sections {
		switch {
		case s.New && len(s.Feeds) > 0:
			fmt.Fprintf(&b, "%s: created section %s (%s) with %d sources\n", path, s.ID, s.Title, len(s.Feeds))
		default:
			fmt.Fprintf(&b, "%s: added %d sources to section %s (%d already listed)\n", path, len(s.Feeds), s.ID, s.Listed)
		}
	}
	return b.String()
}
