package parse

import (
	"math"
	"regexp"
	"strings"
	"unicode"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Weighing a candidate list. Each of its items is read as Scrape reads
// an item without selectors, and the list is scored by what that gives:
// how many items have a date, whether their titles read like headlines
// (CJK headlines are 8–60 characters; menus have 2–6), whether their
// links differ, how many there are, and where the list sits (the main
// column over a sidebar, navigation or footer; before a pager; in a known
// CMS's list container). A menu, a pager or a list of 友情链接 never
// wins over a dated list of headlines.

// weighed is a candidate list read and scored.
type weighed struct {
	g     *group
	reads []itemRead
	// dated counts the entries with a date; items the members read.
	dated int
	score float64
}

// maxWeighed bounds the items of one candidate read to score it: a list
// is told from a menu long before its 200th item.
const maxWeighed = 200

// weigh reads and scores g; nil when it is no list of entries (fewer than
// three, a pager, a menu: neither dates nor headlines).
func (d *detector) weigh(g *group) *weighed {
	members := g.members[:min(len(g.members), maxWeighed)]
	r := &itemReader{sc: &scraper{}, pc: newPageContext(d.base, d.pageURL, members, d.resolved)}
	w := &weighed{g: g}
	var st listStats
	for _, m := range members {
		read := r.read(&goquery.Selection{Nodes: []*html.Node{m}})
		if read.reason != "" {
			continue
		}
		w.reads = append(w.reads, read)
		st.add(read)
	}
	n := float64(len(w.reads))
	if n < 3 || st.pagerTitles*2 >= len(w.reads) {
		return nil
	}
	dateFrac, headFrac := float64(st.dated)/n, st.headlines/n
	if dateFrac < 0.3 && headFrac < 0.3 {
		return nil
	}
	w.dated = st.dated
	w.score = math.Log2(1+n) *
		(0.25 + 0.75*dateFrac) *
		(0.15 + 0.85*headFrac) *
		(float64(len(st.links)) / n) *
		(0.3 + 0.7*float64(st.compact)/n) *
		math.Sqrt(n/float64(len(members))) *
		positionFactor(g.members[0].Parent) *
		pagerFactor(g) *
		titledFactor(g, d.column) *
		familyFactor(g, st.linkList)
	return w
}

// listStats are the counts weighing a list takes.
type listStats struct {
	dated, compact, pagerTitles int
	headlines                   float64
	links                       map[string]bool
	linkList                    []string
}

func (st *listStats) add(read itemRead) {
	if st.links == nil {
		st.links = make(map[string]bool)
	}
	if read.found.Date > 0 {
		st.dated++
	}
	if read.hrefs <= 3 {
		st.compact++
	}
	if pagerTitleRe.MatchString(read.item.Title) {
		st.pagerTitles++
	}
	st.headlines += headline(read.item.Title)
	if !st.links[read.item.Link] {
		st.links[read.item.Link] = true
		st.linkList = append(st.linkList, read.item.Link)
	}
}

// pagerTitleRe are the texts of a pager's links.
var pagerTitleRe = regexp.MustCompile(`^(?:\d+|[<>«»‹›]+|首页|尾页|末页|上一?页|下一?页|前一?页|后一?页|第\d+页|上一篇|下一篇|next|prev(?:ious)?|first|last|more|更多)$`)

// headline says how much a title reads like an entry's headline: 1 for
// 8–60 characters (15–200 of mostly Latin text), less for shorter or
// longer ones, 0 for menu entries.
func headline(t string) float64 {
	n := runeLen(t)
	lo, hi := 8, 60
	if latin(t) {
		lo, hi = 15, 200
	}
	switch {
	case n >= lo && n <= hi:
		return 1
	case n >= lo*2/3 && n < lo, n > hi && n <= hi*5/3:
		return 0.5
	}
	return 0
}

// latin reports whether most letters of s are ASCII.
func latin(s string) bool {
	ascii, other := 0, 0
	for _, r := range s {
		switch {
		case r < 128 && unicode.IsLetter(r):
			ascii++
		case unicode.IsLetter(r):
			other++
		}
	}
	return ascii > 2*other
}

// listChromeWords name the parts of a page around its content in ids and
// classes, anywhere in a name ("mainnav", "friendlinks"); listChromeParts
// and listSideParts are such names as a part of one, split at "_" and "-"
// or at its start ("foot_box", "hotnews", but not "photo").
var (
	listChromeWords = []string{"nav", "menu", "footer", "banner", "copyright", "yqlj", "friend", "crumb"}
	listChromeParts = []string{"foot", "links", "position", "location"}
	listSideParts   = []string{"side", "aside", "rank", "paihang", "phb", "hot", "click", "tuijian", "recommend"}
	// listChromeNames are whole names or parts only: "top" is a page's
	// header, "topnews" a homepage's headlines.
	listChromeNames = []string{"top", "head", "header", "dh", "daohang"}
)

// positionFactor weighs where a list sits: in a page's navigation,
// header or footer it is no content list; in a side column it is
// seldom the main one.
func positionFactor(n *html.Node) float64 {
	f := 1.0
	for a := n; a != nil && a.Type == html.ElementNode; a = a.Parent {
		switch a.DataAtom {
		case atom.Nav, atom.Footer, atom.Header:
			f = min(f, 0.3)
		case atom.Aside:
			f = min(f, 0.6)
		}
		for _, w := range strings.Fields(strings.ToLower(attrVal(a, "class") + " " + attrVal(a, "id"))) {
			switch {
			case containsAny(w, listChromeWords) || hasPart(w, listChromeParts, true) || hasPart(w, listChromeNames, false):
				f = min(f, 0.3)
			case hasPart(w, listSideParts, true):
				f = min(f, 0.6)
			}
		}
	}
	return f
}

// hasPart reports whether name has one of words as a part between "_"
// or "-", or (with prefix) starts with one.
func hasPart(name string, words []string, prefix bool) bool {
	for _, w := range words {
		if prefix && strings.HasPrefix(name, w) {
			return true
		}
	}
	for _, part := range strings.FieldsFunc(name, func(r rune) bool { return r == '_' || r == '-' }) {
		for _, w := range words {
			if part == w {
				return true
			}
		}
	}
	return false
}

func containsAny(s string, words []string) bool {
	for _, w := range words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// listPagerRe is the text of a pager ("共20条 1/2 首页 上页 下页 尾页").
var listPagerRe = regexp.MustCompile(`下一?页|尾页|末页|上一?页|共\s*\d+\s*[条页]|第\s*\d+\s*页|\d+\s*/\s*\d+\s*页|createPageHTML|[Nn]ext\s*(?:page|»|>)`)

// pagerFactor favours a list a pager follows: a column page's own list,
// not a box beside it.
func pagerFactor(g *group) float64 {
	last := g.members[len(g.members)-1]
	if followedByPager(last, 8) {
		return 1.5
	}
	for a, level := last.Parent, 0; a != nil && level < 3; a, level = a.Parent, level+1 {
		if followedByPager(a, 4) {
			return 1.5
		}
	}
	return 1
}

// followedByPager reports whether one of the next few element siblings
// of n is a pager: by its text, or by its name (pagers a script fills in
// later are empty in the page as fetched).
func followedByPager(n *html.Node, limit int) bool {
	for s := n.NextSibling; s != nil && limit > 0; s = s.NextSibling {
		if s.Type != html.ElementNode {
			continue
		}
		limit--
		if namedPager(s) {
			return true
		}
		text := ""
		if s.DataAtom == atom.Script {
			if s.FirstChild != nil {
				text = s.FirstChild.Data[:min(len(s.FirstChild.Data), maxPagerText)]
			}
		} else {
			text = boundedText(s, maxPagerText)
		}
		if listPagerRe.MatchString(text) {
			return true
		}
	}
	return false
}

// maxPagerText bounds the text of an element looked at as a pager: a
// pager is a line, and the footer after a list must not be read whole
// for every candidate.
const maxPagerText = 600

// namedPager reports whether n's class or id names a pager (page,
// pagination, pager, fenye 分页, fy, pgPanel).
func namedPager(n *html.Node) bool {
	for _, w := range strings.Fields(strings.ToLower(attrVal(n, "class") + " " + attrVal(n, "id"))) {
		if strings.Contains(w, "pag") || strings.Contains(w, "fenye") || strings.Contains(w, "pgpanel") || w == "fy" {
			return true
		}
	}
	return false
}

// boundedText is nodeText cut after about max bytes, without reading the
// rest of n.
func boundedText(n *html.Node, max int) string {
	var b strings.Builder
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil && b.Len() < max; c = c.NextSibling {
			switch {
			case c.Type == html.TextNode:
				b.WriteString(c.Data)
			case c.Type == html.ElementNode && !skipText(c):
				walk(c)
			}
		}
	}
	walk(n)
	return collapse(b.String())
}

// columnName is the column a page's <title> names first, as list pages
// title themselves ("学校要闻-示例大学", "工作动态_示例县人民政府"); "" for
// a title of one part (a homepage's).
func columnName(title string) string {
	parts := strings.FieldsFunc(title, func(r rune) bool {
		return strings.ContainsRune("-_|—–·:：>»", r) || unicode.IsSpace(r)
	})
	if len(parts) < 2 || runeLen(parts[0]) < 2 || runeLen(parts[0]) > 12 {
		return ""
	}
	return parts[0]
}

// titledFactor favours the list printed under the page's column name: a
// heading or a breadcrumb ending with it just before the list, as on a
// column page, not a box beside it.
func titledFactor(g *group, column string) float64 {
	if column == "" {
		return 1
	}
	n := g.members[0].Parent
	for level := 0; n != nil && n.Type == html.ElementNode && level < 4; n, level = n.Parent, level+1 {
		seen := 0
		for s := n.PrevSibling; s != nil && seen < 3; s = s.PrevSibling {
			if s.Type != html.ElementNode || skipText(s) {
				continue
			}
			seen++
			if endsWithColumn(boundedText(s, 200), column) {
				return 1.5
			}
		}
	}
	return 1
}

// endsWithColumn reports whether text (a heading, a breadcrumb) ends with
// column, a "more" link after it aside.
func endsWithColumn(text, column string) bool {
	text = strings.TrimSpace(text)
	for _, more := range []string{"更多>>", "更多 >>", "更多>", "更多", "more>>", "More>>", "MORE", "more", ">>", "»"} {
		text = strings.TrimSpace(strings.TrimSuffix(text, more))
	}
	return strings.HasSuffix(text, column)
}

// familyFactor favours a list whose links are a known CMS family's, more
// so inside that family's list container.
func familyFactor(g *group, links []string) float64 {
	f := familyOf(links)
	switch {
	case f == nil:
		return 1
	case f.hints(g.members):
		return 1.5
	}
	return 1.2
}
