package publish

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/tributary-rss/tributary/aggregator/model"
)

// apiSectionList is /api/v1/sections.
type apiSectionList struct {
	Sections []apiSection `json:"sections"`
}

type apiSection struct {
	ID          string   `json:"id"`
	Title       string   `json:"title"`
	Description string   `json:"description,omitempty"`
	Language    string   `json:"language"`
	URL         string   `json:"url"`
	EntriesURL  string   `json:"entries_url,omitempty"`
	Feeds       apiFeeds `json:"feeds,omitzero"`
	// Timezone is the IANA zone the section's dates are shown in.
	Timezone string `json:"timezone,omitempty"`
}

type apiFeeds struct {
	RSS  string `json:"rss"`
	Atom string `json:"atom"`
	JSON string `json:"json"`
}

// apiEntries is /api/v1/sections/{id}/entries.
type apiEntries struct {
	Section apiSection `json:"section"`
	Entries []apiEntry `json:"entries"`
	NextURL string     `json:"next_url,omitempty"`
}

// apiEntry is an entry for sites. ContentHTML was sanitized at ingest;
// every other string is plain text for the client to escape.
type apiEntry struct {
	ID    string `json:"id"`
	Title string `json:"title"`
	// URL is where a site links the entry: its article page on the
	// portal when the section has link_to: portal, and then
	// ExternalURL is the original on the member's site.
	URL           string    `json:"url,omitempty"`
	ExternalURL   string    `json:"external_url,omitempty"`
	Summary       string    `json:"summary,omitempty"`
	ContentHTML   string    `json:"content_html,omitempty"`
	Author        string    `json:"author,omitempty"`
	Categories    []string  `json:"categories,omitempty"`
	Image         string    `json:"image,omitempty"`
	DatePublished time.Time `json:"date_published"`
	DateModified  time.Time `json:"date_modified"`
	// DisplayDate is DatePublished as the section's pages show it (its
	// zone, the operator's layout), so a widget shows the same date
	// whatever the visitor's zone.
	DisplayDate string    `json:"display_date"`
	Source      apiSource `json:"source"`
	// Pinned marks an entry an editor pinned: pins come first.
	Pinned bool `json:"pinned,omitempty"`
}

type apiSource struct {
	ID    string `json:"id"`
	Title string `json:"title,omitempty"`
	URL   string `json:"url,omitempty"`
	Home  string `json:"home_page_url,omitempty"`
}

func (s *Server) handleAPISections(w http.ResponseWriter, r *http.Request) {
	writeRendering(w, r, s.cat().apiSections, false)
}

func (s *Server) handleAPIEntries(w http.ResponseWriter, r *http.Request) {
	s.serveSection(w, r, r.PathValue("id"), formatAPI)
}

// handlePreflight answers CORS preflights. The widget's GET needs none, but
// a site sending If-None-Match from script does.
func (s *Server) handlePreflight(w http.ResponseWriter, _ *http.Request) {
	h := w.Header()
	h.Set("Access-Control-Allow-Origin", s.opts.CORSOrigin)
	h.Set("Access-Control-Allow-Methods", "GET, HEAD")
	h.Set("Access-Control-Allow-Headers", "If-None-Match, If-Modified-Since")
	h.Set("Access-Control-Max-Age", "86400")
	w.WriteHeader(http.StatusNoContent)
}

// buildAPISections renders the section list once: it depends on the config
// only.
func (s *Server) buildAPISections(sections []model.Section) (*rendering, error) {
	list := apiSectionList{Sections: make([]apiSection, 0, len(sections))}
	for _, sec := range sections {
		d := feedData{Section: sec, BaseURL: s.opts.BaseURL}
		list.Sections = append(list.Sections, apiSection{
			ID: sec.ID, Title: d.title(), Description: sec.Description, Language: d.language(),
			URL:        d.pageURL(),
			EntriesURL: s.apiEntriesURL(sec.ID),
			Feeds:      apiFeeds{RSS: d.feedURL(formatRSS), Atom: d.feedURL(formatAtom), JSON: d.feedURL(formatJSON)},
		})
	}
	body, err := marshalJSON(list, 0)
	if err != nil {
		return nil, fmt.Errorf("render section list: %w", err)
	}
	return newStaticRendering(formatAPI, body, s.headers[formatAPI])
}

func (s *Server) apiEntriesURL(id string) string {
	return s.opts.BaseURL + "/api/v1/sections/" + id + "/entries"
}

func renderAPIEntries(d feedData) ([]byte, error) {
	out := apiEntries{
		Section: apiSection{ID: d.Section.ID, Title: d.title(), Language: d.language(), URL: d.pageURL(), Timezone: d.Dates.zone()},
		Entries: make([]apiEntry, 0, len(d.Entries)),
	}
	if d.Next != nil {
		out.NextURL = d.BaseURL + "/api/v1/sections/" + d.Section.ID + "/entries?" + d.Query.nextValues(*d.Next).Encode()
	}
	for _, e := range d.Entries {
		out.Entries = append(out.Entries, apiEntry{
			ID: e.ID, Title: e.Title, URL: d.entryLink(e), ExternalURL: d.externalLink(e), Summary: e.Summary, ContentHTML: e.Content,
			Author: e.Author, Categories: e.Categories, Image: e.Image, DisplayDate: d.Dates.format(entryPublished(e)),
			DatePublished: d.Dates.in(entryPublished(e)), DateModified: d.Dates.in(entryUpdated(e)),
			Source: apiSource{ID: e.SourceID, Title: e.SourceTitle, URL: e.SourceURL, Home: e.SourceLink},
		})
	}
	for i := range min(d.Pinned, len(out.Entries)) {
		out.Entries[i].Pinned = true
	}
	return marshalJSON(out, d.SizeHint)
}

// marshalJSON writes compact JSON without HTML escaping, into a buffer of
// sizeHint bytes: the media type and nosniff keep browsers from rendering
// it, and clients read strings as data.
func marshalJSON(v any, sizeHint int) ([]byte, error) {
	var buf bytes.Buffer
	buf.Grow(sizeHint)
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
