package parse

import (
	"fmt"
	"regexp"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Selectors for what detection found, written as an operator would:
// the item's tag and classes under its nearest distinctive ancestor
// ("div.news_list li", "#wp_news_w6 li.news", "table.listTable tr"),
// positional selectors only when no id or class tells the list apart.
// Each is checked against the page before it is proposed.

// compound is one step of a selector: a tag, an id, classes, and
// optionally an element it must hold (tr:has(td.listA)), or have as a
// child (tr:haschild(td.listA), goquery's own pseudo-class: layout rows
// hold the rows of the tables nested in them).
type compound struct {
	tag, id string
	classes []string
	has     *compound
	child   bool
}

func (c compound) String() string {
	if c.id != "" {
		return "#" + c.id
	}
	s := c.tag
	for _, cl := range c.classes {
		s += "." + cl
	}
	switch {
	case c.has != nil && c.child:
		s += ":haschild(" + c.has.String() + ")"
	case c.has != nil:
		s += ":has(" + c.has.String() + ")"
	}
	return s
}

func (c compound) matches(n *html.Node) bool {
	if n.Type != html.ElementNode || (c.tag != "" && n.Data != c.tag) {
		return false
	}
	if c.id != "" && attrVal(n, "id") != c.id {
		return false
	}
	for _, cl := range c.classes {
		if !hasClass(n, cl) {
			return false
		}
	}
	return c.has == nil || holds(n, *c.has, c.child)
}

// holds reports whether an element inside n (a child of n, with child)
// matches c.
func holds(n *html.Node, c compound, child bool) bool {
	for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
		if ch.Type == html.ElementNode && (c.matches(ch) || !child && holds(ch, c, false)) {
			return true
		}
	}
	return false
}

// hasClass reports whether n's class attribute names cl.
func hasClass(n *html.Node, cl string) bool {
	for _, c := range strings.Fields(attrVal(n, "class")) {
		if c == cl {
			return true
		}
	}
	return false
}

// chain is a selector of descendant steps, outermost first; the last is
// the subject.
type chain []compound

func (ch chain) String() string {
	parts := make([]string, len(ch))
	for i, c := range ch {
		parts[i] = c.String()
	}
	return strings.Join(parts, " ")
}

// matches reports whether n matches ch as CSS does: n matches the last
// step, and its ancestors the others in order (taking the nearest
// ancestor for each step is right for descendant combinators).
func (ch chain) matches(n *html.Node) bool {
	if !ch[len(ch)-1].matches(n) {
		return false
	}
	i := len(ch) - 2
	for a := n.Parent; a != nil && i >= 0; a = a.Parent {
		if ch[i].matches(a) {
			i--
		}
	}
	return i < 0
}

var (
	identRe = regexp.MustCompile(`^-?[A-Za-z_][A-Za-z0-9_-]*$`)
	// generatedIDRe are ids a page makes per element or per load
	// (ext-gen123, u_3f2a9c, a long number), not a template's.
	generatedIDRe = regexp.MustCompile(`\d{5,}|^ext-|^ember\d|^yui_|[0-9a-f]{8,}`)
)

// selectorClasses are n's classes a selector may name: valid CSS names,
// not those marking one item among its siblings (see groupKey).
func selectorClasses(n *html.Node) []string {
	var out []string
	for _, c := range classNames(n) {
		lower := strings.ToLower(c)
		stem := strings.TrimRight(lower, "0123456789")
		if !identRe.MatchString(c) || variantClasses[lower] || variantClasses[stem] || stem != lower && !isTemplateNumber(c) {
			continue
		}
		out = append(out, c)
	}
	return out
}

// isTemplateNumber reports whether a numbered class is a template's
// (VSB's c54630, winstyle54630: the same on every item) rather than an
// item's number (n1, li2, post-900). A template's number is long.
func isTemplateNumber(c string) bool {
	return len(c)-len(strings.TrimRight(c, "0123456789")) >= 4
}

// itemCompound is the step selecting a group's members: their tag and
// the classes all of them carry.
func itemCompound(members []*html.Node) compound {
	c := compound{tag: members[0].Data, classes: selectorClasses(members[0])}
	for _, m := range members[1:] {
		keep := c.classes[:0]
		for _, cl := range c.classes {
			if hasClass(m, cl) {
				keep = append(keep, cl)
			}
		}
		c.classes = keep
	}
	return c
}

// ancestorSteps are the steps that may name an ancestor: its id when a
// template's, else its tag with each of its classes.
func ancestorSteps(a *html.Node) []compound {
	var out []compound
	if id := attrVal(a, "id"); identRe.MatchString(id) && !generatedIDRe.MatchString(id) {
		out = append(out, compound{id: id})
	}
	// An ancestor's numbered classes (box1, box2) tell blocks of a page
	// apart, unlike an item's (see selectorClasses).
	for _, cl := range classNames(a) {
		if identRe.MatchString(cl) && !variantClasses[strings.ToLower(cl)] {
			out = append(out, compound{tag: a.Data, classes: []string{cl}})
		}
	}
	return out
}

