package publish

import (
	"encoding/json"
	"encoding/xml"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/tributary-rss/tributary/aggregator/model"
)

// What the three feeds and the API say of one entry, read back.
type (
	rssReadBack struct {
		Items []struct {
			GUID    string `xml:"guid"`
			Link    string `xml:"link"`
			Creator string `xml:"http://purl.org/dc/elements/1.1/ creator"`
			PubDate string `xml:"pubDate"`
		} `xml:"channel>item"`
	}
	atomLinkBack struct {
		Href string `xml:"href,attr"`
		Rel  string `xml:"rel,attr"`
	}
	atomReadBack struct {
		Entries []struct {
			ID        string         `xml:"id"`
			Links     []atomLinkBack `xml:"link"`
			Author    string         `xml:"author>name"`
			Published string         `xml:"published"`
			Source    struct {
				Links []atomLinkBack `xml:"link"`
			} `xml:"source"`
		} `xml:"entry"`
	}
	jsonReadBack struct {
		Items []struct {
			ID          string `json:"id"`
			URL         string `json:"url"`
			ExternalURL string `json:"external_url"`
			Authors     []struct {
				Name string `json:"name"`
			} `json:"authors"`
			Published string `json:"date_published"`
			Modified  string `json:"date_modified"`
		} `json:"items"`
	}
	apiReadBack struct {
		Entries []struct {
			ID          string `json:"id"`
			URL         string `json:"url"`
			ExternalURL string `json:"external_url"`
		} `json:"entries"`
	}
)

// entryLinks is what one output says of an entry: where it links, the
// original it keeps besides, and who wrote it.
type entryLinks struct {
	link, external, author string
}

func getOK(t *testing.T, ts *httptest.Server, path string) []byte {
	t.Helper()
	resp, body := get(t, ts, path)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: status %d: %s", path, resp.StatusCode, body)
	}
	return body
}

func decodeXML(t *testing.T, body []byte, v any) {
	t.Helper()
	if err := xml.Unmarshal(body, v); err != nil {
		t.Fatalf("decode: %v\n%s", err, body)
	}
}

func decodeJSON(t *testing.T, body []byte, v any) {
	t.Helper()
	if err := json.Unmarshal(body, v); err != nil {
		t.Fatalf("decode: %v\n%s", err, body)
	}
}

// feedEntryLinks reads what each output of section says of entry id.
func feedEntryLinks(t *testing.T, ts *httptest.Server, section, id string) map[string]entryLinks {
	t.Helper()
	out := map[string]entryLinks{}
	var rss rssReadBack
	decodeXML(t, getOK(t, ts, "/sections/"+section+".rss"), &rss)
	for _, it := range rss.Items {
		if it.GUID == entryURN(model.Entry{ID: id}) {
			out["rss"] = entryLinks{link: it.Link, author: it.Creator}
		}
	}
	var atom atomReadBack
	decodeXML(t, getOK(t, ts, "/sections/"+section+".atom"), &atom)
	for _, e := range atom.Entries {
		if e.ID != entryURN(model.Entry{ID: id}) {
			continue
		}
		l := entryLinks{author: e.Author}
		for _, link := range e.Links {
			switch link.Rel {
			case "alternate":
				l.link = link.Href
			case "via":
				l.external = link.Href
			default:
				t.Errorf("atom entry %s: link rel %q", id, link.Rel)
			}
		}
		out["atom"] = l
	}
	var jf jsonReadBack
	decodeJSON(t, getOK(t, ts, "/sections/"+section+".json"), &jf)
	for _, it := range jf.Items {
		if it.ID == entryURN(model.Entry{ID: id}) {
			l := entryLinks{link: it.URL, external: it.ExternalURL}
			if len(it.Authors) == 1 {
				l.author = it.Authors[0].Name
			}
			out["json"] = l
		}
	}
	var api apiReadBack
	decodeJSON(t, getOK(t, ts, "/api/v1/sections/"+section+"/entries"), &api)
	for _, e := range api.Entries {
		if e.ID == id {
			out["api"] = entryLinks{link: e.URL, external: e.ExternalURL}
		}
	}
	return out
}

