package parse

import (
	"context"
	"errors"
	"fmt"
	"html"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/PuerkitoBio/goquery"
	"github.com/andybalholm/cascadia"
	"github.com/mmcdole/gofeed"

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
// Items without a usable link, and those rules.Skip leaves out, are
// listed in Skipped instead. body may be in any charset DecodeHTML
// recognises. The page is parsed within lim's bounds (see Limiter and
// ListPage.CutAt), waiting for a parse slot with ctx. Errors are
// *ParseError: a selector that does not compile ("scrape.title: …"),
// selectors stopped at lim's SelectorTimeout or by ctx (wrapping
// ErrSelectorStopped), or NoItemsReason (wrapping ErrNoItems) when
// rules.Items matched nothing. Matching elements that all end up skipped
// is no error: Skipped says why.
func Scrape(ctx context.Context, lim *Limiter, body []byte, contentType, pageURL string, rules model.Scrape) (page *ListPage, err error) {
	compiled, err := compileScrape(rules)
	if err != nil {
		return nil, err
	}
	doc, release, err := loadDocument(ctx, lim, body, contentType)
	if err != nil {
		return nil, &ParseError{Reason: err.Error(), Err: err}
	}
	defer release()
	ev, cancel := lim.evaluate(ctx)
	defer cancel()
	defer ev.recover(&err)
	sc := compiled.guard(ev)
	items := doc.FindMatcher(sc.items)
	if items.Length() == 0 {
		return nil, &ParseError{Reason: NoItemsReason, Err: ErrNoItems}
	}
	base := documentBase(doc.Document, pageURL)
	page = &ListPage{CutAt: doc.cutAt, Feed: &gofeed.Feed{
		Title:    collapse(doc.Find("title").First().Text()),
		Link:     pageURL,
		FeedType: FeedTypeHTML,
		Items:    make([]*gofeed.Item, 0, items.Length()),
	}}
	items.Each(func(i int, s *goquery.Selection) {
		item, reason := sc.item(s, base)
		if reason != "" {
			page.Skipped = append(page.Skipped, Skip{Position: i + 1, Title: item.Title, Reason: reason})
			return
		}
		page.Feed.Items = append(page.Feed.Items, item)
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

// compileScrape compiles rules, filling the default title selector.
func compileScrape(rules model.Scrape) (*scrapeRules, error) {
	if strings.TrimSpace(rules.Items) == "" {
		return nil, &ParseError{Reason: "scrape.items: required"}
	}
	sc := &scrapeRules{dateAttr: strings.TrimSpace(rules.DateAttr)}
	title := rules.Title
	if strings.TrimSpace(title) == "" {
		title = "a"
	}
	fields := []struct {
		key, sel string
		dst      *cascadia.Selector
	}{
		{"items", rules.Items, &sc.items}, {"title", title, &sc.title}, {"link", rules.Link, &sc.link},
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

// item reads one matched element; a non-empty reason means it is skipped
// (the item then carries only what was read, for the Skip).
func (sc *scraper) item(s *goquery.Selection, base *url.URL) (*gofeed.Item, string) {
	link, linkEl := sc.itemLink(s, base)
	item := &gofeed.Item{Title: sc.itemTitle(s, linkEl)}
	switch {
	case sc.skip != nil && (s.IsMatcher(sc.skip) || s.FindMatcher(sc.skip).Length() > 0):
		return item, SkipMatched
	case link == "":
		return item, SkipNoLink
	}
	item.Link, item.Links = link, []string{link}
	item.Published = sc.itemDate(s)
	if sc.summary != nil {
		if t := collapse(first(s, sc.summary).Text()); t != "" {
			item.Description = html.EscapeString(t)
		}
	}
	if sc.image != nil {
		if img := imageURL(first(s, sc.image), base); img != "" {
			item.Image = &gofeed.Image{URL: img}
		}
	}
	return item, ""
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

// itemLink is the first usable link: of the elements rules.link matches
// (their href, else their first a[href]), else of the item and its
// a[href] descendants. javascript:, mailto: and "#" are not links.
func (sc *scraper) itemLink(s *goquery.Selection, base *url.URL) (string, *goquery.Selection) {
	var candidates *goquery.Selection
	if sc.link != nil {
		candidates = s.FilterMatcher(sc.link).AddSelection(s.FindMatcher(sc.link))
	} else {
		candidates = s.Filter("[href]").AddSelection(s.Find("a[href]"))
	}
	var link string
	var el *goquery.Selection
	candidates.EachWithBreak(func(_ int, c *goquery.Selection) bool {
		if _, ok := c.Attr("href"); !ok {
			c = c.Find("a[href]").First()
		}
		if l := resolveLink(base, c.AttrOr("href", "")); l != "" {
			link, el = l, c
			return false
		}
		return true
	})
	return link, el
}

// itemTitle is the title element's text, or its title attribute (else the
// link's) when the text is cut or the attribute is longer: CMSs cut
// headlines to fit the column and keep the full one in title="…".
func (sc *scraper) itemTitle(s, linkEl *goquery.Selection) string {
	el := first(s, sc.title)
	text := collapse(el.Text())
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
// read is reported with the text the page really shows. It is cut to
// maxDateText bytes: a date selector matching a whole block must not
// carry the block into every entry.
func (sc *scraper) itemDate(s *goquery.Selection) string {
	var el *goquery.Selection
	switch {
	case sc.date != nil:
		el = first(s, sc.date)
	case sc.dateAttr != "":
		el = s
	default:
		return ""
	}
	raw := el.Text()
	if sc.dateAttr != "" {
		raw = el.AttrOr(sc.dateAttr, "")
	}
	return cutUTF8(collapse(raw), maxDateText)
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
