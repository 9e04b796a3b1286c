package parse

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/PuerkitoBio/goquery"
	"github.com/andybalholm/cascadia"
	"golang.org/x/net/html"
)

// An article page names its headline in several places, none reliable
// alone: a known CMS's title element; a heading near the body, but also a
// banner <h1> holding the school's name and box headings ("通知公告");
// og:title; and <title>, mostly the headline followed by the column and
// site names ("关于…的公告-重庆交通大学-研究生招生信息网"), or before them
// ("示例学院 | 关于…"), or the column's name alone ("通知公告"). The
// headline is the first of these that is not a site or column name, a
// heading counting only where <title> or og:title agrees with it.

// pageNames are the names of a page's site and columns, which are no
// headline: og:site_name, the SiteName and ColumnName of government
// portals' metadata, and the texts of short links (navigation, the
// breadcrumb, the list the article belongs to).
type pageNames struct {
	sites   []string
	columns map[string]bool
}

// maxColumnRunes bounds a link text taken for a column's name: longer
// link texts are headlines of other articles.
const maxColumnRunes = 8

// minHeadlineRunes is the shortest headline: "通知", "新闻" are column
// names.
const minHeadlineRunes = 4

func readPageNames(doc *goquery.Document) *pageNames {
	pn := &pageNames{columns: map[string]bool{}}
	for _, name := range []string{"og:site_name", "sitename", "site_name", "application-name"} {
		if v := metaContent(doc, name); v != "" {
			pn.sites = append(pn.sites, v)
		}
	}
	if v := metaContent(doc, "columnname"); v != "" {
		pn.columns[titleKey(v)] = true
	}
	// The logo: an image linking to the home page, its alt the site's
	// name.
	doc.Find("a[href] img[alt]").Each(func(_ int, img *goquery.Selection) {
		if href, _ := img.Closest("a").Attr("href"); homeLink(href) {
			if alt := collapse(img.AttrOr("alt", "")); alt != "" {
				pn.sites = append(pn.sites, alt)
			}
		}
	})
	doc.Find("a").Each(func(_ int, a *goquery.Selection) {
		if t := collapse(a.Text()); t != "" && utf8.RuneCountInString(t) <= maxColumnRunes {
			pn.columns[titleKey(t)] = true
		}
	})
	for _, w := range genericTitles {
		pn.columns[titleKey(w)] = true
	}
	return pn
}

// homeLink reports whether href links to a site's home page: "/",
// "../../index.htm", "main.htm", "https://host/".
func homeLink(href string) bool {
	href = strings.TrimSpace(href)
	if i := strings.Index(href, "://"); i >= 0 {
		rest := href[i+3:]
		if j := strings.IndexByte(rest, '/'); j >= 0 {
			href = rest[j:]
		} else {
			return true
		}
	}
	href = strings.TrimLeft(strings.ReplaceAll(href, "../", ""), "./")
	switch strings.ToLower(href) {
	case "", "index.htm", "index.html", "index.shtml", "index.asp", "index.aspx", "index.jsp", "index.php", "main.htm", "default.aspx", "default.htm":
		return true
	}
	return false
}

// genericTitles are headings templates print over any article.
var genericTitles = []string{"正文", "详情", "内容", "详细内容", "正文内容", "新闻详情", "文章详情", "信息详情", "内容详情",
	"详情页", "内容页", "文章内容", "新闻内容", "阅读文章", "当前位置", "您当前的位置", "首页", "网站首页", "无标题文档",
	"untitled", "untitled document", "新建网页", "通知", "公告", "新闻", "通知公告", "公告通知", "新闻动态", "学校新闻",
	"学院新闻", "学校要闻", "工作动态", "综合新闻", "图片新闻", "新闻中心"}

