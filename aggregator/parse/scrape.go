package parse

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/PuerkitoBio/goquery"
	"github.com/andybalholm/cascadia"
	"github.com/mmcdole/gofeed"
	"golang.org/x/net/html"

	"github.com/tributary-rss/tributary/aggregator/model"
)

// FeedTypeHTML is the FeedType of the feed Scrape builds from a list page.
const FeedTypeHTML = "html"

// NoItemsReason is what an operator is told about a list page on which
// scrape.items matched nothing: the selector is wrong, or the site changed
// its template.
const NoItemsReason = "scrape.items matched 0 elements"

// ErrNoItems is wrapped by Scrape's error when scrape.items matched
// nothing; its text is NoItemsReason.
var ErrNoItems = errors.New(NoItemsReason)

// Reasons an item of a list page is skipped (Skip.Reason).
const (
	SkipMatched = "matches scrape.skip"
	SkipNoLink  = "no link"
	// SkipScriptLink is an item whose only links are javascript: or "#":
	// the CMS opens the entry by script, and it has no URL of its own.
	SkipScriptLink = "only javascript: or # links"
)

// Skip is an element scrape.items matched that gave no item.
type Skip struct {
	// Position is the element's place among those scrape.items matched,
	// from 1.
	Position int
	// Title is its headline as far as it could be read, for previews.
	Title  string
	Reason string
}

// ListPage is what Scrape read of a list page.
type ListPage struct {
	// Feed is the page as a feed (see Scrape).
	Feed *gofeed.Feed
	// Skipped are the elements scrape.items matched that gave no item.
	Skipped []Skip
	// CutAt is the element bound the page was cut at (Limiter.MaxElements)
	// when it held more: only its top was read, and items further down
	// are missing. 0 when the page was read whole.
	CutAt int
	// Total is how many elements scrape.items matched.
	Total int
	// Fields counts, per field, the matched elements it was found in:
	// where a selector was given, those it matched in; else those whose
	// field detection found one. A field found in none of Total elements
	// is worth a warning ("scrape.date matched 0 of 20 items").
	Fields FieldCounts
	// Rules are the selectors the page was read with: those given, or,
	// when they named no items, those detection chose (the given fields
	// kept).
	Rules model.Scrape
	// Lists are the lists detection found, best first, the one read
	// first; nil when the rules named the items.
	Lists []model.ListCandidate
}

// FieldCounts counts, per field of a list item, the items it was found
// in.
type FieldCounts struct {
	Title, Link, Date, Image int
}

func (c *FieldCounts) add(o FieldCounts) {
	c.Title += o.Title
	c.Link += o.Link
	c.Date += o.Date
	c.Image += o.Image
}

// CutReason says, for an operator, that a list page was cut at limit
// elements.
func CutReason(limit int) string {
	return fmt.Sprintf("page cut after %d elements (the HTML parser's limit): items further down were not read", limit)
}

