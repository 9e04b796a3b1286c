package opml

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"strings"
)

// maxOPMLBytes bounds the OPML file read: a subscription list of tens of
// thousands of feeds is a few megabytes; anything larger is a mistake.
const maxOPMLBytes = 16 << 20

// Feed is one subscription of an OPML file.
type Feed struct {
	URL, Title string
	// Folder is the text of the innermost folder outline holding it ("":
	// directly under <body>).
	Folder string
	// Line is the line of its <outline> in the file, for messages.
	Line int
}

// Note is a message about one outline of the file, at its line.
type Note struct {
	Line int
	Msg  string
}

// List is what an OPML file offers: its feeds in document order, the
// entries skipped (Problems) and the ones changed on the way in (Warnings).
type List struct {
	Feeds              []Feed
	Problems, Warnings []Note
}

// Read reads every outline with an xmlUrl, at any depth (readers nest
// feeds in folders), in document order, noting each one's line and the
// folder it is in. A feed listed twice in one folder is kept once.
// feed:// URLs become http(s) URLs with a warning; an entry whose xmlUrl
// is not an http(s) URL is a problem at its line and left out.
func Read(path string) (*List, error) {
	data, err := readLimited(path, maxOPMLBytes)
	if err != nil {
		return nil, err
	}
	list := &List{}
	if err := walkOPML(data, list); err != nil {
		return nil, fmt.Errorf("%s: not OPML: %w", path, err)
	}
	if len(list.Feeds) == 0 && len(list.Problems) == 0 {
		return nil, fmt.Errorf("%s: no outline with an xmlUrl", path)
	}
	return list, nil
}

func readLimited(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("%s: larger than %d bytes", path, limit)
	}
	return data, nil
}

// walkOPML reads the outlines token by token: encoding/xml's offsets give
// each outline's line, which unmarshalling into structs would lose.
func walkOPML(data []byte, list *List) error {
	dec := xml.NewDecoder(bytes.NewReader(data))
	dec.Strict = false   // exports in the wild carry stray & and HTML entities
	var folders []string // one entry per open outline: its folder text, or "" for a feed
	seen := map[[2]string]bool{}
	lines := lineCounter{data: data, line: 1}
	sawBody := false
	for {
		start := dec.InputOffset()
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if t.Name.Local == "body" {
				sawBody = true
			}
			if t.Name.Local != "outline" {
				continue
			}
			o := outlineAttrs(t)
			if strings.TrimSpace(o.xmlURL) == "" {
				folders = append(folders, strings.TrimSpace(firstNonEmpty(o.text, o.title)))
				continue
			}
			folders = append(folders, "")
			list.add(o, innermost(folders[:len(folders)-1]), lines.at(start), seen)
		case xml.EndElement:
			if t.Name.Local == "outline" && len(folders) > 0 {
				folders = folders[:len(folders)-1]
			}
		}
	}
	if !sawBody {
		return errors.New("no <body> element")
	}
	return nil
}

type outline struct{ text, title, xmlURL string }

func outlineAttrs(t xml.StartElement) outline {
	var o outline
	for _, a := range t.Attr {
		switch a.Name.Local {
		case "text":
			o.text = a.Value
		case "title":
			o.title = a.Value
		case "xmlUrl", "xmlurl", "xmlURL":
			o.xmlURL = a.Value
		}
	}
	return o
}

// innermost is the nearest enclosing folder's text.
func innermost(folders []string) string {
	for i := len(folders) - 1; i >= 0; i-- {
		if folders[i] != "" {
			return folders[i]
		}
	}
	return ""
}

// add checks one feed outline and keeps it, or notes why not.
func (l *List) add(o outline, folder string, line int, seen map[[2]string]bool) {
	raw := strings.TrimSpace(o.xmlURL)
	u, converted, err := feedURL(raw)
	if err != nil {
		l.Problems = append(l.Problems, Note{line, fmt.Sprintf("xmlUrl %q: %v; skipped", raw, err)})
		return
	}
	if converted {
		l.Warnings = append(l.Warnings, Note{line, fmt.Sprintf("xmlUrl %q read as %s", raw, u)})
	}
	if seen[[2]string{folder, u}] {
		return
	}
	seen[[2]string{folder, u}] = true
	// title is what readers fill; text is required by OPML 2.0 and is
	// all some exports carry.
	title := strings.Join(strings.Fields(firstNonEmpty(o.title, o.text)), " ")
	if title == raw || title == u {
		title = ""
	}
	l.Feeds = append(l.Feeds, Feed{URL: u, Title: title, Folder: folder, Line: line})
}

// feedURL turns the feed: scheme some readers export (feed://host/path,
// feed:https://host/path) into the http(s) URL it stands for, and refuses
// anything that is not an absolute http(s) URL with a host.
func feedURL(raw string) (u string, converted bool, err error) {
	u = raw
	if rest, ok := cutPrefixFold(raw, "feed:"); ok {
		converted = true
		switch {
		case strings.HasPrefix(rest, "//"):
			u = "http:" + rest
		default:
			u = rest // feed:https://… and feed:http://…
		}
	}
	p, perr := url.Parse(u)
	switch {
	case perr != nil:
		return "", false, errors.New("not a URL")
	case p.Scheme != "http" && p.Scheme != "https":
		return "", false, errors.New("not an http or https URL")
	case p.Host == "":
		return "", false, errors.New("no host")
	}
	return u, converted, nil
}

func cutPrefixFold(s, prefix string) (string, bool) {
	if len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix) {
		return s[len(prefix):], true
	}
	return s, false
}

// lineCounter gives the 1-based lines of increasing byte offsets of
// data, counting each newline once: counting from the start for every
// outline would make a large file's import quadratic.
type lineCounter struct {
	data []byte
	off  int64 // newlines before off are counted in line
	line int
}

// at is the line of the tag at or after offset off.
func (c *lineCounter) at(off int64) int {
	data := c.data
	// The offset is where the previous token ended: skip the whitespace
	// before the tag, so the line is the tag's own.
	for off < int64(len(data)) && (data[off] == ' ' || data[off] == '\t' || data[off] == '\n' || data[off] == '\r') {
		off++
	}
	if off > c.off {
		c.line += bytes.Count(data[c.off:off], []byte("\n"))
		c.off = off
	}
	return c.line
}

func firstNonEmpty(a, b string) string {
	if strings.TrimSpace(a) != "" {
		return a
	}
	return b
}
