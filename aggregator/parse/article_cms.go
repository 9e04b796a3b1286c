package parse

import (
	"strings"

	"github.com/PuerkitoBio/goquery"
	"github.com/andybalholm/cascadia"
	"golang.org/x/net/html"
)

// cmsFamily is what the article pages of one content management system
// print, named by the classes and ids its templates use. Most Chinese
// school and government sites run one of a few such systems; their pages
// are laid out with tables, where readability keeps whatever shares a
// table with the body (it never drops candidates inside a table),
// sidebars and share bars included, while the system's own body element
// is exact. docs/sites-without-feeds.md carries this table for operators.
type cmsFamily struct {
	name string
	// body selects the article body. Its innermost match is taken (see
	// innermostBody): templates nest the element, the outer one holding
	// the pager too.
	body cascadia.Selector
	// title selects the headline element, date an element printing the
	// publication time, author one naming the author ("" for none). They
	// are read only on a page whose body is this family's: a bare
	// ".title" means the headline only next to a TRS_Editor body.
	title, date, author cascadia.Selector
}

// cmsFamilies, tried in order; the first whose body holds text is the
// page's. The systems:
//
//   - VSB (博达站群, article URLs info/1001/5678.htm): body .v_news_content
//     inside #vsb_content, nested twice by some templates; the headline in
//     h1 (or h2, h3) of .content-title or of the form
//     _newscontent_fromname, or a td of class titlestyleNNNN beside
//     timestyleNNNN and authorstyleNNNN in the older table templates.
//   - WebPlus (苏迪, URLs 2026/1203/c1234a5678/page.htm): body
//     .wp_articlecontent; h1.arti_title; p.arti_metas holding
//     span.arti_publisher (发布者：) and span.arti_update (发布时间：).
//   - TRS WCM (拓尔思, government portals): body .TRS_Editor or
//     .TRS_UEDITOR, the headline in #title or .title above it, the time in
//     <meta name="PubDate"> (read for every page).
//   - Hanweb JCMS (大汉, government portals, URLs art/2026/12/3/art_…html):
//     body #zoom, headline #ivs_title or .title, <meta name="ArticleTitle">.
//   - Ucap (开普): body #UCAP-CONTENT.
//   - PHPCMS: body #Article .content, its h1 holding the info line in a
//     span (read apart from the headline).
//   - DedeCMS (织梦): .viewbox .content, .viewbox .title h2, .viewbox .info
//     with <small>时间:</small> labels. A bare .content or #content is too
//     common to mean DedeCMS.
//   - WordPress: .entry-content, h1.entry-title, time.entry-date, the
//     byline's author.
//
// 帝国CMS (EmpireCMS) and the unidentified table layouts of many schools
// have no body element of their own: readability reads them, and the
// headline, time and author come from the generic readers (headings near
// the body, <title>, the info line).
var cmsFamilies = []cmsFamily{
	family("VSB", ".v_news_content, #vsb_content, [class^=contentstyle]",
		"[class^=titlestyle], .content-title h1, .content-title h2, .content-title h3, form[name=_newscontent_fromname] h1, form[name=_newscontent_fromname] h2",
		"[class^=timestyle]", "[class^=authorstyle]"),
	family("WebPlus", ".wp_articlecontent", ".arti_title, .Article_Title", ".arti_update, .Article_PublishDate", ".arti_publisher"),
	family("TRS", ".TRS_Editor, .TRS_UEDITOR", "#title, .title, .article-title, .art_title, h1, h2", "", ""),
	family("Hanweb", "#zoom", "#ivs_title, .title, h1, h2", "", ""),
	family("Ucap", "#UCAP-CONTENT", ".title, h1, h2", "", ""),
	family("PHPCMS", "#Article .content", "#Article h1", "", ""),
	family("DedeCMS", ".viewbox .content", ".viewbox .title h2, .viewbox .title h1", ".viewbox .info", ""),
	family("WordPress", ".entry-content", "h1.entry-title, .entry-title", "time.entry-date, .posted-on time", ".byline .author, .author.vcard .fn, a[rel=author], .post-author a, .entry-header a[href*='/author/']"),
}

// family compiles a cmsFamily; the selectors are constants, so a typo
// fails every test.
func family(name, body, title, date, author string) cmsFamily {
	compile := func(s string) cascadia.Selector {
		if s == "" {
			return nil
		}
		return cascadia.MustCompile(s)
	}
	return cmsFamily{name: name, body: compile(body), title: compile(title), date: compile(date), author: compile(author)}
}

// knownBody finds the body of a known CMS in doc: the first family whose
// body selector matches an element with text, and the innermost such
// element (see innermostBody). It returns nil and no family when none
// matches.
func knownBody(doc *goquery.Document, ix *pageIndex) (*html.Node, *cmsFamily) {
	for i := range cmsFamilies {
		f := &cmsFamilies[i]
		for _, n := range doc.FindMatcher(f.body).Nodes {
			if holdsText(n) {
				return innermostBody(n, f.body, ix), f
			}
		}
	}
	return nil, nil
}

// innermostBody descends from el to a match of sel inside it as long as
// that match holds at least half of the text: a VSB template nesting
// .v_news_content twice keeps its pager ("上一条：…【关闭】") in the outer
// one only, while a body made of several matching blocks side by side
// stays whole.
func innermostBody(el *html.Node, sel cascadia.Selector, ix *pageIndex) *html.Node {
	for {
		inner := firstMatchInside(el, sel)
		if inner == nil || 2*textRunes(inner, ix) < textRunes(el, ix) {
			return el
		}
		el = inner
	}
}

// firstMatchInside is the first descendant of el matching sel that holds
// text, nil when none.
func firstMatchInside(el *html.Node, sel cascadia.Selector) *html.Node {
	for _, n := range cascadia.QueryAll(el, sel) {
		if n != el && holdsText(n) {
			return n
		}
	}
	return nil
}

// textRunes is n's text length: from the index when n was indexed, else
// counted (the page changed since).
func textRunes(n *html.Node, ix *pageIndex) int {
	if r, ok := ix.runes[n]; ok {
		return r
	}
	return len([]rune(strings.TrimSpace(spacedText(n))))
}

// hasText reports whether n holds any non-space text.
func holdsText(n *html.Node) bool {
	if n.Type == html.TextNode {
		return strings.TrimSpace(strings.ReplaceAll(n.Data, "\u00a0", " ")) != ""
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if holdsText(c) {
			return true
		}
	}
	return false
}