// maxAncestorLevels bounds how far above a list its selector looks for
// a distinctive ancestor.
const maxAncestorLevels = 6

// listTarget is what a group's selector must match: every member
// holding a link, and no element holding a link that is no member.
type listTarget struct {
	members map[*html.Node]bool
	linked  map[*html.Node]bool
	// pool are the page's elements the subject step matches.
	pool []*html.Node
}

func newListTarget(g *group, byTag map[string][]*html.Node, item compound) *listTarget {
	t := &listTarget{members: make(map[*html.Node]bool, len(g.members)), linked: make(map[*html.Node]bool, len(g.members))}
	for _, m := range g.members {
		t.members[m] = true
		if holdsLink(m) {
			t.linked[m] = true
		}
	}
	for _, n := range byTag[item.tag] {
		if item.matches(n) {
			t.pool = append(t.pool, n)
		}
	}
	return t
}

// holdsLink reports whether n is or holds a link that leads somewhere.
func holdsLink(n *html.Node) bool {
	found := false
	forEachLink(n, func(a *html.Node) { found = found || linksSomewhere(attrVal(a, "href")) })
	return found
}

// fits reports whether sel matches every linked member and no element
// holding a link outside the group; count is how many elements it
// matches.
func (t *listTarget) fits(sel func(*html.Node) bool) (count int, ok bool) {
	for _, n := range t.pool {
		m := sel(n)
		switch {
		case m && !t.members[n] && holdsLink(n):
			return 0, false
		case !m && t.linked[n]:
			return 0, false
		case m:
			count++
		}
	}
	return count, true
}

// itemsSelector is a readable selector matching the group's items on
// this page, "" when none is found: the items' tag (with one of their
// classes where they share one) under one or two distinctive ancestors,
// or alone; else the items as those holding an element of a class
// (tr:has(td.listA)); else a positional path.
func itemsSelector(g *group, byTag map[string][]*html.Node) string {
	levels := ancestorLevels(g.members[0].Parent)
	for _, item := range itemSteps(g.members) {
		if sel := underAncestors(g, byTag, item, levels); sel != "" {
			return sel
		}
	}
	for _, item := range holdingSteps(g) {
		if sel := underAncestors(g, byTag, item, levels); sel != "" {
			return sel
		}
	}
	item := itemCompound(g.members)
	return positionalSelector(g, item, newListTarget(g, byTag, item))
}

// itemSteps are the steps that may select a group's members: their tag
// with each class they all carry, the tag alone, the tag with all those
// classes.
func itemSteps(members []*html.Node) []compound {
	all := itemCompound(members)
	var out []compound
	for _, cl := range all.classes {
		out = append(out, compound{tag: all.tag, classes: []string{cl}})
	}
	out = append(out, compound{tag: all.tag})
	if len(all.classes) > 1 {
		out = append(out, all)
	}
	return out
}

// holdingSteps are steps selecting the members by an element of a class
// each linked member holds, for items without classes of their own among
// rows without links (separator rows of a layout table).
func holdingSteps(g *group) []compound {
	var linked []*html.Node
	for _, m := range g.members {
		if holdsLink(m) {
			linked = append(linked, m)
		}
	}
	if len(linked) == 0 {
		return nil
	}
	seen := make(map[string]bool)
	var out, children []compound
	var walk func(n *html.Node, depth int)
	walk = func(n *html.Node, depth int) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode {
				continue
			}
			for _, cl := range selectorClasses(c) {
				inner := compound{tag: c.Data, classes: []string{cl}}
				if key := inner.String(); !seen[key] && allHold(linked, inner, false) {
					seen[key] = true
					out = append(out, compound{tag: linked[0].Data, has: &inner})
					if depth == 0 && allHold(linked, inner, true) {
						children = append(children, compound{tag: linked[0].Data, has: &inner, child: true})
					}
				}
			}
			walk(c, depth+1)
		}
	}
	walk(linked[0], 0)
	return append(out, children...)
}

func allHold(nodes []*html.Node, c compound, child bool) bool {
	for _, n := range nodes {
		if !holds(n, c, child) {
			return false
		}
	}
	return true
}

// underAncestors is item under the nearest ancestor step that makes it
// fit the group, else under two, else item alone; "" when none fits.
func underAncestors(g *group, byTag map[string][]*html.Node, item compound, levels [][]compound) string {
	t := newListTarget(g, byTag, item)
	for _, steps := range levels {
		for _, a := range steps {
			if ch := (chain{a, item}); t.fit(ch) {
				return ch.String()
			}
		}
	}
	for i, near := range levels {
		for _, far := range levels[i+1:] {
			for _, a := range near {
				for _, b := range far {
					if ch := (chain{b, a, item}); t.fit(ch) {
						return ch.String()
					}
				}
			}
		}
	}
	if ch := (chain{item}); t.fit(ch) {
		return ch.String()
	}
	return ""
}