// TestServer_LinkTo: link_to: portal sends every output to the entry's
// article page and keeps the original where the format has room for it;
// the default links the original only. Entries without an author are
// credited to their source in every feed.
func TestServer_LinkTo(t *testing.T) {
	_, ts := newArticleServer(t, Options{})
	const (
		original  = "https://example.edu.cn/news/1017.html"
		portalURL = testBaseURL + "/sections/portal/entries/5d41402abc4b2a76"
	)
	tests := []struct {
		name, section, id string
		want              map[string]entryLinks
	}{
		{"original", "news", "5d41402abc4b2a76", map[string]entryLinks{
			"rss":  {link: original, author: "张三"},
			"atom": {link: original, author: "张三"},
			"json": {link: original, author: "张三"},
			"api":  {link: original},
		}},
		{"portal", "portal", "5d41402abc4b2a76", map[string]entryLinks{
			"rss":  {link: portalURL, author: "张三"},
			"atom": {link: portalURL, external: original, author: "张三"},
			"json": {link: portalURL, external: original, author: "张三"},
			"api":  {link: portalURL, external: original},
		}},
		{"no author: its source", "news", "7e2c1b9f03aa45d1", map[string]entryLinks{
			"rss":  {link: "https://phys.example.edu.cn/talks/42", author: "物理系"},
			"atom": {link: "https://phys.example.edu.cn/talks/42", author: "物理系"},
			"json": {link: "https://phys.example.edu.cn/talks/42", author: "物理系"},
			"api":  {link: "https://phys.example.edu.cn/talks/42"},
		}},
		{"portal, no link of its own", "portal", "1e55c0de1e55c0de", map[string]entryLinks{
			"rss":  {link: testBaseURL + "/sections/portal/entries/1e55c0de1e55c0de", author: "物理系"},
			"atom": {link: testBaseURL + "/sections/portal/entries/1e55c0de1e55c0de", author: "物理系"},
			"json": {link: testBaseURL + "/sections/portal/entries/1e55c0de1e55c0de", author: "物理系"},
			"api":  {link: testBaseURL + "/sections/portal/entries/1e55c0de1e55c0de"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := feedEntryLinks(t, ts, tt.section, tt.id)
			for format, want := range tt.want {
				if got[format] != want {
					t.Errorf("%s: %+v, want %+v", format, got[format], want)
				}
			}
		})
	}
}

// TestServer_LinkToPages: the section page, the index, the iframe and
// the widget's data link a portal section's entries to their article
// pages, with the page's ?lang carried on; the default links originals.
func TestServer_LinkToPages(t *testing.T) {
	_, ts := newArticleServer(t, Options{})
	const (
		original  = `href="https://example.edu.cn/news/1017.html"`
		portalURL = `href="` + testBaseURL + `/sections/portal/entries/5d41402abc4b2a76`
	)
	tests := []struct {
		path          string
		want, notWant string
	}{
		{"/sections/news", original, "/entries/"},
		{"/sections/portal", portalURL + `"`, original},
		{"/sections/portal?lang=en", portalURL + `?lang=en"`, original},
		{"/embed/news.html", original, "/entries/"},
		{"/embed/portal.html", portalURL + `"`, original},
		{"/", portalURL + `"`, ""},
		{"/api/v1/sections/portal/entries", `"url":"` + testBaseURL + `/sections/portal/entries/5d41402abc4b2a76"`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			page := string(getOK(t, ts, tt.path))
			if !strings.Contains(page, tt.want) {
				t.Errorf("lacks %s:\n%s", tt.want, page)
			}
			if tt.notWant != "" && strings.Contains(page, tt.notWant) {
				t.Errorf("has %s:\n%s", tt.notWant, page)
			}
		})
	}
	// The article page a portal section links to is there.
	if page := string(getOK(t, ts, "/sections/portal/entries/5d41402abc4b2a76?lang=en")); !strings.Contains(page, "Read the original") {
		t.Errorf("article page:\n%s", page)
	}
}

