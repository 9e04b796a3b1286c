package parse

import (
	"regexp"
	"strings"

	"github.com/andybalholm/cascadia"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// ListFamily is a family of CMS whose list pages detection knows: how
// its entries' links look, and the containers and items its list
// templates use. Detection weighs a list higher when its links look like
// a family's and it sits in (or is made of) that family's elements; it
// never requires them, so a site whose template was customised is still
// read.
type ListFamily struct {
	// Name names the family as site owners know it.
	Name string
	// Links describes its entries' links, for people ("info/NNNN/NNNN.htm").
	Links string
	// LinkPattern matches the path (and query) of its entries' links.
	LinkPattern string
	// Containers and Items are CSS selectors of its list containers and
	// list items.
	Containers []string
	Items      []string
}

// ListFamilies is the table of CMS families common on Chinese
// institutional sites (schools, universities, government bureaus), each
// with the shapes of its list pages:
//
//   - 博达 VSB (站群 of many universities and schools): entries at
//     info/NNNN/NNNN.htm, or content.jsp?…&wbnewsid=NNNN on its dynamic
//     sites; lists in table.winstyleNNNN or div.winstyleNNNN,
//     items li[id^=line_u] or tr[id^=line_u] with <a class="cNNNN">.
//   - WebPlus (苏迪 Sudy, universities): entries at
//     /YYYY/MMDD/cNNNaNNN/page.htm; lists in div[id^=wp_news_w] or
//     .wp_article_list, items .list_item or li.news with .Article_Title
//     and .Article_PublishDate.
//   - TRS WCM (government portals): entries at ./YYYYMM/tYYYYMMDD_NNN.html;
//     lists in .list, .xxgk, .gl_list, items li.
//   - 大汉 Hanweb JCMS (government portals): entries at
//     art/YYYY/M/D/art_NNN_NNN.html; lists in .default_pgContainer, items
//     li or table rows.
//   - DedeCMS (织梦, schools and small sites): entries under /a/….html or
//     plus/view.php?aid=NNN; lists in .list, .listbox, ul.e2.
//   - PHPCMS (schools): entries at index.php?m=content&c=index&a=show or
//     /html/YYYY/column_MMDD/NNN.html; lists in .list, .list-lh.
//   - 帝国CMS EmpireCMS: entries at /e/action/ShowInfo.php?… or
//     /YYYY-MM-DD/NNN.html; lists in .list, .news_list.
//   - WordPress: entries at /YYYY/MM/slug/ or ?p=NNN; lists in main,
//     .site-main, #content, items article.post with .entry-title and
//     time.entry-date.
//
// It is a function so that callers get a copy they may not change the
// detector's by.
func ListFamilies() []ListFamily {
	return []ListFamily{
		{
			Name: "博达 VSB", Links: "info/NNNN/NNNN.htm, content.jsp?urltype=news.NewsContentUrl&…&wbnewsid=NNNN",
			LinkPattern: `(?:/info/\d+/\d+\.s?html?$|content\.jsp\?.*wbnewsid=\d+)`,
			Containers:  []string{`table[class^=winstyle]`, `div[class^=winstyle]`, `ul[class^=winstyle]`},
			Items:       []string{`li[id^=line_u]`, `tr[id^=line_u]`, `div[id^=line_u]`},
		},
		{
			Name: "WebPlus (苏迪)", Links: "YYYY/MMDD/cNNNaNNN/page.htm",
			LinkPattern: `/\d{4}/\d{4}/c\d+a\d+/page\.s?html?$`,
			Containers:  []string{`[id^=wp_news_w]`, `.wp_article_list`, `.wp_news_list`},
			Items:       []string{`.list_item`, `li.news`, `.wp_article_list li`},
		},
		{
			Name: "TRS WCM", Links: "./YYYYMM/tYYYYMMDD_NNN.html",
			LinkPattern: `/\d{6}/t\d{8}_\d+\.s?html?$`,
			Containers:  []string{`.xxgk`, `.xxgk_list`, `.gl_list`, `.list`, `#documentContainer`},
			Items:       []string{`li`},
		},
		{
			Name: "大汉 Hanweb", Links: "art/YYYY/M/D/art_NNN_NNN.html",
			LinkPattern: `/art/\d{4}/\d{1,2}/\d{1,2}/art_\d+_\d+\.html$`,
			Containers:  []string{`.default_pgContainer`, `[id^=cmsList]`},
			Items:       []string{`li`, `tr`},
		},
		{
			Name: "DedeCMS (织梦)", Links: "/a/…/NNN.html, plus/view.php?aid=NNN",
			LinkPattern: `(?:/a/.*\d+\.html$|/plus/view\.php\?aid=\d+)`,
			Containers:  []string{`.list`, `.listbox`, `ul.e2`},
			Items:       []string{`li`},
		},
		{
			Name: "PHPCMS", Links: "index.php?m=content&c=index&a=show…, html/YYYY/…/NNN.html",
			LinkPattern: `(?:index\.php\?m=content&c=index&a=show|/html/\d{4}/\w+_\d{4}/\d+\.html$)`,
			Containers:  []string{`.list`, `.list-lh`},
			Items:       []string{`li`},
		},
		{
			Name: "帝国CMS EmpireCMS", Links: "/e/action/ShowInfo.php?…, /YYYY-MM-DD/NNN.html",
			LinkPattern: `(?:/e/action/ShowInfo\.php\?|/\d{4}-\d{2}-\d{2}/\d+\.html$)`,
			Containers:  []string{`.list`, `.news_list`},
			Items:       []string{`li`},
		},
		{
			Name: "WordPress", Links: "/YYYY/MM/slug/, ?p=NNN",
			LinkPattern: `(?:/\d{4}/\d{2}/[^/]+/?$|\?p=\d+$)`,
			Containers:  []string{`main`, `.site-main`, `#content`, `#main`},
			Items:       []string{`article.post`, `article[class*=post-]`},
		},
	}
}

// listFamily is a ListFamily compiled.
type listFamily struct {
	name       string
	link       *regexp.Regexp
	containers []cascadia.Selector
	items      []cascadia.Selector
}

// knownFamilies is the table compiled once; it is never changed.
var knownFamilies = compileFamilies(ListFamilies())

func compileFamilies(table []ListFamily) []listFamily {
	out := make([]listFamily, 0, len(table))
	for _, f := range table {
		c := listFamily{name: f.Name, link: regexp.MustCompile(f.LinkPattern)}
		for _, s := range f.Containers {
			c.containers = append(c.containers, cascadia.MustCompile(s))
		}
		for _, s := range f.Items {
			c.items = append(c.items, cascadia.MustCompile(s))
		}
		out = append(out, c)
	}
	return out
}

// familyOf is the family most of links belong to (nil when none holds
// at least half of them).
func familyOf(links []string) *listFamily {
	if len(links) == 0 {
		return nil
	}
	for i := range knownFamilies {
		f := &knownFamilies[i]
		n := 0
		for _, l := range links {
			if f.link.MatchString(linkPath(l)) {
				n++
			}
		}
		if 2*n >= len(links) {
			return f
		}
	}
	return nil
}

// linkPath is the path and query of an absolute link.
func linkPath(l string) string {
	if i := strings.Index(l, "://"); i >= 0 {
		l = l[i+3:]
		if j := strings.IndexByte(l, '/'); j >= 0 {
			return l[j:]
		}
		return "/"
	}
	return l
}

// hints reports whether a list whose items are members sits in one of
// f's containers (within a few levels) or is made of its items.
func (f *listFamily) hints(members []*html.Node) bool {
	m := members[0]
	for _, sel := range f.items {
		if sel.Match(m) {
			return true
		}
	}
	for a, level := m.Parent, 0; a != nil && level < 5; a, level = a.Parent, level+1 {
		for _, sel := range f.containers {
			if sel.Match(a) {
				return true
			}
		}
	}
	return false
}

// Bounds of the records expandRecords parses: a datastore holds one
// page of a column (15 to 50 records), never megabytes.
const (
	maxRecords     = 1000
	maxRecordBytes = 1 << 20
)

// expandRecords puts the entries of 大汉 Hanweb JCMS pages where a
// browser shows them. Such a page holds its list as CDATA records of a
// <script type="text/xml"><datastore>, which a script renders into a
// div.default_pgContainer; as fetched, the list is no markup at all. The
// records are parsed and put in a div.default_pgContainer in the
// script's place, so that detection finds the list and the selectors an
// operator copies from the browser's inspector read it.
func expandRecords(doc *html.Node) {
	var stores []*html.Node
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode {
				continue
			}
			if c.DataAtom == atom.Script {
				if strings.EqualFold(attrVal(c, "type"), "text/xml") && c.FirstChild != nil && strings.Contains(c.FirstChild.Data, "<datastore") {
					stores = append(stores, c)
				}
				continue
			}
			walk(c)
		}
	}
	walk(doc)
	budget := maxRecordBytes
	for _, s := range stores {
		budget = expandStore(s, budget)
	}
}

// expandStore replaces the datastore script s by its records, parsing at
// most budget bytes of them, and returns the budget left.
func expandStore(s *html.Node, budget int) int {
	box := &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div,
		Attr: []html.Attribute{{Key: "class", Val: "default_pgContainer"}}}
	text := s.FirstChild.Data
	for n := 0; n < maxRecords && budget > 0; n++ {
		start := strings.Index(text, "<record>")
		if start < 0 {
			break
		}
		text = text[start+len("<record>"):]
		end := strings.Index(text, "</record>")
		if end < 0 {
			break
		}
		record := text[:min(end, budget)]
		text, budget = text[end+len("</record>"):], budget-len(record)
		record = strings.TrimSpace(record)
		record = strings.TrimSuffix(strings.TrimPrefix(record, "<![CDATA["), "]]>")
		nodes, err := html.ParseFragment(strings.NewReader(record), box)
		if err != nil {
			continue
		}
		for _, c := range nodes {
			box.AppendChild(c)
		}
	}
	s.Parent.InsertBefore(box, s)
	s.Parent.RemoveChild(s)
	return budget
}
