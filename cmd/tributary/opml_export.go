package main

import (
	"bytes"
	"cmp"
	"context"
	"encoding/xml"
	"fmt"
	"log/slog"
	"net/url"
	"time"

	"github.com/tributary-rss/tributary/aggregator/config"
	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/aggregator/store"
)

// exportStoreTimeout bounds the store reads of an export: an unreachable
// Redis costs the titles, not the export.
const exportStoreTimeout = 10 * time.Second

// feedInfo is what the store knows of a feed: its own title and its
// site's link.
type feedInfo struct{ Title, Link string }

// knownFeeds reads each configured source's own title and site link from
// the store: the source state as the last poll saw the feed, else the
// newest stored entry's source fields (entries written before the state
// carried them). The embedded store is read from its snapshot and never
// written.
func knownFeeds(ctx context.Context, cfg *config.Config, logger *slog.Logger) (map[string]feedInfo, error) {
	ctx, cancel := context.WithTimeout(ctx, exportStoreTimeout)
	defer cancel()
	st, closeStore, err := openStoreReadOnly(cfg, logger)
	if err != nil {
		return nil, err
	}
	defer closeStore()
	if err := st.Ping(ctx); err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	out := map[string]feedInfo{}
	for _, src := range cfg.Sources() {
		info, err := feedInfoOf(ctx, st, src.ID)
		if err != nil {
			return out, err
		}
		out[src.ID] = info
	}
	return out, nil
}

func feedInfoOf(ctx context.Context, st *store.Store, id string) (feedInfo, error) {
	state, err := st.SourceState(ctx, id)
	if err != nil {
		return feedInfo{}, err
	}
	info := feedInfo{Title: state.Title, Link: state.Link}
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

// exportDoc is an OPML 2.0 subscription list: one folder outline per
// section, its feeds inside, as feed readers import them.
type exportDoc struct {
	XMLName xml.Name        `xml:"opml"`
	Version string          `xml:"version,attr"`
	Title   string          `xml:"head>title"`
	Body    []exportOutline `xml:"body>outline"`
}

type exportOutline struct {
	Text     string          `xml:"text,attr"`
	Title    string          `xml:"title,attr,omitempty"`
	Type     string          `xml:"type,attr,omitempty"`
	XMLURL   string          `xml:"xmlUrl,attr,omitempty"`
	HTMLURL  string          `xml:"htmlUrl,attr,omitempty"`
	Children []exportOutline `xml:"outline"`
}

// exportOPML renders the config's sections (or only section) and their
// sources. A feed's title is the config's, else the feed's own from
// known, and the URL only when neither is known; htmlUrl is the feed's
// site link when known.
func exportOPML(cfg *config.Config, section string, known map[string]feedInfo) ([]byte, error) {
	bySection := map[string][]model.Source{}
	for _, src := range cfg.Sources() {
		for _, id := range src.SectionIDs {
			bySection[id] = append(bySection[id], src)
		}
	}
	doc := exportDoc{Version: "2.0", Title: "Tributary"}
	for _, sec := range cfg.Sections() {
		if section != "" && sec.ID != section {
			continue
		}
		title := cmp.Or(sec.Title, sec.ID)
		folder := exportOutline{Text: title, Title: title, HTMLURL: cfg.BaseURL + "/sections/" + sec.ID}
		for _, src := range bySection[sec.ID] {
			info := known[src.ID]
			name := cmp.Or(src.Title, info.Title, src.URL)
			folder.Children = append(folder.Children, exportOutline{Text: name, Title: name, Type: "rss", XMLURL: src.URL, HTMLURL: webLink(info.Link)})
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
