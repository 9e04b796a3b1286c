package parse

import (
	"net/url"
	"path"
	"strings"
	"unicode"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Reading one list item without selectors: its main link among its links,
// its full title, its image. (Its date is detect_date.go's.) Scrape does
// this for the fields a scrape: block leaves empty, Detect for every item
// of every list it weighs.

// pageContext is what reading an item needs to know of its page.
type pageContext struct {
	base *url.URL
	// self is the page's own URL without fragment: a link to it is no
	// entry.
	self string
	// shared counts, per link, the items of the list holding it: a link
	// that many items share is a category or column link, not an entry's.
	shared map[string]int
	// resolved caches resolve: detection reads the links of a page many
	// times over.
	resolved map[string]string
}

// newPageContext prepares reading the items of one list. resolved, when
// not nil, is a cache of resolved links shared by the lists of one page.
func newPageContext(base *url.URL, pageURL string, items []*html.Node, resolved map[string]string) *pageContext {
	if resolved == nil {
		resolved = make(map[string]string)
	}
	pc := &pageContext{base: base, self: withoutFragment(resolveLink(nil, pageURL)), resolved: resolved}
	pc.shared = make(map[string]int)
	seen := make(map[string]bool)
	for _, it := range items {
		clear(seen)
		forEachLink(it, func(a *html.Node) {
			if href := pc.resolve(attrVal(a, "href")); href != "" && !seen[href] {
				seen[href] = true
				pc.shared[href]++
			}
		})
	}
	return pc
}

// sharedMin is how many items must hold a link for it to be a category
// link: one entry is listed once.
const sharedMin = 3

// resolve is ref made absolute, "" when it leads nowhere an entry can
// (see resolveLink) or to the page itself.
func (pc *pageContext) resolve(ref string) string {
	if href, ok := pc.resolved[ref]; ok {
		return href
	}
	href := pc.resolveOnce(ref)
	pc.resolved[ref] = href
	return href
}

func (pc *pageContext) resolveOnce(ref string) string {
	href := resolveLink(pc.base, ref)
	if href == "" || (pc.self != "" && withoutFragment(href) == pc.self) {
		return ""
	}
	return href
}

func withoutFragment(u string) string {
	if i := strings.IndexByte(u, '#'); i >= 0 {
		return u[:i]
	}
	return u
}

// forEachLink calls fn for n, when it is an <a href>, and each <a href>
// inside n, in document order.
func forEachLink(n *html.Node, fn func(a *html.Node)) {
	if isElement(n, atom.A) && hasAttr(n, "href") {
		fn(n)
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode {
			forEachLink(c, fn)
		}
	}
}

// linkRef is one <a href> of an item.
type linkRef struct {
	node *html.Node
	// href is absolute, "" when the link leads nowhere an entry can.
	href string
	// script is a javascript: or "#" link: the CMS opens the entry by
	// script, and the item cannot be read as an entry.
	script bool
	text   string
	title  string
}

func (pc *pageContext) linkRef(a *html.Node) linkRef {
	raw := cleanRef(attrVal(a, "href"))
	lower := strings.ToLower(raw)
	return linkRef{
		node: a, href: pc.resolve(raw),
		script: raw == "" || strings.HasPrefix(raw, "#") || strings.HasPrefix(lower, "javascript:"),
		text:   nodeText(a), title: collapse(attrVal(a, "title")),
	}
}

// itemLinks are the links of item, item itself first when it is one.
func (pc *pageContext) itemLinks(item *html.Node) []linkRef {
	var out []linkRef
	forEachLink(item, func(a *html.Node) { out = append(out, pc.linkRef(a)) })
	return out
}

// mainLink is the link of an item that leads to its entry: among the
// links that lead somewhere, not a category link ("[学校]", "【通知公告】",
// a link many items share), not a short link to a column page or a
// "more" link when another is there; then the one with a title
// attribute, else the one with the longest text. script reports that the
// item's links all lead nowhere because they are javascript: or "#".
func (pc *pageContext) mainLink(links []linkRef) (best *linkRef, script bool) {
	bestScore, usable := -1, 0
	anyScript, anyOther := false, false
	for i := range links {
		l := &links[i]
		if l.href == "" {
			anyScript = anyScript || l.script
			anyOther = anyOther || !l.script
			continue
		}
		usable++
		if s := pc.linkScore(l, len(links)); s >= 0 && s > bestScore {
			best, bestScore = l, s
		}
	}
	return best, best == nil && usable == 0 && anyScript && !anyOther
}

// linkScore ranks a usable link as an item's main link; below 0 it is a
// category link and never the main link.
func (pc *pageContext) linkScore(l *linkRef, links int) int {
	switch {
	case pc.shared[l.href] >= sharedMin:
		return -2
	case links > 1 && isBracketLabel(l.text):
		return -2
	}
	score := min(runeLen(stripTitleDate(l.text)), 200)
	if l.title != "" && !isMore(l.title) {
		score += 1000
	}
	if isMore(l.text) || (runeLen(l.text) <= 6 && looksLikeListURL(l.href)) {
		score -= 2000 // last among the usable ones, still better than none
	}
	return score + 3000
}

// isBracketLabel reports whether s is a short label in brackets,
// "[学校]", "【通知公告】", "（图片新闻）".
func isBracketLabel(s string) bool {
	if s == "" || runeLen(s) > 14 {
		return false
	}
	for _, b := range [][2]string{{"[", "]"}, {"【", "】"}, {"(", ")"}, {"（", "）"}, {"〔", "〕"}, {"「", "」"}, {"『", "』"}} {
		if strings.HasPrefix(s, b[0]) && strings.HasSuffix(s, b[1]) && strings.Count(s, b[0]) == 1 {
			return true
		}
	}
	return false
}

// moreWords are the texts of "more" and "read on" links.
var moreWords = map[string]bool{
	"更多": true, "more": true, "详细": true, "详情": true, "查看详情": true, "查看": true, "阅读全文": true,
	"全文": true, "阅读更多": true, "readmore": true, "点击查看": true, "进入": true, "详细内容": true,
	"查看更多": true, "了解更多": true, "详细信息": true, "继续阅读": true, "阅读原文": true, "查看全文": true,
	"continuereading": true, "readon": true,
}

// maxMoreRunes bounds the text of a "more" link.
const maxMoreRunes = 16

// isMore reports whether s is the text of a "more" link: "更多>>",
// "[详细]", "Read more »", ">>".
func isMore(s string) bool {
	if len(s) > 3*maxMoreRunes {
		return false
	}
	key := strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return unicode.ToLower(r)
		}
		return -1
	}, s)
	if key == "" {
		return s != "" && strings.Trim(s, " >»›》+.…") == ""
	}
	return moreWords[key]
}

