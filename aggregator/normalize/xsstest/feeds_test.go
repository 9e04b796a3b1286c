package xsstest

import (
	"bytes"
	"html"
	"strings"
	"testing"

	"github.com/mmcdole/gofeed"
)

// TestGenerator_Feeds parses every generated feed as the daemon does and
// checks each vector arrives whole in every field: as the raw markup (the
// Markup and CDATA variants) or as HTML-escaped text (Text), so the corpus
// really reaches the normalizer.
func TestGenerator_Feeds(t *testing.T) {
	g := Generator{Canary: "http://127.0.0.1:9", Site: "http://site.test", Chunk: 23}
	feeds := g.Feeds()
	vectors := Vectors()
	if want := len(Kinds()) * ((len(vectors) + 22) / 23); len(feeds) != want {
		t.Fatalf("%d feeds, want %d", len(feeds), want)
	}
	items := 0
	for _, f := range feeds {
		parsed, err := gofeed.NewParser().Parse(bytes.NewReader(f.Body))
		if err != nil {
			t.Fatalf("%s: %v", f.Path, err)
		}
		if len(parsed.Items) != f.Items {
			t.Fatalf("%s: %d items parsed, want %d", f.Path, len(parsed.Items), f.Items)
		}
		for _, it := range parsed.Items {
			n := itemNumber(t, f.Kind, it.Title)
			v := vectors[n-1]
			asText := func(s string) string {
				if f.Kind.Variant == Text {
					return html.EscapeString(s)
				}
				return s
			}
			author := ""
			switch {
			case f.Kind.Format == "rss" && it.DublinCoreExt != nil && len(it.DublinCoreExt.Creator) > 0:
				// gofeed reads "name <email>" into Authors; the
				// normalizer reads dc:creator whole.
				author = it.DublinCoreExt.Creator[0]
			case len(it.Authors) > 0:
				// "name <email>" again; the normalizer takes the
				// name, else the e-mail.
				author = it.Authors[0].Name + it.Authors[0].Email
			}
			for _, c := range []struct{ field, got, want string }{
				{"title", it.Title, asText(Label(f.Kind, n) + g.Adapt(f.Kind, "title", n, v))},
				{"summary", it.Description, asText(g.Adapt(f.Kind, "summary", n, v))},
				{"content", it.Content, g.Adapt(f.Kind, "content", n, v)},
				{"link", it.Link, strings.TrimSpace(LinkOf(g.Adapt(f.Kind, "link", n, v)))},
				{"author", author, asText(g.Adapt(f.Kind, "author", n, v))},
			} {
				if c.field == "link" && f.Kind.Format == "atom" {
					// gofeed resolves and percent-encodes Atom hrefs.
					continue
				}
				if c.field == "author" && f.Kind.Format == "json" && c.got == "" {
					// gofeed splits JSON author names as "name <email>"
					// and drops what does not fit: such a vector never
					// reaches the normalizer.
					continue
				}
				want := c.want
				if f.Kind.Format != "json" {
					want = xmlSafe(want)
				}
				if strings.TrimSpace(c.got) != strings.TrimSpace(want) {
					t.Errorf("%s item %d %s:\n got %q\nwant %q", f.Path, n, c.field, c.got, c.want)
				}
			}
			if !strings.Contains(parsed.Title, asText(g.Adapt(f.Kind, "source", n, v))) {
				t.Errorf("%s: feed title lacks vector %d", f.Path, n)
			}
			items++
		}
	}
	if want := len(Kinds()) * len(vectors); items != want {
		t.Errorf("%d items, want %d", items, want)
	}
}

// itemNumber reads n back from a title starting with Label(kind, n).
func itemNumber(t *testing.T, kind Kind, title string) int {
	t.Helper()
	for n := 1; n <= len(Vectors()); n++ {
		if strings.HasPrefix(title, Label(kind, n)) {
			return n
		}
	}
	t.Fatalf("title %.80q has no %s label", title, kind.Name())
	return 0
}
