package xsstest

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"strings"
	"time"
)

// writer renders one generated feed in its kind's format.
type writer struct {
	kind  Kind
	site  string
	title string
	items []item
}

// xmlText writes s as element content the way the kind's variant does:
// CDATA sections or escaped text; the Text variant HTML-escapes text fields
// first (isText is false for content and links, which stay as they are).
func (w writer) xmlText(b *strings.Builder, s string, isText bool) {
	if isText {
		s = text(w.kind.Variant, s)
	}
	if w.kind.Variant == CDATA {
		b.WriteString("<![CDATA[" + strings.ReplaceAll(xmlSafe(s), "]]>", "]]]]><![CDATA[>") + "]]>")
		return
	}
	xmlEscape(b, s)
}

// xmlEscape escapes s for element content and attribute values alike;
// tabs and newlines become references so attribute normalization keeps them.
func xmlEscape(b *strings.Builder, s string) {
	_ = xml.EscapeText(b, []byte(s)) // a strings.Builder never fails
}

func (w writer) element(b *strings.Builder, name, attrs, s string, isText bool) {
	b.WriteString("<" + name + attrs + ">")
	w.xmlText(b, s, isText)
	b.WriteString("</" + name + ">\n")
}

func (w writer) rss() []byte {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="utf-8"?>` + "\n")
	b.WriteString(`<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">` + "\n<channel>\n")
	w.element(&b, "title", "", w.title, true)
	b.WriteString("<link>")
	xmlEscape(&b, w.site)
	b.WriteString("</link>\n<description>XSS corpus</description>\n")
	for _, it := range w.items {
		b.WriteString("<item>\n")
		w.element(&b, "title", "", it.title, true)
		w.element(&b, "link", "", it.link, false)
		fmt.Fprintf(&b, "<guid isPermaLink=\"false\">%s-%d</guid>\n", w.kind.Name(), it.n)
		b.WriteString("<pubDate>" + it.published.Format(time.RFC1123Z) + "</pubDate>\n")
		w.element(&b, "description", "", it.summary, true)
		w.element(&b, "content:encoded", "", it.content, false)
		w.element(&b, "dc:creator", "", it.author, true)
		b.WriteString("</item>\n")
	}
	b.WriteString("</channel>\n</rss>\n")
	return []byte(b.String())
}

func (w writer) atom() []byte {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="utf-8"?>` + "\n")
	b.WriteString(`<feed xmlns="http://www.w3.org/2005/Atom">` + "\n")
	// Atom says what a text construct holds: as "html" the Markup and
	// CDATA vectors are HTML, and the Text ones HTML-escaped text.
	w.element(&b, "title", ` type="html"`, w.title, true)
	fmt.Fprintf(&b, "<id>urn:xss:%s</id>\n<updated>2025-01-01T00:00:00Z</updated>\n<link rel=\"alternate\" href=\"", w.kind.Name())
	xmlEscape(&b, w.site)
	b.WriteString("\"/>\n")
	for _, it := range w.items {
		b.WriteString("<entry>\n")
		w.element(&b, "title", ` type="html"`, it.title, true)
		fmt.Fprintf(&b, "<id>urn:xss:%s:%d</id>\n", w.kind.Name(), it.n)
		ts := it.published.Format(time.RFC3339)
		b.WriteString("<published>" + ts + "</published>\n<updated>" + ts + "</updated>\n")
		b.WriteString(`<link rel="alternate" href="`)
		xmlEscape(&b, it.link)
		b.WriteString("\"/>\n<author>")
		w.element(&b, "name", "", it.author, true)
		b.WriteString("</author>\n")
		w.element(&b, "summary", ` type="html"`, it.summary, true)
		w.element(&b, "content", ` type="html"`, it.content, false)
		b.WriteString("</entry>\n")
	}
	b.WriteString("</feed>\n")
	return []byte(b.String())
}

type jsonFeed struct {
	Version     string     `json:"version"`
	Title       string     `json:"title"`
	HomePageURL string     `json:"home_page_url"`
	Items       []jsonItem `json:"items"`
}

type jsonItem struct {
	ID            string       `json:"id"`
	URL           string       `json:"url"`
	Title         string       `json:"title"`
	Summary       string       `json:"summary"`
	ContentHTML   string       `json:"content_html"`
	DatePublished string       `json:"date_published"`
	Authors       []jsonAuthor `json:"authors"`
}

type jsonAuthor struct {
	Name string `json:"name"`
}

func (w writer) json() []byte {
	v := w.kind.Variant
	f := jsonFeed{
		Version:     "https://jsonfeed.org/version/1.1",
		Title:       text(v, w.title),
		HomePageURL: w.site,
	}
	for _, it := range w.items {
		f.Items = append(f.Items, jsonItem{
			ID:            fmt.Sprintf("%s-%d", w.kind.Name(), it.n),
			URL:           it.link,
			Title:         text(v, it.title),
			Summary:       text(v, it.summary),
			ContentHTML:   it.content,
			DatePublished: it.published.Format(time.RFC3339),
			Authors:       []jsonAuthor{{Name: text(v, it.author)}},
		})
	}
	out, err := json.MarshalIndent(f, "", " ")
	if err != nil {
		panic("xsstest: " + err.Error()) // strings and slices always marshal
	}
	return out
}

// xmlSafe is s with the characters XML cannot carry replaced by U+FFFD, as
// xml.EscapeText does, so CDATA sections stay well-formed too.
func xmlSafe(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 && r != '\t' && r != '\n' && r != '\r' {
			return '\uFFFD'
		}
		return r
	}, s)
}
