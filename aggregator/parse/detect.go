package parse

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math"
	"net/url"
	"slices"
	"strings"

	"github.com/PuerkitoBio/goquery"
	"github.com/andybalholm/cascadia"
	"golang.org/x/net/html"

	"github.com/tributary-rss/tributary/aggregator/model"
)

// NoListReason is what an operator is told about a page on which
// detection found no list of entries.
const NoListReason = "no list of links with titles found on the page"

// ErrNoList is wrapped by Detect's error when the page holds no list of
// entries; its text is NoListReason.
var ErrNoList = errors.New(NoListReason)

// Detection is what Detect found on a page.
type Detection struct {
	// Lists are the candidate lists, best first (at most maxLists), each
	// with the selectors that read it, its item count and samples.
	Lists []model.ListCandidate
	// Ambiguous is set when the best list is not clearly the page's main
	// one: another of Lists is comparable to it (see Comparable). The page
	// should not be read by guessing; AmbiguityReason(Lists) says why.
	Ambiguous bool
	// CutAt is the element bound the page was cut at, as in ListPage.
	CutAt int
}

// Limits of what Detect proposes.
const (
	// maxLists bounds Detection.Lists.
	maxLists = 5
	// minListShare drops candidates scoring under this share of the best:
	// not worth an operator's look.
	minListShare = 0.2
	// maxSamples is the samples of a candidate.
	maxSamples = 3
)

// Detect finds the lists of entries on an HTML page whose feed, if any,
// is not wanted: the groups of at least three same-tag, same-class
// siblings each holding a link, read item by item as Scrape reads them
// without selectors, scored by how many items carry a date, whether
// their titles read as headlines, whether their links differ, their
// number and where they sit (the main column over a sidebar, navigation
// or footer; a list a pager follows; a known CMS family's list container,
// see ListFamilies). Each candidate comes with a selector of its items
// checked against the page, the Link and Date selectors that fit every
// item (else empty: Scrape detects those fields item by item), and its
// first entries as Scrape reads them with those rules.
//
// With rules.Items given only that list is considered: Detect fills the
// fields left empty. Fields rules sets are kept as given in every
// candidate.
//
// The page is parsed within lim's bounds, as Scrape's, and detection
// stops at lim's SelectorTimeout or when ctx ends. Errors are
// *ParseError: NoListReason (wrapping ErrNoList) when no list is found,
// NoItemsReason (wrapping ErrNoItems) when rules.Items matches nothing, a
// selector of rules that does not compile, or a stop (wrapping
// ErrSelectorStopped).
func Detect(ctx context.Context, lim *Limiter, body []byte, contentType, pageURL string, rules model.Scrape) (_ *Detection, err error) {
	if _, err := compileScrape(withItems(rules)); err != nil {
		return nil, err
	}
	doc, release, err := loadListPage(ctx, lim, body, contentType)
	if err != nil {
		return nil, err
	}
	defer release()
	ev, cancel := lim.evaluate(ctx)
	defer cancel()
	defer ev.recover(&err)
	return detectDocument(ev, doc, pageURL, rules)
}

// detectDocument is Detect on a parsed page.
func detectDocument(ev *evaluation, doc *document, pageURL string, rules model.Scrape) (*Detection, error) {
	d := &detector{
		ev: ev, doc: doc.Document, base: documentBase(doc.Document, pageURL), pageURL: pageURL, rules: rules,
		resolved: make(map[string]string), column: columnName(collapse(doc.Find("title").First().Text())),
	}
	det := &Detection{CutAt: doc.cutAt}
	if strings.TrimSpace(rules.Items) != "" {
		c, err := d.given()
		if err != nil {
			return nil, err
		}
		det.Lists = []model.ListCandidate{c}
		return det, nil
	}
	det.Lists = d.lists()
	if len(det.Lists) == 0 {
		return nil, &ParseError{Reason: NoListReason, Err: ErrNoList}
	}
	det.Ambiguous = AmbiguityReason(det.Lists) != ""
	return det, nil
}

// ErrAmbiguous is wrapped by Scrape's error when the rules name no items
// and the page holds several comparable lists (see Comparable): which
// one is wanted is the operator's choice. The error's Reason is
// AmbiguityReason's and its Lists the lists found.
var ErrAmbiguous = errors.New("several comparable lists on the page")