// TestServer_FeedDatesInZone: JSON Feed dates carry the section's offset,
// like RSS and Atom: an entry of 00:00 on 12-03 in Beijing reads
// 2026-12-03 in every feed, not the day before in UTC.
func TestServer_FeedDatesInZone(t *testing.T) {
	_, ts := newArticleServer(t, Options{})
	got := map[string]string{}
	var jf jsonReadBack
	decodeJSON(t, getOK(t, ts, "/sections/news.json"), &jf)
	for _, it := range jf.Items {
		if it.ID == "urn:tributary:entry:0badc0de0badc0de" {
			got["json published"], got["json modified"] = it.Published, it.Modified
		}
		if it.ID == "urn:tributary:entry:5d41402abc4b2a76" {
			got["json other"] = it.Published
		}
	}
	var atom atomReadBack
	decodeXML(t, getOK(t, ts, "/sections/news.atom"), &atom)
	for _, e := range atom.Entries {
		if e.ID == "urn:tributary:entry:0badc0de0badc0de" {
			got["atom"] = e.Published
		}
	}
	var rss rssReadBack
	decodeXML(t, getOK(t, ts, "/sections/news.rss"), &rss)
	for _, it := range rss.Items {
		if it.GUID == "urn:tributary:entry:0badc0de0badc0de" {
			got["rss"] = it.PubDate
		}
	}
	want := map[string]string{
		"json published": "2026-12-03T00:00:00+08:00",
		// No updated time: the published one.
		"json modified": "2026-12-03T00:00:00+08:00",
		"json other":    "2025-10-17T16:00:00+08:00",
		"atom":          "2026-12-03T00:00:00+08:00",
		"rss":           "Thu, 03 Dec 2026 00:00:00 +0800",
	}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("%s: %q, want %q", k, got[k], w)
		}
	}
}

