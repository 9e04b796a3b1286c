package publish

import (
	"bytes"
	"cmp"
	"context"
	"encoding/xml"
	"fmt"
	"net/http"
	"net/url"
	"sync"
	"sync/atomic"
	"time"

	"github.com/tributary-rss/tributary/aggregator/model"
)

// opmlDoc is an OPML 2.0 subscription list: one outline per section, its
// sources inside, as feed readers import them.
type opmlDoc struct {
	XMLName xml.Name    `xml:"opml"`
	Version string      `xml:"version,attr"`
	Title   string      `xml:"head>title"`
	Body    []opmlEntry `xml:"body>outline"`
}

type opmlEntry struct {
	Text     string      `xml:"text,attr"`
	Title    string      `xml:"title,attr,omitempty"`
	Type     string      `xml:"type,attr,omitempty"`
	XMLURL   string      `xml:"xmlUrl,attr,omitempty"`
	HTMLURL  string      `xml:"htmlUrl,attr,omitempty"`
	Children []opmlEntry `xml:"outline"`
}

func (s *Server) handleOPML(w http.ResponseWriter, r *http.Request) {
	rend, ok := s.servedOPML()[""]
	if !ok {
		writeText(w, http.StatusInternalServerError, "the OPML document could not be rendered")
		return
	}
	writeRendering(w, r, rend, false)
}

func (s *Server) handleSectionOPML(w http.ResponseWriter, r *http.Request, id string) {
	rend, ok := s.servedOPML()[id]
	if !ok || id == "" {
		writeText(w, http.StatusNotFound, fmt.Sprintf("unknown section %q", id))
		return
	}
	writeRendering(w, r, rend, false)
}

// buildOPML renders /opml (key "") and every /sections/{id}.opml from the
// config and what is known of each feed (nil: the config alone).
func (s *Server) buildOPML(sections []model.Section, sources []model.Source, known map[string]opmlFeed) (map[string]*rendering, error) {
	bySection := map[string][]model.Source{}
	for _, src := range sources {
		for _, id := range src.SectionIDs {
			bySection[id] = append(bySection[id], src)
		}
	}
	out := map[string]*rendering{}
	var all []opmlEntry
	for _, sec := range sections {
		outline := s.opmlSection(sec, bySection[sec.ID], known)
		all = append(all, outline)
		rend, err := s.opmlRendering(outline.Text, []opmlEntry{outline})
		if err != nil {
			return nil, err
		}
		out[sec.ID] = rend
	}
	rend, err := s.opmlRendering("Tributary", all)
	if err != nil {
		return nil, err
	}
	out[""] = rend
	return out, nil
}

// opmlSection is a section's outline. Source URLs lose their credentials
// (see redactURL) unless FullSourceURLs asks for them whole: a served
// OPML is public, the operator's export is not.
func (s *Server) opmlSection(sec model.Section, sources []model.Source, known map[string]opmlFeed) opmlEntry {
	d := feedData{Section: sec, BaseURL: s.opts.BaseURL}
	outline := opmlEntry{Text: d.title(), Title: d.title(), HTMLURL: d.pageURL()}
	secret := newSecretParams(s.opts.SecretParams)
	for _, src := range sources {
		feedURL := src.URL
		if !s.opts.FullSourceURLs {
			feedURL = redactURL(feedURL, secret)
		}
		feed := known[src.ID]
		title := cmp.Or(src.Title, feed.title, feedURL)
		outline.Children = append(outline.Children, opmlEntry{Text: title, Title: title, Type: "rss", XMLURL: feedURL, HTMLURL: feed.site})
	}
	return outline
}

func (s *Server) opmlRendering(title string, body []opmlEntry) (*rendering, error) {
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	enc.Indent("", "  ")
	if err := enc.Encode(opmlDoc{Version: "2.0", Title: title, Body: body}); err != nil {
		return nil, fmt.Errorf("render opml: %w", err)
	}
	buf.WriteByte('\n')
	return newStaticRendering(formatOPML, buf.Bytes(), s.headers[formatOPML])
}

// opmlFeed is what the store knows of a feed that the config may not say:
// its own title and the site it links to.
type opmlFeed struct{ title, site string }

// opmlRefresh is how long a served OPML carrying the feeds' own titles is
// reused: they change rarely, and rebuilding reads every source's state.
const opmlRefresh = 5 * time.Minute

// liveOPML holds the served OPML documents built with the feeds' own
// titles and site links (the config alone names neither when it gives no
// title), rebuilt at most every opmlRefresh by one request at a time
// while the others are served what was built last.
type liveOPML struct {
	mu  sync.Mutex
	cur atomic.Pointer[liveOPMLDocs]
}

type liveOPMLDocs struct {
	cat   *catalog
	built time.Time
	docs  map[string]*rendering
}

// servedOPML returns the OPML documents to serve: the config's alone
// without a status reader, else those built with what the store knows
// for the current catalog, refreshed when older than opmlRefresh. A
// failed read of the store serves the config's documents.
func (s *Server) servedOPML() map[string]*rendering {
	cat := s.cat()
	if s.opts.Status == nil {
		return s.configOPML(cat)
	}
	cur := s.opml.cur.Load()
	if cur != nil && cur.cat == cat && s.opts.Now().Sub(cur.built) < opmlRefresh {
		return cur.docs
	}
	if !s.opml.mu.TryLock() {
		if cur != nil && cur.cat == cat {
			return cur.docs
		}
		return s.configOPML(cat)
	}
	defer s.opml.mu.Unlock()
	docs, err := s.opmlWithFeeds(cat)
	if err != nil {
		s.log.Warn("opml: the feeds' own titles are unavailable, serving the config's", "err", err)
		docs = s.configOPML(cat)
	}
	s.opml.cur.Store(&liveOPMLDocs{cat: cat, built: s.opts.Now(), docs: docs})
	return docs
}

// configOPML is the catalog's OPML documents from the config alone; a
// document that cannot be rendered (never seen: every string is
// escaped) leaves them out, logged.
func (s *Server) configOPML(cat *catalog) map[string]*rendering {
	docs, err := cat.opml()
	if err != nil {
		s.log.Error("opml: render the config's documents", "err", err)
		return map[string]*rendering{}
	}
	return docs
}

func (s *Server) opmlWithFeeds(cat *catalog) (map[string]*rendering, error) {
	ctx, cancel := context.WithTimeout(context.Background(), renderTimeout)
	defer cancel()
	statuses, err := s.opts.Status.SourceStatuses(ctx, cat.sources)
	if err != nil {
		return nil, err
	}
	secret := newSecretParams(s.opts.SecretParams)
	known := make(map[string]opmlFeed, len(statuses))
	for _, st := range statuses {
		known[st.ID] = opmlFeed{title: st.Title, site: redactURL(siteLink(st.SiteLink), secret)}
	}
	return s.buildOPML(cat.list, cat.sources, known)
}

// siteLink keeps a feed's site link only when it is an absolute http(s)
// URL: it comes from the feed, and an OPML reader may open it.
func siteLink(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil {
		return ""
	}
	return u.String()
}