// detectMain is the lists detection finds on a parsed page, best first,
// when the best is clearly the page's main list; else an error: Detect's,
// or the ambiguity (wrapping ErrAmbiguous, with the lists).
func detectMain(ev *evaluation, doc *document, pageURL string, rules model.Scrape) ([]model.ListCandidate, error) {
	det, err := detectDocument(ev, doc, pageURL, rules)
	if err != nil {
		return nil, err
	}
	if det.Ambiguous {
		return nil, &ParseError{Reason: AmbiguityReason(det.Lists), Err: ErrAmbiguous, Lists: det.Lists}
	}
	return det.Lists, nil
}

// withItems is rules with an items selector, so that compileScrape checks
// its other selectors when detection is to find the items.
func withItems(rules model.Scrape) model.Scrape {
	if strings.TrimSpace(rules.Items) == "" {
		rules.Items = "*"
	}
	return rules
}

// detector is one page's detection.
type detector struct {
	ev      *evaluation
	doc     *goquery.Document
	base    *url.URL
	pageURL string
	rules   model.Scrape
	byTag   map[string][]*html.Node
	// resolved caches the page's links made absolute.
	resolved map[string]string
	// column is the column the page's title names (see columnName).
	column string
}

// check stops the evaluation at its deadline, as a guarded selector does
// (see guardedMatcher), for detection's own walks.
func (ev *evaluation) check(key string) {
	select {
	case <-ev.ctx.Done():
		panic(selectorStop{key: key})
	default:
	}
}

// lists are the page's candidate lists, best first.
func (d *detector) lists() []model.ListCandidate {
	w := &walker{ev: d.ev, byTag: make(map[string][]*html.Node)}
	for _, root := range d.doc.Nodes {
		w.walk(root)
	}
	d.byTag = w.byTag
	var scored []*weighed
	for _, g := range mergeAdjacent(w.groups) {
		d.ev.check("list detection")
		if s := d.weigh(g); s != nil {
			scored = append(scored, s)
		}
	}
	slices.SortStableFunc(scored, func(a, b *weighed) int { return cmp.Compare(b.score, a.score) })
	var out []model.ListCandidate
	var chosen []*weighed
	for _, s := range scored {
		if len(out) == maxLists || s.score < minListShare*scored[0].score {
			break
		}
		if slices.ContainsFunc(chosen, func(c *weighed) bool { return c.g.overlaps(s.g) }) {
			continue
		}
		sel := itemsSelector(s.g, d.byTag)
		if sel == "" {
			continue
		}
		c, ok := d.candidate(s, sel)
		if !ok {
			continue
		}
		chosen = append(chosen, s)
		out = append(out, c)
	}
	return out
}

// given is the candidate of rules.Items: its fields left empty filled
// where a selector fits.
func (d *detector) given() (model.ListCandidate, error) {
	sel, err := cascadia.Compile(d.rules.Items)
	if err != nil {
		return model.ListCandidate{}, &ParseError{Reason: "scrape.items: " + err.Error(), Err: err}
	}
	nodes := d.doc.FindMatcher(d.ev.guard("scrape.items", sel)).Nodes
	if len(nodes) == 0 {
		return model.ListCandidate{}, &ParseError{Reason: NoItemsReason, Err: ErrNoItems}
	}
	g := &group{members: nodes}
	s := d.weigh(g)
	if s == nil {
		s = &weighed{g: g}
	}
	c, _ := d.candidate(s, d.rules.Items)
	return c, nil
}

// candidate is s as proposed with its items selector: the selectors of
// its fields where one fits, the rules' own where they set one, and its
// samples read with them. ok is false when the selector does not read the
// list on the page after all.
func (d *detector) candidate(s *weighed, items string) (model.ListCandidate, bool) {
	rules := d.rules
	rules.Items = items
	if rules.Link == "" {
		rules.Link = linkSelector(s)
	}
	if rules.Date == "" && rules.DateAttr == "" {
		rules.Date, rules.DateAttr = dateSelector(s)
	}
	compiled, err := compileScrape(rules)
	if err != nil {
		return model.ListCandidate{}, false
	}
	sc := compiled.guard(d.ev)
	nodes := d.doc.FindMatcher(sc.items).Nodes
	if !coversLinked(nodes, s.g.members) {
		return model.ListCandidate{}, false
	}
	c := model.ListCandidate{Scrape: rules, Items: len(nodes), Dated: s.dated, Score: math.Round(s.score*100) / 100}
	var linked []*html.Node
	if sc.link == nil {
		linked = nodes
	}
	r := &itemReader{sc: sc, pc: newPageContext(d.base, d.pageURL, linked, d.resolved)}
	for _, n := range nodes {
		if len(c.Samples) == maxSamples {
			break
		}
		read := r.read(d.doc.FindNodes(n))
		if read.reason != "" {
			continue
		}
		c.Samples = append(c.Samples, model.ListSample{Title: read.item.Title, Link: read.item.Link, Date: read.item.Published})
	}
	return c, len(c.Samples) > 0
}