// named reports whether s is a site's or a column's name: a column name,
// a part of a site's name, or a site's name with a few words added
// ("示例大学新闻网").
func (pn *pageNames) named(s string) bool {
	k := titleKey(s)
	if k == "" || pn.columns[k] {
		return true
	}
	for _, site := range pn.sites {
		sk := titleKey(site)
		if sk == "" {
			continue
		}
		if strings.Contains(sk, k) || strings.Contains(k, sk) && utf8.RuneCountInString(k)-utf8.RuneCountInString(sk) <= 6 {
			return true
		}
	}
	return false
}

// siteSuffixes end the names of sites and institutions.
var siteSuffixes = []string{"网", "网站", "官网", "主页", "首页", "门户", "平台", "频道", "大学", "学院", "学校", "中学", "小学",
	"幼儿园", "一中", "二中", "三中", "校区", "系", "处", "办", "办公室", "部", "局", "厅", "委", "院", "所", "馆", "中心",
	"政府", "党委", "团委", "工会", "协会", "学会", "集团", "公司"}

// maxSiteRunes bounds a part of <title> taken for a site's name by its
// suffix alone.
const maxSiteRunes = 24

// siteLike reports whether s reads as a site's or institution's name:
// short, ending like one, and without the words of a headline
// ("我校成立人工智能学院" ends like a name too).
func siteLike(s string) bool {
	if utf8.RuneCountInString(s) > maxSiteRunes {
		return false
	}
	for _, w := range headlineWords {
		if strings.Contains(s, w) {
			return false
		}
	}
	for _, suf := range siteSuffixes {
		if strings.HasSuffix(s, suf) {
			return true
		}
	}
	return false
}

// headlineWords occur in headlines and not in the names of sites.
var headlineWords = []string{"关于", "我校", "我院", "召开", "举行", "举办", "成立", "开展", "获", "的", "赴", "参加", "启动",
	"完成", "通知", "公告", "公示", "会议", "活动"}

// good reports whether s may be a headline: long enough, and no site's or
// column's name.
func (pn *pageNames) good(s string) bool {
	return utf8.RuneCountInString(s) >= minHeadlineRunes && !pn.named(s)
}

// cleanTitle is a <title> (or og:title) without the names of the site and
// column around the headline: it is split at the separators templates
// use (" - ", "-", "_", "|", "——", "—"), the parts naming the site or
// column dropped, and the longest remaining part kept together with the
// remaining parts next to it ("…会议——暨…部署会_新闻网" keeps both halves
// of the headline). "" when every part is a name.
func (pn *pageNames) cleanTitle(title string) string {
	parts, seps := splitTitle(collapse(title))
	if len(parts) == 1 {
		if pn.named(parts[0]) || siteLike(parts[0]) {
			return ""
		}
		return parts[0]
	}
	keep := make([]bool, len(parts))
	longest := -1
	for i, p := range parts {
		keep[i] = !pn.named(p) && !siteLike(p)
		if keep[i] && (longest < 0 || utf8.RuneCountInString(p) > utf8.RuneCountInString(parts[longest])) {
			longest = i
		}
	}
	if longest < 0 {
		return ""
	}
	from, to := longest, longest
	for from > 0 && keep[from-1] {
		from--
	}
	for to+1 < len(parts) && keep[to+1] {
		to++
	}
	var b strings.Builder
	for i := from; i <= to; i++ {
		if i > from {
			b.WriteString(seps[i-1])
		}
		b.WriteString(parts[i])
	}
	return b.String()
}

// splitTitle splits a title at its separators, returning the parts
// (trimmed, never empty) and the separators between them as written. A
// hyphen between two ASCII letters or digits ("2025-2026学年",
// "COVID-19") separates nothing.
func splitTitle(s string) (parts, seps []string) {
	rs := []rune(s)
	start := 0
	var sep strings.Builder
	flush := func(end int) {
		if p := strings.TrimSpace(string(rs[start:end])); p != "" {
			if len(parts) > 0 {
				seps = append(seps, sep.String())
			}
			parts = append(parts, p)
			sep.Reset()
		}
	}
	for i := 0; i < len(rs); i++ {
		if !isTitleSep(rs, i) {
			continue
		}
		k := i
		for k > start && rs[k-1] == ' ' {
			k--
		}
		flush(k)
		j := i
		for j < len(rs) && (isTitleSep(rs, j) || rs[j] == ' ') {
			j++
		}
		if len(parts) > 0 {
			sep.WriteString(string(rs[k:j]))
		}
		start, i = j, j-1
	}
	flush(len(rs))
	if len(parts) == 0 {
		return []string{s}, nil
	}
	return parts, seps
}