// looksLikeListURL reports whether href is likely a column or list page
// rather than an entry's: a directory, an index or list page, or a path
// without any number (entries' URLs carry ids or dates).
func looksLikeListURL(href string) bool {
	u, err := url.Parse(href)
	if err != nil {
		return false
	}
	if u.Path == "" || strings.HasSuffix(u.Path, "/") {
		return true
	}
	name := strings.ToLower(path.Base(u.Path))
	for _, p := range []string{"index", "list", "default", "more"} {
		if strings.HasPrefix(name, p) {
			return true
		}
	}
	return !strings.ContainsAny(u.Path+u.RawQuery, "0123456789")
}

// linkTitle is the full title of an entry from its main link: the title
// attribute when the link text is cut (…, ...) or the attribute holds the
// text and more; else the text, or, when the link wraps blocks (title,
// date and summary in their own elements), its first block that is no
// date. A date printed inside the link ("标题 [2021-05-19]") is left out.
func linkTitle(l *linkRef) string {
	text := l.text
	switch {
	case wrapsBlocks(l.node):
		text = firstTitleBlock(textBlocks(l.node, nil))
	case l.node.FirstChild != l.node.LastChild:
		if t := textWithoutDates(l.node); t != "" {
			text = t
		}
	}
	text = stripTitleDate(text)
	title := stripTitleDate(l.title)
	switch {
	case title == "" || isMore(title):
	case text == "":
		return title
	case isCut(text) && runeLen(title) >= runeLen(strings.TrimRight(text, ".…⋯。")):
		return title
	case runeLen(title) > runeLen(text) && strings.Contains(title, text):
		return title
	}
	if text == "" {
		return imageAlt(l.node)
	}
	return text
}

