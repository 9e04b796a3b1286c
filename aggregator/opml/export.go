package opml

import (
	"bytes"
	"cmp"
	"context"
	"encoding/xml"
	"fmt"
	"net/url"

	"github.com/tributary-rss/tributary/aggregator/config"
	"github.com/tributary-rss/tributary/aggregator/model"
)

// FeedInfo is what the store knows of a feed: its own title and its
// site's link.
type FeedInfo struct{ Title, Link string }

// StateReader is what Known reads of the store.
type StateReader interface {
	SourceState(ctx context.Context, id string) (model.SourceState, error)
	SourceEntries(ctx context.Context, id string, n int) ([]model.Entry, error)
}

// Known reads each of the sources' own title and site link from the
// store: the source state as the last poll saw the feed, else the newest
// stored entry's source fields (entries written before the state carried
// them). What was read before an error is returned with it.
func Known(ctx context.Context, st StateReader, sources []model.Source) (map[string]FeedInfo, error) {
	out := map[string]FeedInfo{}
	for _, src := range sources {
		info, err := feedInfoOf(ctx, st, src.ID)
		if err != nil {
			return out, err
		}
		out[src.ID] = info
	}
	return out, nil
}

func feedInfoOf(ctx context.Context, st StateReader, id string) (FeedInfo, error) {
	state, err := st.SourceState(ctx, id)
	if err != nil {
		return FeedInfo{}, err
	}
	info := FeedInfo{Title: state.Title, Link: state.Link}
	if info.Title != "" && info.Link != "" {
		return info, nil
	}
	entries, err := st.SourceEntries(ctx, id, 1)
	if err != nil {
		return info, fmt.Errorf("read source %s entries: %w", id, err)
	}
	if len(entries) > 0 {
		info.Title = cmp.Or(info.Title, entries[0].SourceTitle)
		info.Link = cmp.Or(info.Link, entries[0].SourceLink)
	}
	return info, nil
}

// Doc is an OPML 2.0 subscription list: one folder outline per
// section, its feeds inside, as feed readers import them.
type Doc struct {
	XMLName xml.Name  `xml:"opml"`
	Version string    `xml:"version,attr"`
	Title   string    `xml:"head>title"`
	Body    []Outline `xml:"body>outline"`
}

type Outline struct {
	Text     string    `xml:"text,attr"`
	Title    string    `xml:"title,attr,omitempty"`
	Type     string    `xml:"type,attr,omitempty"`
	XMLURL   string    `xml:"xmlUrl,attr,omitempty"`
	HTMLURL  string    `xml:"htmlUrl,attr,omitempty"`
	Children []Outline `xml:"outline"`
}

// Export renders the config's sections (or only section) and their
// sources. A feed's title is the config's, else the feed's own from
// known, and the URL only when neither is known; htmlUrl is the feed's
// site link when known.
func Export(cfg *config.Config, section string, known map[string]FeedInfo) ([]byte, error) {
	bySection := map[string][]model.Source{}
	for _, src := range cfg.Sources() {
		for _, id := range src.SectionIDs {
			bySection[id] = append(bySection[id], src)
		}
	}
	doc := Doc{Version: "2.0", Title: "Tributary"}
	for _, sec := range cfg.Sections() {
		if section != "" && sec.ID != section {
			continue
		}
		title := cmp.Or(sec.Title, sec.ID)
		folder := Outline{Text: title, Title: title, HTMLURL: cfg.BaseURL + "/sections/" + sec.ID}
		for _, src := range bySection[sec.ID] {
			info := known[src.ID]
			name := cmp.Or(src.Title, info.Title, src.URL)
			folder.Children = append(folder.Children, Outline{Text: name, Title: name, Type: "rss", XMLURL: src.URL, HTMLURL: webLink(info.Link)})
		}
		doc.Body = append(doc.Body, folder)
		if section != "" {
			doc.Title = title
		}
	}
	if section != "" && len(doc.Body) == 0 {
		return nil, fmt.Errorf("%s: no section %q", cfg.Path, section)
	}
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return nil, fmt.Errorf("render opml: %w", err)
	}
	buf.WriteByte('\n')
	return buf.Bytes(), nil
}

// webLink keeps a site link a reader can open: the link comes from the
// feed, and an OPML file is imported by other programs, so anything but
// an absolute http(s) URL (javascript:, data:) is left out.
func webLink(link string) string {
	u, err := url.Parse(link)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return ""
	}
	return link
}