// Scrape reads a list page (a CMS's 学校要闻 or 通知公告 page) with the
// CSS selectors of rules and returns it as a feed the normalizer takes like
// any other: FeedType FeedTypeHTML, Title the page's <title>, Link pageURL,
// and for each item Title, Link (absolute, against <base href> then
// pageURL), Published (the raw date text, for the normalizer to read in the
// source's zone), Description (the summary as escaped text) and Image.
//
// With rules.Items empty the page's main list is detected first (see
// Detect; the fields rules sets are kept) and read with the selectors
// detection chose, which ListPage.Rules and ListPage.Lists give; a page
// whose best list is not clearly its main one is not guessed at: the
// error is AmbiguityReason's, wrapping ErrAmbiguous, with the lists in
// ParseError.Lists. Each field left empty is found item by item: the main link among the item's links (not a category link like
// "[学校]" or one many items share; a title attribute, else the longest
// text), the full title (the link's title attribute when its text is cut,
// a date printed inside the link left out), the date wherever the item
// prints it (see findItemDate: split forms like <p>03/10</p><span>2025
// </span> are put together as "2025-03-10"), and the first real image.
// ListPage.Fields counts what was found.
//
// Items without a usable link, and those rules.Skip leaves out, are
// listed in Skipped instead. body may be in any charset DecodeHTML
// recognises. The page is parsed within lim's bounds (see Limiter and
// ListPage.CutAt), waiting for a parse slot with ctx. Errors are
// *ParseError: a selector that does not compile ("scrape.title: …"),
// selectors stopped at lim's SelectorTimeout or by ctx (wrapping
// ErrSelectorStopped), NoItemsReason (wrapping ErrNoItems) when
// rules.Items matched nothing, or, when it was empty, Detect's errors and
// the ambiguity. Matching elements that all end up skipped is no error:
// Skipped says why.
func Scrape(ctx context.Context, lim *Limiter, body []byte, contentType, pageURL string, rules model.Scrape) (page *ListPage, err error) {
	compiled, err := compileScrape(withItems(rules))
	if err != nil {
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
	var lists []model.ListCandidate
	if strings.TrimSpace(rules.Items) == "" {
		// One parse serves both: detection reads the document as Scrape
		// would, and the list it chose is read from the same tree.
		if lists, err = detectMain(ev, doc, pageURL, rules); err != nil {
			return nil, err
		}
		rules = lists[0].Scrape
		if compiled, err = compileScrape(rules); err != nil {
			return nil, err
		}
	}
	page, err = scrapeDocument(ev, doc, pageURL, compiled)
	if err != nil {
		return nil, err
	}
	page.Rules, page.Lists = rules, lists
	return page, nil
}

// scrapeDocument reads the items of a parsed page with compiled rules.
func scrapeDocument(ev *evaluation, doc *document, pageURL string, compiled *scrapeRules) (*ListPage, error) {
	sc := compiled.guard(ev)
	items := doc.FindMatcher(sc.items)
	if items.Length() == 0 {
		return nil, &ParseError{Reason: NoItemsReason, Err: ErrNoItems}
	}
	base := documentBase(doc.Document, pageURL)
	page := &ListPage{CutAt: doc.cutAt, Total: items.Length(), Feed: &gofeed.Feed{
		Title:    collapse(doc.Find("title").First().Text()),
		Link:     pageURL,
		FeedType: FeedTypeHTML,
		Items:    make([]*gofeed.Item, 0, items.Length()),
	}}
	// Category links are told by how many items share them, which only
	// detecting the main link needs.
	var linked []*html.Node
	if sc.link == nil {
		linked = items.Nodes
	}
	r := &itemReader{sc: sc, pc: newPageContext(base, pageURL, linked, nil)}
	items.Each(func(i int, s *goquery.Selection) {
		read := r.read(s)
		page.Fields.add(read.found)
		if read.reason != "" {
			page.Skipped = append(page.Skipped, Skip{Position: i + 1, Title: read.item.Title, Reason: read.reason})
			return
		}
		page.Feed.Items = append(page.Feed.Items, read.item)
	})
	return page, nil
}

// scrapeRules is a model.Scrape with its selectors compiled; nil selectors
// were left empty.
type scrapeRules struct {
	items, title, link, date, summary, image, skip cascadia.Selector
	dateAttr                                       string
}

// scraper is a scrapeRules whose selectors stop at the deadline of one
// page's evaluation.
type scraper struct {
	items, title, link, date, summary, image, skip goquery.Matcher
	dateAttr                                       string
}

func (r *scrapeRules) guard(ev *evaluation) *scraper {
	return &scraper{
		items: ev.guard("scrape.items", r.items), title: ev.guard("scrape.title", r.title),
		link: ev.guard("scrape.link", r.link), date: ev.guard("scrape.date", r.date),
		summary: ev.guard("scrape.summary", r.summary), image: ev.guard("scrape.image", r.image),
		skip: ev.guard("scrape.skip", r.skip), dateAttr: r.dateAttr,
	}
}

// compileScrape compiles rules; the selectors left empty stay nil (their
// fields are detected item by item).
func compileScrape(rules model.Scrape) (*scrapeRules, error) {
	if strings.TrimSpace(rules.Items) == "" {
		return nil, &ParseError{Reason: "scrape.items: required"}
	}
	sc := &scrapeRules{dateAttr: strings.TrimSpace(rules.DateAttr)}
	fields := []struct {
		key, sel string
		dst      *cascadia.Selector
	}{
		{"items", rules.Items, &sc.items}, {"title", rules.Title, &sc.title}, {"link", rules.Link, &sc.link},
		{"date", rules.Date, &sc.date}, {"summary", rules.Summary, &sc.summary},
		{"image", rules.Image, &sc.image}, {"skip", rules.Skip, &sc.skip},
	}
	for _, f := range fields {
		if strings.TrimSpace(f.sel) == "" {
			continue
		}
		m, err := cascadia.Compile(f.sel)
		if err != nil {
			return nil, &ParseError{Reason: fmt.Sprintf("scrape.%s: %v", f.key, err), Err: err}
		}
		*f.dst = m
	}
	return sc, nil
}

// CheckSelector reports whether sel is a CSS selector goquery can use;
// the error says what is wrong with it. Config and admin validation call
// it on each selector of a scrape: or content: block.
func CheckSelector(sel string) error {
	if strings.TrimSpace(sel) == "" {
		return errors.New("empty selector")
	}
	_, err := cascadia.Compile(sel)
	return err
}

// first is the first element matching m inside s, else s itself when it
// matches (items: "ul.list > li > a" makes each item its own link).
func first(s *goquery.Selection, m goquery.Matcher) *goquery.Selection {
	if found := s.FindMatcher(m); found.Length() > 0 {
		return found.First()
	}
	if s.IsMatcher(m) {
		return s
	}
	return s.FindMatcher(m) // empty
}

// itemTitle is the title element's text, or its title attribute (else the
// link's) when the text is cut or the attribute is longer: CMSs cut
// headlines to fit the column and keep the full one in title="…". A date
// printed in the text before or after the headline ("标题 [2021-05-19]")
// is no part of it, and does not make the text the longer.
func (sc *scraper) itemTitle(s, linkEl *goquery.Selection) string {
	el := first(s, sc.title)
	text := stripTitleDate(collapse(el.Text()))
	attr := collapse(el.AttrOr("title", ""))
	if attr == "" && linkEl != nil {
		attr = collapse(linkEl.AttrOr("title", ""))
	}
	if attr != "" && (isCut(text) || utf8.RuneCountInString(attr) > utf8.RuneCountInString(text)) {
		return attr
	}
	return text
}

// cutMarks end a headline a CMS shortened.
var cutMarks = []string{"…", "⋯", "...", "..", "。。。"}

func isCut(s string) bool {
	for _, m := range cutMarks {
		if strings.HasSuffix(s, m) {
			return true
		}
	}
	return false
}

// itemDate is the date text (or attribute) of the item, its white space
// collapsed, as the page wrote it: labels, brackets and view counts
// around the date are the normalizer's to read past (normalize.ParseDateAt),
// so feeds and list pages share one date parser, and a date it cannot
// read is reported with the text the page really shows. Numbers in
// different elements stay apart (see joinedText), so a date printed in
// parts reads "10 2025-03". It is cut to maxDateText bytes: a date
// selector matching a whole block must not carry the block into every
// entry. found reports whether the selector (or the attribute) matched.
func (sc *scraper) itemDate(s *goquery.Selection) (date string, found bool) {
	var el *goquery.Selection
	switch {
	case sc.date != nil:
		el = first(s, sc.date)
	case sc.dateAttr != "":
		el = s
	default:
		return "", false
	}
	if el.Length() == 0 {
		return "", false
	}
	if sc.dateAttr != "" {
		raw, ok := el.Attr(sc.dateAttr)
		return cutUTF8(collapse(raw), maxDateText), ok && strings.TrimSpace(raw) != ""
	}
	return cutUTF8(joinedText(el.Nodes[0]), maxDateText), true
}

// maxDateText bounds a list item's date text in bytes; the normalizer
// searches as much of it for a date.
const maxDateText = 1024

// cutUTF8 is s cut to at most n bytes, never inside a character.
func cutUTF8(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// imageURL is the absolute URL of the image el is, or holds. Lazy-loading
// templates keep the real URL in data-original or data-src and a
// placeholder (or nothing) in src.
func imageURL(el *goquery.Selection, base *url.URL) string {
	if el.Length() > 0 && goquery.NodeName(el) != "img" {
		el = el.Find("img").First()
	}
	for _, attr := range []string{"data-original", "data-src", "src"} {
		if u := resolveLink(base, el.AttrOr(attr, "")); u != "" {
			return u
		}
	}
	return ""
}

// itemReader reads the items of one list: with the selectors of sc
// where it has them, by detection (see detect_item.go) where it does not.
type itemReader struct {
	sc *scraper
	pc *pageContext
}

// itemRead is what reading one item gave.
type itemRead struct {
	// node is the item element.
	node *html.Node
	// item carries only Title when reason is not "" (the item is skipped).
	item   *gofeed.Item
	reason string
	// link is the element the link came from; titleEl the one the title
	// came from (nil with a title selector); date the detected date
	// (zero with a date selector).
	link, titleEl *html.Node
	date          foundDate
	// found has 1 for each field found.
	found FieldCounts
	// hrefs counts the item's distinct usable links (without a link
	// selector): an item holding many is a block of a page, not an entry.
	hrefs int
}

// read reads the item s (one element).
func (r *itemReader) read(s *goquery.Selection) itemRead {
	out := itemRead{node: s.Nodes[0]}
	link, script := r.link(s, &out)
	out.item = &gofeed.Item{Title: r.title(s, link, &out)}
	date := r.date(s, &out)
	image := r.image(s, &out)
	switch {
	case r.sc.skip != nil && (s.IsMatcher(r.sc.skip) || s.FindMatcher(r.sc.skip).Length() > 0):
		out.reason = SkipMatched
	case link == nil && script:
		out.reason = SkipScriptLink
	case link == nil:
		out.reason = SkipNoLink
	}
	if out.reason != "" {
		return out
	}
	item := out.item
	item.Link, item.Links = link.href, []string{link.href}
	item.Published = date
	if image != "" {
		item.Image = &gofeed.Image{URL: image}
	}
	if r.sc.summary != nil {
		if t := collapse(first(s, r.sc.summary).Text()); t != "" {
			item.Description = html.EscapeString(t)
		}
	}
	return out
}

// link is the item's link: the first usable one of the elements
// scrape.link matches (their href, else their first a[href]), else the
// item's main link (see pageContext.mainLink). script reports an item
// whose links are all javascript: or "#".
func (r *itemReader) link(s *goquery.Selection, out *itemRead) (l *linkRef, script bool) {
	defer func() {
		if l != nil {
			out.link, out.found.Link = l.node, 1
		}
	}()
	if r.sc.link == nil {
		links := r.pc.itemLinks(s.Nodes[0])
		out.hrefs = distinctHrefs(links)
		l, script = r.pc.mainLink(links)
		if l == nil {
			out.link = anyLink(links)
		}
		return l, script
	}
	candidates := s.FilterMatcher(r.sc.link).AddSelection(s.FindMatcher(r.sc.link))
	script = candidates.Length() > 0
	for _, c := range candidates.Nodes {
		if !hasAttr(c, "href") {
			c = firstLink(c)
		}
		if c == nil {
			script = false
			continue
		}
		ref := r.pc.linkRef(c)
		// A link selector is taken at its word: a link to the page
		// itself is still its link.
		if ref.href = resolveLink(r.pc.base, attrVal(c, "href")); ref.href != "" {
			return &ref, false
		}
		script = script && ref.script
	}
	return nil, script
}

func distinctHrefs(links []linkRef) int {
	n := 0
	for i, l := range links {
		if l.href != "" && !slices.ContainsFunc(links[:i], func(o linkRef) bool { return o.href == l.href }) {
			n++
		}
	}
	return n
}

// firstLink is the first a[href] inside n.
func firstLink(n *html.Node) *html.Node {
	var found *html.Node
	forEachLink(n, func(a *html.Node) {
		if found == nil {
			found = a
		}
	})
	return found
}

// anyLink is the link whose text best names an item that has no usable
// link, for the Skip: its title attribute, else its longest text.
func anyLink(links []linkRef) *html.Node {
	var best *html.Node
	score := -1
	for _, l := range links {
		s := runeLen(l.text)
		if l.title != "" {
			s += 1000
		}
		if s > score {
			best, score = l.node, s
		}
	}
	return best
}

// title is the item's headline: scrape.title's (see scraper.itemTitle),
// else the main link's full title (see linkTitle), else, when that link
// holds no headline ("详细>>", an image), the item's first block of text.
func (r *itemReader) title(s *goquery.Selection, link *linkRef, out *itemRead) string {
	if r.sc.title != nil {
		var linkSel *goquery.Selection
		if out.link != nil {
			linkSel = s.FindNodes(out.link)
		}
		if first(s, r.sc.title).Length() > 0 {
			out.found.Title = 1
		}
		return r.sc.itemTitle(s, linkSel)
	}
	var title string
	switch {
	case link != nil:
		title, out.titleEl = linkTitle(link), out.link
	case out.link != nil:
		ref := r.pc.linkRef(out.link)
		title, out.titleEl = linkTitle(&ref), out.link
	}
	if link != nil && (title == "" || isMore(title)) {
		title, out.titleEl = itemTitleText(s.Nodes[0]), s.Nodes[0]
	}
	if title != "" {
		out.found.Title = 1
	}
	return title
}

// date is the item's date text: scrape.date's or scrape.date_attr's
// (see scraper.itemDate), else the date found in the item (see
// findItemDate).
func (r *itemReader) date(s *goquery.Selection, out *itemRead) string {
	if r.sc.date != nil || r.sc.dateAttr != "" {
		date, found := r.sc.itemDate(s)
		if found {
			out.found.Date = 1
		}
		return date
	}
	d, ok := findItemDate(s.Nodes[0], out.item.Title)
	if !ok {
		return ""
	}
	out.date, out.found.Date = d, 1
	return cutUTF8(d.text, maxDateText)
}

// image is the item's image: of the element scrape.image matches, else
// the first <img> with a real URL that is no bullet or badge.
func (r *itemReader) image(s *goquery.Selection, out *itemRead) string {
	if r.sc.image != nil {
		el := first(s, r.sc.image)
		if el.Length() > 0 {
			out.found.Image = 1
		}
		return imageURL(el, r.pc.base)
	}
	img := firstImage(s.Nodes[0], r.pc.base)
	if img != "" {
		out.found.Image = 1
	}
	return img
}

// loadListPage is loadDocument for a page read as a list: a failure is a
// *ParseError, and records a CMS keeps in a datastore are in the tree
// where a browser shows them (see expandRecords).
func loadListPage(ctx context.Context, lim *Limiter, body []byte, contentType string) (*document, func(), error) {
	doc, release, err := loadDocument(ctx, lim, body, contentType)
	if err != nil {
		return nil, nil, &ParseError{Reason: err.Error(), Err: err}
	}
	for _, root := range doc.Nodes {
		expandRecords(root)
	}
	return doc, release, nil
}