// textWithoutDates is n's text without the elements in it that hold a
// date alone (<a><span class="time">2021-05-16</span>标题</a>).
func textWithoutDates(n *html.Node) string {
	var b strings.Builder
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			switch {
			case c.Type == html.TextNode:
				b.WriteString(c.Data)
			case c.Type != html.ElementNode || skipText(c):
			case isWholeDate(nodeText(c)):
			default:
				walk(c)
			}
		}
	}
	walk(n)
	return collapse(b.String())
}

// isWholeDate reports whether s is a date and nothing else but labels
// and brackets: "2021-05-16", "[05-15]", not "10".
func isWholeDate(s string) bool {
	sp, ok := firstDate(s)
	return ok && plausibleDate(s[sp.start:sp.end], sp.full) && onlyDate(s, sp.start, sp.end)
}

// firstTitleBlock is the first block of text that can be a headline: not
// a date, not a "[label]", not "more".
func firstTitleBlock(blocks []string) string {
	for _, b := range blocks {
		if !isDateText(b) && !isBracketLabel(b) && !isMore(b) {
			return b
		}
	}
	return ""
}

// isDateText reports whether s is a date, or a part of one, and nothing
// else: "2025-03-10", "[12-05]", "发布时间：2025-03-10", "10", "2025-03".
func isDateText(s string) bool {
	if dateTokens(s) != nil {
		return true
	}
	sp, ok := firstDate(s)
	return ok && onlyDate(s, sp.start, sp.end)
}

// imageAlt is the alt text of the first image in n.
func imageAlt(n *html.Node) string {
	var alt string
	found := false
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil && !found; c = c.NextSibling {
			switch {
			case isElement(c, atom.Img):
				alt, found = collapse(attrVal(c, "alt")), true
			case c.Type == html.ElementNode:
				walk(c)
			}
		}
	}
	walk(n)
	return alt
}

// itemTitleText is an item's headline when its main link gives none (an
// image, or "详细>>" beside an <h3>): its first block of text that can be
// one.
func itemTitleText(item *html.Node) string {
	return stripTitleDate(firstTitleBlock(textBlocks(item, nil)))
}

// firstImage is the URL of the first <img> in n (or n) with a real URL
// (see imageURLOf) that is no bullet or "new" badge.
func firstImage(n *html.Node, base *url.URL) string {
	if isElement(n, atom.Img) {
		if u := imageURLOf(n, base); u != "" && !isIcon(u) {
			return u
		}
		return ""
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode {
			if u := firstImage(c, base); u != "" {
				return u
			}
		}
	}
	return ""
}

// imageURLOf is the absolute URL of img. Lazy-loading templates keep the
// real URL in data-original or data-src and a placeholder (or nothing) in
// src.
func imageURLOf(img *html.Node, base *url.URL) string {
	for _, key := range []string{"data-original", "data-src", "src"} {
		if u := resolveLink(base, attrVal(img, key)); u != "" {
			return u
		}
	}
	return ""
}

// isIcon reports whether an image URL is a list template's decoration
// (a bullet, a "new" or "top" badge, a spacer) rather than a picture of
// the entry.
func isIcon(u string) bool {
	name := strings.ToLower(path.Base(u))
	if !strings.HasSuffix(name, ".gif") && !strings.HasSuffix(name, ".png") {
		return false
	}
	for _, w := range []string{"new", "hot", "top", "dot", "icon", "ico", "arrow", "point", "bullet", "spacer", "blank", "pixel", "loading", "more", "li_", "jt", "zd"} {
		if strings.HasPrefix(name, w) {
			return true
		}
	}
	return false
}
