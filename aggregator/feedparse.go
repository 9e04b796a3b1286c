package aggregator

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
)

// ParseError is a body that did not parse as a feed. Reason is written for
// operators: "not a feed: HTML page: <title>", "parse error at line 12: …".
type ParseError struct {
	Reason string
	Err    error
}

func (e *ParseError) Error() string { return e.Reason }

func (e *ParseError) Unwrap() error { return e.Err }

// parseFeed parses a UTF-8 body with gofeed and collects the feed's polling
// hints (ttl, skipHours/skipDays, sy:updatePeriod).
func parseFeed(body []byte) (*gofeed.Feed, Hints, error) {
	var h Hints
	p := gofeed.NewParser()
	p.RSSTranslator = newRSSHintTranslator(&h)
	feed, err := p.Parse(bytes.NewReader(body))
	if err != nil {
		return nil, h, &ParseError{Reason: parseReason(body, err), Err: err}
	}
	// gofeed takes any JSON object for a JSON Feed; a real one names its
	// version (JSON Feed 1.1 §"version" is required).
	if feed.FeedType == "json" && feed.FeedVersion == "" {
		return nil, h, &ParseError{Reason: "not a feed: " + describeBody(body), Err: gofeed.ErrFeedTypeNotDetected}
	}
	h.UpdateEvery = syndicationPeriod(feed.Extensions)
	return feed, h, nil
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
		return "XML with root <" + xmlRoot(trimmed) + ">"
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

// xmlRoot is the name of the first element, past the prolog and comments.
func xmlRoot(b []byte) string {
	d := xml.NewDecoder(bytes.NewReader(b[:min(len(b), 4<<10)]))
	d.Strict = false
	for {
		tok, err := d.Token()
		if err != nil {
			return "?"
		}
		if se, ok := tok.(xml.StartElement); ok {
			return clip(se.Name.Local, 40)
		}
	}
}
