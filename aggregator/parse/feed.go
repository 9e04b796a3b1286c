package parse

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"html"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/mmcdole/gofeed"

	"github.com/tributary-rss/tributary/aggregator/doctype"
	"github.com/tributary-rss/tributary/aggregator/model"
)

// ErrHTMLPage is wrapped by Feed's error for an HTML page that advertises
// feeds (ParseError.Feeds lists them); a page advertising none gives
// ErrNoFeed instead.
var ErrHTMLPage = errors.New("HTML page, not a feed")

// ParseError is a body that did not parse as a feed. Reason is written for
// operators: "not a feed: XML with root <urlset>", "parse error at line 12:
// …", NoFeedReason.
type ParseError struct {
	Reason string
	Err    error
	// Feeds are the feeds an HTML page advertises (see Discover), best
	// first; the caller may fetch Feeds[0] instead.
	Feeds []Candidate
	// Lists are the lists of entries found on a page that holds several
	// comparable ones (ErrAmbiguous), best first, for the operator to
	// choose among.
	Lists []model.ListCandidate
}

func (e *ParseError) Error() string { return e.Reason }

func (e *ParseError) Unwrap() error { return e.Err }

// FeedOptions adjusts Feed. The zero value is usable.
type FeedOptions struct {
	// RSSTranslator replaces gofeed's RSS translator, for a caller that
	// wants more of the channel than the universal feed keeps (polling
	// hints). nil means gofeed's default with the per-item HTML scan for
	// an image turned off: package normalize picks images itself.
	RSSTranslator gofeed.Translator
	// URL and ContentType describe where body came from; they resolve and
	// decode the feed links of an HTML page named in the error.
	URL, ContentType string
}

// Feed parses a UTF-8 feed body (RSS, Atom, JSON Feed) with gofeed. A body
// gofeed refuses is retried once after Repair, so documents that are
// almost feeds (text before the XML declaration, an Atom feed inside an
// XHTML page) still parse; a good feed pays nothing for that. Errors are
// *ParseError; for an HTML page they wrap ErrHTMLPage (with the advertised
// Feeds) or ErrNoFeed.
func Feed(body []byte, opts FeedOptions) (*gofeed.Feed, error) {
	feed, err := gofeedParse(body, opts)
	if err == nil {
		return feed, nil
	}
	if fixed := Repair(body); !sameBytes(fixed, body) {
		if feed, err2 := gofeedParse(fixed, opts); err2 == nil {
			return feed, nil
		}
	}
	return nil, feedError(body, err, opts)
}

func gofeedParse(body []byte, opts FeedOptions) (*gofeed.Feed, error) {
	p := gofeed.NewParser()
	p.RSSTranslator = opts.RSSTranslator
	if p.RSSTranslator == nil {
		p.RSSTranslator = &gofeed.DefaultRSSTranslator{DisableContentImageScan: true}
	}
	feed, err := p.Parse(bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	// gofeed takes any JSON object for a JSON Feed; a real one names its
	// version (JSON Feed 1.1 §"version" is required).
	if feed.FeedType == "json" && feed.FeedVersion == "" {
		return nil, gofeed.ErrFeedTypeNotDetected
	}
	return feed, nil
}

// sameBytes reports whether a and b are the same slice (Repair returns its
// input when it has nothing to repair).
func sameBytes(a, b []byte) bool {
	return len(a) == len(b) && (len(a) == 0 || &a[0] == &b[0])
}

// feedError explains why body is not a feed.
func feedError(body []byte, err error, opts FeedOptions) *ParseError {
	if errors.Is(err, gofeed.ErrFeedTypeNotDetected) && doctype.IsHTML(body, opts.ContentType) {
		feeds := Discover(body, opts.ContentType, opts.URL)
		if len(feeds) == 0 {
			return &ParseError{Reason: NoFeedReason, Err: ErrNoFeed}
		}
		return &ParseError{Reason: "not a feed: HTML page advertising " + feeds[0].URL, Err: ErrHTMLPage, Feeds: feeds}
	}
	return &ParseError{Reason: parseReason(body, err), Err: err}
}

// PageReason says what body looks like to someone who expected a feed:
// "not a feed: HTML page: \"Site maintenance\"". It is the better reason
// for an HTML page advertising no feed at a URL that served a feed before
// (a maintenance or login page), where NoFeedReason's advice would mislead.
func PageReason(body []byte) string {
	return "not a feed: " + describeBody(body)
}

// parseReason says why body is not a feed, with what it looked like.
func parseReason(body []byte, err error) string {
	if errors.Is(err, gofeed.ErrFeedTypeNotDetected) {
		return "not a feed: " + describeBody(body)
	}
	var xe *xml.SyntaxError
	if errors.As(err, &xe) {
		return fmt.Sprintf("parse error at line %d: %s", xe.Line, xe.Msg)
	}
	var je *json.SyntaxError
	if errors.As(err, &je) {
		return fmt.Sprintf("parse error at line %d: %s", lineAt(body, je.Offset), je.Error())
	}
	return "parse error: " + err.Error()
}

var titleRe = regexp.MustCompile(`(?is)<title[^>]*>(.*?)</title>`)

// describeBody names what a non-feed body looks like, briefly.
func describeBody(body []byte) string {
	trimmed := bytes.TrimSpace(body)
	head := strings.ToLower(string(trimmed[:min(len(trimmed), 512)]))
	switch {
	case len(trimmed) == 0:
		return "empty body"
	case strings.Contains(head, "<html") || strings.HasPrefix(head, "<!doctype html"):
		if m := titleRe.FindSubmatch(trimmed[:min(len(trimmed), 64<<10)]); m != nil {
			return fmt.Sprintf("HTML page: %q", clip(html.UnescapeString(strings.Join(strings.Fields(string(m[1])), " ")), 80))
		}
		return "HTML page without a title"
	case trimmed[0] == '{' || trimmed[0] == '[':
		return "JSON that is not a JSON Feed"
	case trimmed[0] == '<':
		return "XML with root <" + doctype.XMLRoot(trimmed) + ">"
	}
	return fmt.Sprintf("starts with %q", clip(string(trimmed), 40))
}

func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}

func lineAt(b []byte, offset int64) int {
	offset = min(max(offset, 0), int64(len(b)))
	return bytes.Count(b[:offset], []byte("\n")) + 1
}