// isTitleSep reports whether rs[i] separates parts of a title.
func isTitleSep(rs []rune, i int) bool {
	switch rs[i] {
	case '_', '|', '｜', '—', '–', '－', '―':
		return true
	case '-':
		before, after := i > 0 && asciiWordRune(rs[i-1]), i+1 < len(rs) && asciiWordRune(rs[i+1])
		return !(before && after)
	}
	return false
}

func asciiWordRune(r rune) bool {
	return r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r))
}

// titleKey is s reduced to what tells two titles apart: letters and
// digits, lower case, full-width forms folded (white space, punctuation
// and cut marks dropped).
func titleKey(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '！' && r <= '～' {
			r -= 0xFEE0
		}
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// agrees reports whether the heading h and the title t name the same
// article: one begins with the other, the shorter long enough to mean it.
func agrees(h, t string) bool {
	kh, kt := titleKey(h), titleKey(t)
	if utf8.RuneCountInString(kh) < minHeadlineRunes || utf8.RuneCountInString(kt) < minHeadlineRunes {
		return false
	}
	return strings.HasPrefix(kh, kt) || strings.HasPrefix(kt, kh)
}

// headingSelector picks what may be a headline: headings, and elements
// whose class or id names a title ("title", "tit", "tittle", "biaoti",
// "bt").
var headingSelector = cascadia.MustCompile(`h1, h2, h3, [class*=tit], [class*=Tit], [class*=TIT], [id*=tit], [id*=Tit], [class*=biaoti], [class*=bt_], [class=bt]`)

// findHeadline is the page's headline (see above); body is the article
// body when known, fam its CMS.
func findHeadline(doc *goquery.Document, body *html.Node, fam *cmsFamily, ix *pageIndex, pn *pageNames) string {
	if t := collapse(metaContent(doc, "articletitle")); pn.good(t) {
		return t
	}
	var refs []string
	for _, t := range []string{pn.cleanTitle(metaContent(doc, "og:title")), pn.cleanTitle(doc.Find("title").First().Text())} {
		if pn.good(t) {
			refs = append(refs, t)
		}
	}
	agreed := func(t string) bool {
		if len(refs) == 0 {
			return true
		}
		return slices.ContainsFunc(refs, func(r string) bool { return agrees(t, r) })
	}
	if fam != nil && fam.title != nil {
		for _, n := range nearBody(doc, fam.title, body, ix, true) {
			if t := headingText(n); pn.good(t) && agreed(t) {
				return preferLonger(t, refs)
			}
		}
	}
	for _, n := range nearBody(doc, headingSelector, body, ix, false) {
		if t := headingText(n); len(refs) > 0 && pn.good(t) && !inChrome(n) && agreed(t) {
			return preferLonger(t, refs)
		}
	}
	if len(refs) > 0 {
		return refs[0]
	}
	// <title> names only the site or the column: a heading before the
	// body, long enough not to be a box's title, is the headline.
	for _, n := range nearBody(doc, headingSelector, body, ix, true) {
		if t := headingText(n); pn.good(t) && !siteLike(t) && !inChrome(n) && utf8.RuneCountInString(t) >= minLoneHeadingRunes(n) {
			return t
		}
	}
	return ""
}

// minLoneHeadingRunes is how long a heading must be to be taken for the
// headline with no <title> to agree: a real heading (h1–h3) 6 runes, an
// element only named a title ("news_title", "bt_") 8, box titles being
// short.
func minLoneHeadingRunes(n *html.Node) int {
	if isHeading(n) {
		return 6
	}
	return 8
}

// preferLonger is the heading h, or the title of titles that continues
// it mid-word: the template cut the heading ("关于举办2026年…校内选"),
// while a title that continues after a space or a separator only adds a
// name.
func preferLonger(h string, titles []string) string {
	kh := titleKey(h)
	for _, t := range titles {
		if len(t) <= len(h) || !strings.HasPrefix(titleKey(t), kh) || titleKey(t) == kh {
			continue
		}
		if rest := cutKeyPrefix(t, kh); rest != "" {
			if r, _ := utf8.DecodeRuneInString(rest); unicode.IsLetter(r) || unicode.IsDigit(r) {
				return t
			}
		}
	}
	return h
}

// cutKeyPrefix is what follows, in s, the runes whose key is key.
func cutKeyPrefix(s, key string) string {
	n := utf8.RuneCountInString(key)
	for i, r := range s {
		if n == 0 {
			return s[i:]
		}
		if titleKey(string(r)) != "" {
			n--
		}
	}
	return ""
}

func isHeading(n *html.Node) bool {
	return n.Data == "h1" || n.Data == "h2" || n.Data == "h3"
}

// nearBody lists the elements matching sel outside the body, those
// before it nearest first, then (unless beforeOnly) those after it;
// without a body, in document order.
func nearBody(doc *goquery.Document, sel cascadia.Selector, body *html.Node, ix *pageIndex, beforeOnly bool) []*html.Node {
	var before, after []*html.Node
	for _, n := range doc.FindMatcher(sel).Nodes {
		switch {
		case body == nil:
			after = append(after, n)
		case within(body, n) || within(n, body):
		case ix.before(n, body):
			before = append(before, n)
		case !beforeOnly:
			after = append(after, n)
		}
	}
	slices.Reverse(before)
	return append(before, after...)
}

// headingText is the text of a headline element without the info line
// some templates print inside it (PHPCMS: <h1>标题<br><span>2026-12-03
// 16:35 来源：…</span></h1>) and without its hidden parts. A heading
// that is all info keeps its text.
func headingText(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			switch {
			case c.Type == html.TextNode:
				b.WriteString(c.Data)
			case c.Type != html.ElementNode:
			case c.Data == "br":
				b.WriteByte(' ')
			case c.Data == "script" || c.Data == "style" || hiddenNode(c):
			case c.Data != "a" && isInfo(spacedText(c)):
				b.WriteByte(' ')
			default:
				walk(c)
			}
		}
	}
	walk(n)
	if t := collapse(b.String()); utf8.RuneCountInString(t) >= minHeadlineRunes {
		return t
	}
	return spacedText(n)
}

// isInfo reports whether text is an info line (a label, or a date with
// its time) rather than part of a headline, which may hold a day.
func isInfo(text string) bool {
	return labelRe.MatchString(text) || dateRe.MatchString(text) && clockRe.MatchString(text)
}

// hidden reports whether n is hidden by an inline style or attribute.
func hiddenNode(n *html.Node) bool {
	if _, ok := nodeAttrOK(n, "hidden"); ok {
		return true
	}
	style := strings.ReplaceAll(strings.ToLower(nodeAttr(n, "style")), " ", "")
	return strings.Contains(style, "display:none") || strings.Contains(style, "visibility:hidden")
}

func nodeAttrOK(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

// metaContent is the content of the first <meta> whose name, property or
// itemprop is name, compared without case.
func metaContent(doc *goquery.Document, name string) string {
	var out string
	doc.Find("meta").EachWithBreak(func(_ int, m *goquery.Selection) bool {
		for _, key := range []string{"name", "property", "itemprop"} {
			if strings.EqualFold(strings.TrimSpace(m.AttrOr(key, "")), name) {
				out = collapse(m.AttrOr("content", ""))
				return out == ""
			}
		}
		return true
	})
	return out
}