func (t *listTarget) fit(ch chain) bool {
	_, ok := t.fits(ch.matches)
	return ok
}

// ancestorLevels are the steps of p and its ancestors, nearest first, up
// to maxAncestorLevels and never html or body.
func ancestorLevels(p *html.Node) [][]compound {
	var levels [][]compound
	for a := p; a != nil && a.Type == html.ElementNode && len(levels) < maxAncestorLevels; a = a.Parent {
		if a.DataAtom == atom.Body || a.DataAtom == atom.Html {
			break
		}
		levels = append(levels, ancestorSteps(a))
	}
	return levels
}

// positionalSelector is the path from the nearest ancestor with a
// template's id (else body) to the group's items, each step without id
// or class numbered among its siblings of the same tag. The last resort:
// such a selector breaks when the template adds a block above the list.
func positionalSelector(g *group, item compound, t *listTarget) string {
	var steps []string
	for a := g.members[0].Parent; a != nil && a.Type == html.ElementNode; a = a.Parent {
		if a.DataAtom == atom.Body || a.DataAtom == atom.Html {
			steps = append(steps, "body")
			break
		}
		if s := ancestorSteps(a); len(s) > 0 && s[0].id != "" {
			steps = append(steps, s[0].String())
			break
		}
		steps = append(steps, fmt.Sprintf("%s:nth-of-type(%d)", a.Data, nthOfType(a)))
	}
	for i, j := 0, len(steps)-1; i < j; i, j = i+1, j-1 {
		steps[i], steps[j] = steps[j], steps[i]
	}
	sel := strings.Join(steps, " > ") + " > " + item.String()
	parents := make(map[*html.Node]bool)
	for _, m := range g.members {
		parents[m.Parent] = true
	}
	// The path names one parent: the positional selector fits a group
	// whose members share it.
	if len(parents) != 1 {
		return ""
	}
	if _, ok := t.fits(func(n *html.Node) bool { return parents[n.Parent] }); !ok {
		return ""
	}
	return sel
}

// nthOfType is n's position among its siblings of the same tag, from 1.
func nthOfType(n *html.Node) int {
	k := 1
	for s := n.PrevSibling; s != nil; s = s.PrevSibling {
		if s.Type == html.ElementNode && s.Data == n.Data {
			k++
		}
	}
	return k
}

// relativeSelector is a selector that finds target first inside each of
// items (targets[i] in items[i]), "" when none does. It names the
// target's classes, with its parent's when those are not enough; a bare
// tag is not proposed, since detection reads such an item as well.
func relativeSelector(items, targets []*html.Node) string {
	own := compound{tag: targets[0].Data, classes: commonClasses(targets)}
	var options []chain
	for _, cl := range own.classes {
		options = append(options, chain{compound{tag: own.tag, classes: []string{cl}}})
	}
	if len(own.classes) > 1 {
		options = append(options, chain{own})
	}
	for _, p := range parentSteps(targets, items) {
		options = append(options, chain{p, compound{tag: own.tag}}, chain{p, own})
	}
	for _, ch := range options {
		if firstFits(ch, items, targets) {
			return ch.String()
		}
	}
	return ""
}

// commonClasses are the selector classes all of nodes carry.
func commonClasses(nodes []*html.Node) []string {
	c := itemCompound(nodes)
	return c.classes
}

// parentSteps are the steps naming, by a class all of them share, the
// parents of targets that are inside their items.
func parentSteps(targets, items []*html.Node) []compound {
	parents := make([]*html.Node, len(targets))
	for i, t := range targets {
		if t.Parent == nil || t.Parent == items[i] || !isAncestor(items[i], t.Parent) {
			return nil
		}
		parents[i] = t.Parent
	}
	var out []compound
	for _, cl := range commonClasses(parents) {
		out = append(out, compound{tag: parents[0].Data, classes: []string{cl}})
	}
	return out
}

// firstFits reports whether the first element matching ch inside each
// item (the item itself last, as Scrape's first does) is its target.
func firstFits(ch chain, items, targets []*html.Node) bool {
	for i, it := range items {
		if firstMatch(ch, it) != targets[i] {
			return false
		}
	}
	return true
}

func firstMatch(ch chain, item *html.Node) *html.Node {
	var found *html.Node
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil && found == nil; c = c.NextSibling {
			if c.Type != html.ElementNode {
				continue
			}
			if ch.matches(c) {
				found = c
				return
			}
			walk(c)
		}
	}
	walk(item)
	if found == nil && ch.matches(item) {
		return item
	}
	return found
}