// TestRenderAtom_SourceSelf: an entry's <source> links the source's site
// as alternate and its URL as self only when that URL is a feed, not the
// HTML page a list-page source reads.
func TestRenderAtom_SourceSelf(t *testing.T) {
	feed := model.Entry{ID: "1", SourceID: "f", SourceTitle: "示例学院", SourceLink: "https://example.edu.cn/", SourceURL: "https://example.edu.cn/rss.xml"}
	scraped := model.Entry{ID: "2", SourceID: "s", SourceTitle: "教育局", SourceLink: "https://jyj.example.gov.cn/list/", SourceURL: "https://jyj.example.gov.cn/list.htm"}
	detected := model.Entry{ID: "3", SourceID: "d", SourceTitle: "一中", SourceLink: "https://yz.example.cn/xwzx/", SourceURL: "https://yz.example.cn/xwzx"}
	bare := model.Entry{ID: "4", SourceID: "b", SourceTitle: "二中", SourceURL: "https://ez.example.cn/feed"}
	// Pages advertising their feed, read through it: the site link the
	// feed gives differs from the page's URL.
	home := model.Entry{ID: "5", SourceID: "h", SourceTitle: "三中", SourceLink: "http://sz.example.cn", SourceURL: "https://sz.example.cn/"}
	listPage := model.Entry{ID: "6", SourceID: "l", SourceTitle: "四中", SourceLink: "https://siz.example.cn/", SourceURL: "https://siz.example.cn/xwzx/list.HTM?page=1"}
	phpFeed := model.Entry{ID: "7", SourceID: "p", SourceTitle: "五中", SourceLink: "https://wz.example.cn/", SourceURL: "https://wz.example.cn/feed.php?type=rss"}
	tests := []struct {
		name string
		e    model.Entry
		want []atomLinkBack
	}{
		{"feed", feed, []atomLinkBack{{"https://example.edu.cn/", "alternate"}, {"https://example.edu.cn/rss.xml", "self"}}},
		{"list page configured with scrape:", scraped, []atomLinkBack{{"https://jyj.example.gov.cn/list/", "alternate"}}},
		{"list page read by detection", detected, []atomLinkBack{{"https://yz.example.cn/xwzx/", "alternate"}}},
		{"feed without a site link", bare, []atomLinkBack{{"https://ez.example.cn/feed", "alternate"}, {"https://ez.example.cn/feed", "self"}}},
		{"homepage advertising its feed", home, []atomLinkBack{{"http://sz.example.cn", "alternate"}}},
		{"page named .htm", listPage, []atomLinkBack{{"https://siz.example.cn/", "alternate"}}},
		{"feed from a script", phpFeed, []atomLinkBack{{"https://wz.example.cn/", "alternate"}, {"https://wz.example.cn/feed.php?type=rss", "self"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := feedData{Section: model.Section{ID: "news"}, Entries: []model.Entry{tt.e}, PageSources: map[string]bool{"s": true}}
			body, err := renderAtom(d)
			if err != nil {
				t.Fatal(err)
			}
			var atom atomReadBack
			decodeXML(t, body, &atom)
			got := atom.Entries[0].Source.Links
			if len(got) != len(tt.want) {
				t.Fatalf("source links %+v, want %+v", got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Errorf("source links %+v, want %+v", got, tt.want)
				}
			}
		})
	}
}

// TestServer_PageSourcesFromConfig: a source configured with scrape: is
// known to the feeds as a page.
func TestServer_PageSourcesFromConfig(t *testing.T) {
	fx := loadFixture(t)
	src := model.Source{ID: "a1b2c3d4e5f60718", URL: "https://example.edu.cn/rss.xml", SectionIDs: []string{"news"}, Scrape: &model.Scrape{}}
	ts := newHTTPTest(t, NewServer(newFakeReader(fx), Options{BaseURL: testBaseURL, Sections: []model.Section{fx.Section}, Sources: []model.Source{src}}))
	var atom atomReadBack
	decodeXML(t, getOK(t, ts, "/sections/news.atom"), &atom)
	for _, e := range atom.Entries {
		for _, l := range e.Source.Links {
			if l.Rel == "self" && l.Href == src.URL {
				t.Errorf("entry %s: a list page's URL as its source's self link", e.ID)
			}
		}
	}
}

// TestServer_GoldenLinkTo pins the portal section's feeds and an article
// page (run go test -update after checking a diff).
func TestServer_GoldenLinkTo(t *testing.T) {
	_, ts := newArticleServer(t, Options{})
	for _, tt := range []struct{ path, golden string }{
		{"/sections/portal.rss", "portal.rss"},
		{"/sections/portal.atom", "portal.atom"},
		{"/sections/portal.json", "portal.json"},
		{"/sections/portal/entries/5d41402abc4b2a76", "article.html"},
	} {
		t.Run(tt.golden, func(t *testing.T) {
			checkGolden(t, tt.golden, getOK(t, ts, tt.path))
		})
	}
}

// TestServer_LinkToReload: a reload that changes link_to drops the
// section's renders, and their ETags change, so readers revalidating get
// the new links rather than a 304.
func TestServer_LinkToReload(t *testing.T) {
	fx := loadFixture(t)
	s := NewServer(newFakeReader(fx), Options{BaseURL: testBaseURL, Sections: []model.Section{fx.Section}})
	ts := newHTTPTest(t, s)
	const portal = testBaseURL + "/sections/news/entries/5d41402abc4b2a76"
	for _, path := range []string{"/sections/news.rss", "/sections/news.json", "/sections/news", "/api/v1/sections/news/entries"} {
		t.Run(path, func(t *testing.T) {
			if err := s.SetSections([]model.Section{fx.Section}, nil); err != nil {
				t.Fatal(err)
			}
			resp, body := get(t, ts, path)
			if strings.Contains(string(body), portal) {
				t.Fatalf("links the portal before link_to: portal")
			}
			etag := resp.Header.Get("ETag")
			sec := fx.Section
			sec.LinkTo = model.LinkToPortal
			if err := s.SetSections([]model.Section{sec}, nil); err != nil {
				t.Fatal(err)
			}
			resp, body = fetch(t, ts, http.MethodGet, path, map[string]string{"If-None-Match": etag})
			if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), portal) || resp.Header.Get("ETag") == etag {
				t.Errorf("after the reload: status %d, ETag %s (was %s), portal link %t", resp.StatusCode, resp.Header.Get("ETag"), etag, strings.Contains(string(body), portal))
			}
		})
	}
}
