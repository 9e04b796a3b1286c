package xsstest

import (
	"fmt"
	"html"
	"strings"
	"time"

	nethtml "golang.org/x/net/html"
)

// Variant is how a feed writes a vector into its fields.
type Variant string

const (
	// Markup writes vectors XML-escaped: the parser hands them over as the
	// raw HTML they are.
	Markup Variant = "markup"
	// CDATA writes vectors in CDATA sections: raw HTML again, reached by
	// another parser path.
	CDATA Variant = "cdata"
	// Text writes titles, summaries, author and feed names HTML-escaped (then
	// XML-escaped): they arrive as text that reads like markup, which every
	// output must show literally. Content stays raw HTML: it is HTML by
	// definition, and its sanitizing to nothing leaves the summary alone.
	Text Variant = "text"
)

// Kind is one format and variant of a generated source feed.
type Kind struct {
	// Format is "rss", "atom" or "json" (JSON Feed 1.1).
	Format  string
	Variant Variant
}

// Name is the kind's name in paths, labels and canary tags, e.g. "rss-cdata".
func (k Kind) Name() string { return k.Format + "-" + string(k.Variant) }

// Kinds lists every generated kind: RSS and Atom in all three variants,
// JSON Feed (which has no CDATA) in two.
func Kinds() []Kind {
	return []Kind{
		{"rss", Markup}, {"rss", CDATA}, {"rss", Text},
		{"atom", Markup}, {"atom", CDATA}, {"atom", Text},
		{"json", Markup}, {"json", Text},
	}
}

// Fields are where a vector is placed; each is part of the canary tag of
// its copy, so a request names the field that ran.
var Fields = []string{"title", "summary", "content", "link", "author", "source"}

// Generator turns the corpus into source feeds.
type Generator struct {
	// Canary is the base URL (no trailing slash) of a server recording every
	// request: an adapted vector that runs requests Canary+"/exec/<tag>",
	// and vectors that load third-party resources load Canary+"/res/<tag>".
	Canary string
	// Site is the base URL of the feeds' own site links; each feed gets its
	// own directory, so relative links differ between feeds.
	Site string
	// Chunk is how many vectors one feed carries; its title carries them
	// all.
	Chunk int
}

// Feed is one generated source feed.
type Feed struct {
	Kind Kind
	// Path is where to serve it, e.g. "/rss-cdata/2.xml".
	Path        string
	ContentType string
	Body        []byte
	// Items is how many items it holds.
	Items int
}

// item is one vector adapted for every field of a feed item.
type item struct {
	n                                     int
	title, summary, content, link, author string
	published                             time.Time
}

// Tag is the canary tag of vector n (1-based) in field of kind.
func Tag(kind Kind, field string, n int) string {
	return fmt.Sprintf("%s.%s.%d", kind.Name(), field, n)
}

// ExecURL is the URL Script requests for tag.
func (g Generator) ExecURL(tag string) string { return g.Canary + "/exec/" + tag }

// Adapt is the package Adapt for vector n of field in kind.
func (g Generator) Adapt(kind Kind, field string, n int, vector string) string {
	tag := Tag(kind, field, n)
	return Adapt(vector, Script(g.ExecURL(tag)), g.Canary+"/res/"+tag)
}

// Feeds generates every kind's feeds from the corpus.
func (g Generator) Feeds() []Feed {
	vectors := Vectors()
	var out []Feed
	for _, kind := range Kinds() {
		for c := 0; c*g.Chunk < len(vectors); c++ {
			first := c * g.Chunk
			out = append(out, g.feed(kind, c, first, vectors[first:min(first+g.Chunk, len(vectors))]))
		}
	}
	return out
}

// Label prefixes the title of vector n of kind, so a test can tell which
// entry it sees.
func Label(kind Kind, n int) string { return fmt.Sprintf("[%s #%d] ", kind.Name(), n) }

func (g Generator) feed(kind Kind, chunk, first int, vectors []string) Feed {
	dir := fmt.Sprintf("/%s/%d", kind.Name(), chunk)
	title := fmt.Sprintf("[%s feed %d]", kind.Name(), chunk)
	items := make([]item, 0, len(vectors))
	base := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	for i, v := range vectors {
		n := first + i + 1
		title += " " + g.Adapt(kind, "source", n, v)
		items = append(items, item{
			n:         n,
			title:     Label(kind, n) + g.Adapt(kind, "title", n, v),
			summary:   g.Adapt(kind, "summary", n, v),
			content:   g.Adapt(kind, "content", n, v),
			link:      LinkOf(g.Adapt(kind, "link", n, v)),
			author:    g.Adapt(kind, "author", n, v),
			published: base.Add(-time.Duration(n) * time.Minute),
		})
	}
	w := writer{kind: kind, site: g.Site + dir + "/", title: title, items: items}
	f := Feed{Kind: kind, Items: len(items)}
	switch kind.Format {
	case "rss":
		f.Path, f.ContentType, f.Body = dir+".xml", "application/rss+xml; charset=utf-8", w.rss()
	case "atom":
		f.Path, f.ContentType, f.Body = dir+".atom", "application/atom+xml; charset=utf-8", w.atom()
	default:
		f.Path, f.ContentType, f.Body = dir+".json", "application/feed+json", w.json()
	}
	return f
}

// LinkOf is the link an item made from vector gets: the first URL the
// vector gives an attribute (a javascript: URL, mostly), else the vector
// itself, which resolves as a relative URL full of markup.
func LinkOf(vector string) string {
	z := nethtml.NewTokenizer(strings.NewReader(vector))
	for {
		switch z.Next() {
		case nethtml.ErrorToken:
			return strings.TrimSpace(vector)
		case nethtml.StartTagToken, nethtml.SelfClosingTagToken:
			for _, a := range z.Token().Attr {
				if urlAttributes[strings.ToLower(a.Key)] && strings.TrimSpace(a.Val) != "" {
					return a.Val
				}
			}
		}
	}
}

// text is s as its variant carries text fields, before format escaping.
func text(v Variant, s string) string {
	if v == Text {
		return html.EscapeString(s)
	}
	return s
}
