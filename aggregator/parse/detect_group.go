package parse

import (
	"slices"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// The candidates of list detection: runs of same-tag, same-class siblings
// under one parent (li, tr, dd, div, p, a …), found in one walk of the
// page, each member holding a link. The walk also indexes the elements by
// tag, so that a selector proposed for a list is checked against the
// elements it could match rather than the whole page.

// group is a candidate list: members are siblings (or, when a list is cut
// into adjacent blocks of the same kind, cousins) sharing tag and classes.
type group struct {
	members []*html.Node
	// linked counts the members holding a link that leads somewhere.
	linked int
}

// walker is the one walk of a page detection makes.
type walker struct {
	ev     *evaluation
	byTag  map[string][]*html.Node
	groups []*group
	steps  int
}

// siblingRun is the members of one key under one parent, while the walk
// is at that parent.
type siblingRun struct {
	key     string
	members []*html.Node
	linked  int
}

// walk visits n's subtree and returns how many links it holds.
func (w *walker) walk(n *html.Node) int {
	if w.steps++; w.steps&255 == 0 {
		w.ev.check("list detection")
	}
	links := 0
	if n.DataAtom == atom.A && linksSomewhere(attrVal(n, "href")) {
		links = 1
	}
	var runs []siblingRun
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type != html.ElementNode || skipWalk(c) {
			continue
		}
		w.byTag[c.Data] = append(w.byTag[c.Data], c)
		cl := w.walk(c)
		links += cl
		runs = addToRun(runs, c, cl > 0)
	}
	for _, r := range runs {
		if len(r.members) >= 2 && r.linked >= 1 {
			w.groups = append(w.groups, &group{members: r.members, linked: r.linked})
		}
	}
	return links
}

func addToRun(runs []siblingRun, c *html.Node, linked bool) []siblingRun {
	key := groupKey(c)
	for i := range runs {
		if runs[i].key == key {
			runs[i].members = append(runs[i].members, c)
			if linked {
				runs[i].linked++
			}
			return runs
		}
	}
	r := siblingRun{key: key, members: []*html.Node{c}}
	if linked {
		r.linked = 1
	}
	return append(runs, r)
}

// skipWalk reports elements no list is in.
func skipWalk(n *html.Node) bool {
	switch n.DataAtom {
	case atom.Head, atom.Script, atom.Style, atom.Noscript, atom.Template, atom.Select, atom.Svg, atom.Iframe:
		return true
	}
	return false
}

// linksSomewhere is a cheap test of an href for the walk: not empty, not
// a fragment, not javascript:, mailto: or tel:.
func linksSomewhere(href string) bool {
	h := strings.TrimSpace(href)
	if h == "" || h[0] == '#' {
		return false
	}
	lower := strings.ToLower(h[:min(len(h), 11)])
	return !strings.HasPrefix(lower, "javascript:") && !strings.HasPrefix(lower, "mailto:") && !strings.HasPrefix(lower, "tel:")
}

// groupKey is what siblings of one list share: their tag and classes, the
// classes that mark one item among others (odd, even, first, active, top
// for a pinned item, numbered variants like bg1/bg2) left out.
func groupKey(n *html.Node) string {
	cls := stableClasses(n)
	if len(cls) == 0 {
		return n.Data
	}
	slices.Sort(cls)
	return n.Data + "." + strings.Join(cls, ".")
}

// variantClasses mark one item among its siblings, not the kind of item.
var variantClasses = map[string]bool{
	"odd": true, "even": true, "first": true, "last": true, "on": true, "active": true, "cur": true,
	"current": true, "hover": true, "selected": true, "top": true, "hot": true, "new": true, "zd": true,
	"istop": true, "sticky": true, "alt": true, "bg": true, "clearfix": true, "clear": true, "fl": true, "fr": true,
}

// stableClasses are n's classes without variant ones, numbered classes
// cut to their stem: n1 … n16, bg1/bg2 and post-900 number an item among
// its siblings.
func stableClasses(n *html.Node) []string {
	var out []string
	for _, c := range classNames(n) {
		stem := strings.ToLower(strings.TrimRight(c, "0123456789"))
		if stem == "" || variantClasses[stem] {
			continue
		}
		out = append(out, stem)
	}
	return out
}

// mergeAdjacent joins groups of the same kind whose parents are adjacent
// siblings of the same kind (a list printed as several <ul> of five
// items, with separators between), and returns the groups that can be
// lists: at least three members with links, a third of the members.
func mergeAdjacent(groups []*group) []*group {
	byParent := make(map[*html.Node][]*group, len(groups))
	for _, g := range groups {
		byParent[g.members[0].Parent] = append(byParent[g.members[0].Parent], g)
	}
	var out []*group
	merged := make(map[*group]bool)
	for _, g := range groups {
		if merged[g] {
			continue
		}
		for next := g; ; {
			n := nextGroup(next, byParent)
			if n == nil || merged[n] {
				break
			}
			g = &group{members: append(slices.Clip(g.members), n.members...), linked: g.linked + n.linked}
			merged[n], next = true, n
		}
		if g.linked >= 3 && 3*g.linked >= len(g.members) {
			out = append(out, g)
		}
	}
	return out
}

// nextGroup is the group of the same kind as g under the next sibling of
// g's parent when that sibling is of the same kind too, passing over
// elements without text (separator lines) between them.
func nextGroup(g *group, byParent map[*html.Node][]*group) *group {
	parent := g.members[0].Parent
	key := groupKey(g.members[0])
	for s := parent.NextSibling; s != nil; s = s.NextSibling {
		if s.Type == html.TextNode && strings.TrimSpace(s.Data) != "" {
			return nil
		}
		if s.Type != html.ElementNode {
			continue
		}
		if groupKey(s) != groupKey(parent) {
			if nodeText(s) == "" {
				continue
			}
			return nil
		}
		for _, n := range byParent[s] {
			if groupKey(n.members[0]) == key {
				return n
			}
		}
		return nil
	}
	return nil
}

// isAncestor reports whether a is n or one of its ancestors.
func isAncestor(a, n *html.Node) bool {
	for ; n != nil; n = n.Parent {
		if n == a {
			return true
		}
	}
	return false
}

// overlaps reports whether one list holds the other (or they share
// items): a list of blocks each holding a list, and those lists.
func (g *group) overlaps(o *group) bool {
	gp, op := g.members[0].Parent, o.members[0].Parent
	for _, m := range g.members {
		if isAncestor(m, op) {
			return true
		}
	}
	for _, m := range o.members {
		if isAncestor(m, gp) {
			return true
		}
	}
	return gp == op && groupKey(g.members[0]) == groupKey(o.members[0])
}
