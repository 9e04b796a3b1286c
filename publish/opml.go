package publish

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"net/http"

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
	writeRendering(w, r, s.cat().opml[""], false)
}

func (s *Server) handleSectionOPML(w http.ResponseWriter, r *http.Request, id string) {
	rend, ok := s.cat().opml[id]
	if !ok || id == "" {
		writeText(w, http.StatusNotFound, fmt.Sprintf("unknown section %q", id))
		return
	}
	writeRendering(w, r, rend, false)
}

// buildOPML renders /opml (key "") and every /sections/{id}.opml once:
// they depend on the config only.
func (s *Server) buildOPML(sections []model.Section, sources []model.Source) (map[string]*rendering, error) {
	bySection := map[string][]model.Source{}
	for _, src := range sources {
		for _, id := range src.SectionIDs {
			bySection[id] = append(bySection[id], src)
		}
	}
	out := map[string]*rendering{}
	var all []opmlEntry
	for _, sec := range sections {
		outline := s.opmlSection(sec, bySection[sec.ID])
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
func (s *Server) opmlSection(sec model.Section, sources []model.Source) opmlEntry {
	d := feedData{Section: sec, BaseURL: s.opts.BaseURL}
	outline := opmlEntry{Text: d.title(), Title: d.title(), HTMLURL: d.pageURL()}
	secret := newSecretParams(s.opts.SecretParams)
	for _, src := range sources {
		feedURL := src.URL
		if !s.opts.FullSourceURLs {
			feedURL = redactURL(feedURL, secret)
		}
		title := src.Title
		if title == "" {
			title = feedURL
		}
		outline.Children = append(outline.Children, opmlEntry{Text: title, Title: title, Type: "rss", XMLURL: feedURL})
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