// coversLinked reports whether nodes hold every member of a list that
// holds a link.
func coversLinked(nodes, members []*html.Node) bool {
	set := make(map[*html.Node]bool, len(nodes))
	for _, n := range nodes {
		set[n] = true
	}
	for _, m := range members {
		if !set[m] && holdsLink(m) {
			return false
		}
	}
	return true
}

// linkSelector is a selector of the main link that fits every entry of
// s, "" when none does.
func linkSelector(s *weighed) string {
	if len(s.reads) == 0 {
		return ""
	}
	items, targets := make([]*html.Node, len(s.reads)), make([]*html.Node, len(s.reads))
	for i, r := range s.reads {
		items[i], targets[i] = r.node, r.link
	}
	return relativeSelector(items, targets)
}

// dateSelector is a selector of the element holding the date that fits
// every entry of s, "" when none does: every entry must have its date
// alone in an element of its own (not inside its link), which read as a
// whole gives the same date; or every entry a <time datetime>, then read
// from the attribute (attr "datetime").
func dateSelector(s *weighed) (sel, attr string) {
	if len(s.reads) == 0 || s.dated < len(s.reads) {
		return "", ""
	}
	items, targets := make([]*html.Node, len(s.reads)), make([]*html.Node, len(s.reads))
	timeAttr := true
	for i, r := range s.reads {
		items[i], targets[i] = r.node, r.date.node
		timeAttr = timeAttr && r.date.rank == rankTimeAttr
	}
	if timeAttr {
		if sel := relativeSelector(items, targets); sel != "" {
			return sel, "datetime"
		}
		return "", ""
	}
	for _, r := range s.reads {
		n := r.date.node
		if n == nil || n == r.node || r.date.rank > rankDayPure || isAncestor(n, r.link) || isAncestor(r.link, n) ||
			loneDate(joinedText(n)) != r.date.text {
			return "", ""
		}
	}
	return relativeSelector(items, targets), ""
}

// loneDate is the date a text holding only a date gives, as Scrape finds
// it; "" when the text is anything else.
func loneDate(s string) string {
	p := []textPiece{{text: s}}
	if d, ok := splitDate(p, 0, nil); ok {
		return d.text
	}
	if d, ok := pieceDate(p[0], ""); ok && d.rank <= rankDayPure {
		return d.text
	}
	return ""
}

// Comparable reports whether b, a list found after a on the same page,
// is as likely to be the list wanted: it scores at least 0.6 of a, and
// both have at least five items, at least half of them dated. A
// homepage with 学校要闻 and 通知公告 side by side has two such lists; a
// column page with its own list and a small box of headlines beside it
// has one.
func Comparable(a, b model.ListCandidate) bool {
	return b.Score >= 0.6*a.Score &&
		a.Items >= 5 && b.Items >= 5 &&
		2*a.Dated >= a.Items && 2*b.Dated >= b.Items
}

// AmbiguityReason says, for an operator, which lists of a page are
// comparable (the first of lists and those Comparable to it) and how to
// choose: `2 lists found: div.news li (20 items, "学校召开…"), div.notice
// li (8 items, "关于…"); pick one with scrape.items`. It is "" when no
// list is comparable to the first.
func AmbiguityReason(lists []model.ListCandidate) string {
	if len(lists) < 2 {
		return ""
	}
	named := []model.ListCandidate{lists[0]}
	for _, l := range lists[1:] {
		if Comparable(lists[0], l) {
			named = append(named, l)
		}
	}
	if len(named) < 2 {
		return ""
	}
	parts := make([]string, len(named))
	for i, l := range named {
		first := ""
		if len(l.Samples) > 0 {
			first = l.Samples[0].Title
		}
		parts[i] = fmt.Sprintf("%s (%d items, %q)", l.Scrape.Items, l.Items, cutTitle(first, ambiguityTitleRunes))
	}
	return fmt.Sprintf("%d lists found: %s; pick one with scrape.items", len(named), strings.Join(parts, ", "))
}

// ambiguityTitleRunes is how much of a sample title AmbiguityReason shows.
const ambiguityTitleRunes = 12

// cutTitle is s cut to n characters, with "…" when cut.
func cutTitle(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}
