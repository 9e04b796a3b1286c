package publish

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/aggregator/store"
	"github.com/tributary-rss/tributary/aggregator/store/storetest"
	"github.com/tributary-rss/tributary/publish/i18n"
)

// bigEntry is entry i (0 newest) of a section of large entries: content
// of about contentBytes of HTML, a long title and summary, all with the
// characters escaping makes longer (<, >, &, quotes, newlines).
func bigEntry(i, contentBytes int) model.Entry {
	pub := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC).Add(-time.Duration(i) * time.Minute)
	para := fmt.Sprintf("<p class=\"body\">第%d条 新图书馆于10月17日正式开放 & \"藏书\" <strong>120万册</strong> it's open</p>\n", i)
	id := fmt.Sprintf("%016x", i+1)
	return model.Entry{
		ID: id, SourceID: "a", SourceTitle: "示例学院 <a&b>", SourceURL: "https://example.edu.cn/rss.xml",
		SourceLink: "https://example.edu.cn/",
		Title:      strings.Repeat(fmt.Sprintf("标题 %d <x> & \"y\" ", i), 30),
		Link:       "https://example.org/e/" + id,
		Summary:    strings.Repeat("摘要 <tag> & \"quote\" 'a'\n", 10),
		Content:    strings.Repeat(para, contentBytes/len(para)+1)[:contentBytes-contentBytes%len(para)],
		Author:     "张三", Categories: []string{"校园", "新闻 & <活动>"},
		Image:     "https://example.edu.cn/img/" + id + ".jpg",
		Published: pub, Updated: pub, FirstSeen: pub,
	}
}

// bigSection is a section of n bigEntry entries, newest first.
func bigSection(n, contentBytes int) (model.Section, []model.Entry) {
	sec := model.Section{ID: "news", Title: "资讯 <大>", Description: "成员单位 & 新闻汇总", Language: "zh-CN",
		MaxItems: 200, SourceIDs: []string{"a"}}
	entries := make([]model.Entry, n)
	for i := range entries {
		entries[i] = bigEntry(i, contentBytes)
	}
	return sec, entries
}

func bigReader(sec model.Section, entries []model.Entry) *fakeReader {
	return &fakeReader{
		meta:    map[string]model.SectionMeta{sec.ID: {Version: 3, UpdatedAt: entries[0].Published}},
		entries: map[string][]model.Entry{sec.ID: entries},
	}
}

// pageWalk is how a test reads one format's pages: the first page, the
// ids an answer holds, and whether it is a well-formed document.
type pageWalk struct {
	f     format
	start string
	ids   func(body []byte) []string
}

var entryURNRe = regexp.MustCompile(`urn:tributary:entry:([0-9a-f]+)`)

func urnIDs(body []byte) []string {
	var out []string
	for _, m := range entryURNRe.FindAllSubmatch(body, -1) {
		out = append(out, string(m[1]))
	}
	return out
}

var pageLinkRe = regexp.MustCompile(`<h2>(?:<span class="pin">[^<]*</span> )?<a href="https://example.org/e/([0-9a-f]+)">`)

func pageIDs(body []byte) []string {
	var out []string
	for _, m := range pageLinkRe.FindAllSubmatch(body, -1) {
		out = append(out, string(m[1]))
	}
	return out
}

func apiIDs(body []byte) []string {
	var doc struct {
		Entries []struct {
			ID string `json:"id"`
		} `json:"entries"`
	}
	if json.Unmarshal(body, &doc) != nil {
		return nil
	}
	var out []string
	for _, e := range doc.Entries {
		out = append(out, e.ID)
	}
	return out
}

func pageWalks(q string) []pageWalk {
	return []pageWalk{
		{formatRSS, "/sections/news.rss" + q, urnIDs},
		{formatAtom, "/sections/news.atom" + q, urnIDs},
		{formatJSON, "/sections/news.json" + q, urnIDs},
		{formatAPI, "/api/v1/sections/news/entries" + q, apiIDs},
		{formatHTML, "/sections/news" + q, pageIDs},
	}
}

// wellFormed fails t unless body parses as its format's document.
func wellFormed(t *testing.T, f format, body []byte) {
	t.Helper()
	var err error
	switch f {
	case formatRSS, formatAtom:
		dec := xml.NewDecoder(strings.NewReader(string(body)))
		for err == nil {
			_, err = dec.Token()
		}
		if err.Error() == "EOF" {
			err = nil
		}
	case formatJSON, formatAPI:
		var v any
		err = json.Unmarshal(body, &v)
	}
	if err != nil {
		t.Fatalf("%s page is not well-formed: %v", f, err)
	}
}

// walkPages follows next links from w.start, checking every page against
// maxBytes, and returns the ids in the order read and the page count.
func walkPages(t *testing.T, get func(string) (*http.Response, []byte), w pageWalk, maxBytes int64, limit string) ([]string, int) {
	t.Helper()
	var seen []string
	path, pages := w.start, 0
	for ; path != "" && pages < 500; pages++ {
		resp, body := get(path)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %d %.200s", path, resp.StatusCode, body)
		}
		if int64(len(body)) > maxBytes {
			t.Fatalf("GET %s: %d bytes, over the %d of max_page_bytes", path, len(body), maxBytes)
		}
		wellFormed(t, w.f, body)
		ids := w.ids(body)
		if len(ids) == 0 {
			t.Fatalf("GET %s: a page without entries", path)
		}
		seen = append(seen, ids...)
		next := nextLink(t, w.f, body)
		path = ""
		if next != "" {
			u, err := url.Parse(next)
			if err != nil || u.Query().Get("limit") != limit {
				t.Fatalf("next link %q lost the limit %s", next, limit)
			}
			path = u.RequestURI()
		}
	}
	return seen, pages
}

// TestServer_maxPageBytes: a section whose pages at ?limit=60 would be
// several times max_page_bytes is served in pages within the bound, each a
// well-formed document with a next link, and walking next from the first
// page reads every entry once, in order, in every format.
func TestServer_maxPageBytes(t *testing.T) {
	const n, maxBytes = 60, 64 << 10
	sec, entries := bigSection(n, 4<<10)
	s := NewServer(bigReader(sec, entries), Options{BaseURL: testBaseURL, Sections: []model.Section{sec}, MaxPageBytes: maxBytes})
	ts := newHTTPTest(t, s)
	want := entryIDs(entries)
	for _, w := range pageWalks("?limit=60") {
		t.Run(string(w.f), func(t *testing.T) {
			got, pages := walkPages(t, func(p string) (*http.Response, []byte) { return get(t, ts, p) }, w, maxBytes, "60")
			if !slices.Equal(got, want) {
				t.Fatalf("walked %d ids in %d pages, want the %d entries once each in order:\n%v", len(got), pages, n, got)
			}
			t.Logf("%d entries in %d pages of at most %d bytes", len(got), pages, maxBytes)
		})
	}
	// The iframe and the index page have no next link: they show the
	// newest entries that fit.
	for _, path := range []string{"/embed/news.html?limit=60&summary=1000", "/"} {
		resp, body := get(t, ts, path)
		if resp.StatusCode != http.StatusOK || int64(len(body)) > maxBytes || !strings.Contains(string(body), entries[0].Link) {
			t.Errorf("GET %s: %d, %d bytes (max %d), want the newest entry within the bound", path, resp.StatusCode, len(body), maxBytes)
		}
	}
}

// TestServer_maxPageBytesPins: with pins in the feeds, pages cut by bytes
// still read every entry once: first the pins that fit half a page, most
// recently pinned first, then the date order without them (a pin past
// them stays there, unmarked).
func TestServer_maxPageBytesPins(t *testing.T) {
	const n, maxBytes = 30, 96 << 10
	ctx := context.Background()
	now := time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)
	st := store.New(storetest.NewClient(t, storetest.StartRedis(t)), "", nil)
	sec, entries := bigSection(n, 4<<10)
	// The oldest, pinned last, is too large to show among the pins of a
	// feed: it stays in the date order there.
	entries[n-1] = bigEntry(n-1, 24<<10)
	sec.PinsInFeeds = true
	if _, err := st.Ingest(ctx, model.Source{ID: "a", SectionIDs: []string{"news"}}, []model.Section{sec}, entries, now); err != nil {
		t.Fatal(err)
	}
	var pins []model.ModeratedEntry
	for i, e := range []model.Entry{entries[n-1], entries[12], entries[1]} {
		at := now.Add(time.Duration(i-3) * time.Minute)
		if err := st.Pin(ctx, "news", e.ID, time.Time{}, at); err != nil {
			t.Fatal(err)
		}
		pins = slices.Insert(pins, 0, model.ModeratedEntry{Entry: e, At: at})
	}
	s := NewServer(st, Options{BaseURL: testBaseURL, Sections: []model.Section{sec}, MaxPageBytes: maxBytes, Now: func() time.Time { return now }})
	ts := newHTTPTest(t, s)
	for _, w := range pageWalks("?limit=30") {
		t.Run(string(w.f), func(t *testing.T) {
			shown := s.pageBudget(sec, cacheKey{section: sec.ID, format: w.f, limit: n}).pinsWithin(pins, "", now)
			var want []string
			for _, p := range shown {
				want = append(want, p.Entry.ID)
			}
			for _, e := range entries {
				if !slices.Contains(want, e.ID) {
					want = append(want, e.ID)
				}
			}
			got, pages := walkPages(t, func(p string) (*http.Response, []byte) { return get(t, ts, p) }, w, maxBytes, "30")
			if !slices.Equal(got, want) {
				t.Fatalf("walked %d ids in %d pages, want the %d entries once each, pins first:\n got %v\nwant %v", len(got), pages, n, got, want)
			}
			if len(shown) == 0 {
				t.Error("no pin fits half a page: the test shows nothing of pins")
			}
			t.Logf("%d entries in %d pages, %d of the %d pins shown as pins", len(got), pages, len(shown), len(pins))
		})
	}
}

// TestPageBudget_bound: the bound a render is cut by holds for real
// renders in every format, of ordinary entries (the 100-entry fixture),
// large ones, bare ones, ones with many categories and hostile ones (text
// made of what escaping lengthens most, control characters, invalid
// UTF-8), with a long date layout and every link a page can carry.
func TestPageBudget_bound(t *testing.T) {
	pub := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	bad := strings.Repeat("<&\"'+=`>\x01\x1f\n\t\r\\ \u2028", 40) + "\xff\xfe"
	hostile := model.Entry{ID: "00ff", SourceID: "a", Title: bad, Link: "https://example.org/a?b=1&c=<d>\"e\"+f'" + bad,
		Summary: bad, Content: bad + bad, Author: bad, Categories: []string{bad, "<", "&"}, Image: "https://example.org/" + bad,
		SourceTitle: bad, SourceURL: "https://example.org/" + bad, SourceLink: "https://example.org/" + bad, Published: pub, Updated: pub}
	noContent := hostile
	noContent.Content, noContent.Link = "", ""
	many := model.Entry{ID: "0abc", SourceID: "a", Title: "t", Link: "https://example.org/x", Published: pub}
	for i := range 300 {
		many.Categories = append(many.Categories, strconv.Itoa(i%10))
	}
	sets := map[string][]model.Entry{
		"fixture":    loadFixture100(t).Entries,
		"large":      {bigEntry(0, 248<<10), bigEntry(1, 100<<10)},
		"bare":       slices.Repeat([]model.Entry{{ID: "1", Published: pub}}, 50),
		"categories": {many, many},
		"hostile":    {hostile, noContent, hostile},
	}
	sec, _ := bigSection(1, 1)
	sec.Description = bad
	s := NewServer(bigReader(sec, sets["bare"]), Options{BaseURL: testBaseURL + "/a&b", Sections: []model.Section{sec},
		Version: "1.2.3", WebSubHub: "https://hub.example.org/?x=<y>", DateFormat: "Monday, January 2, 2006 15:04:05 MST",
		Site: Site{Title: bad, FooterText: bad, Logo: "https://example.org/logo.png", FooterLinks: []SiteLink{{Text: bad, URL: "https://example.org/"}}}})
	cursor := model.Cursor{Score: pub.UnixMilli(), ID: "0123456789abcdef"}
	for _, f := range []format{formatRSS, formatAtom, formatJSON, formatAPI, formatHTML, formatEmbed, formatIndex} {
		for name, entries := range sets {
			key := cacheKey{section: sec.ID, format: f, limit: len(entries), lang: i18n.EN, summary: maxSummaryRunes}
			b := s.pageBudget(sec, key)
			d := feedData{Section: sec, Entries: entries, Pinned: 1, BaseURL: s.opts.BaseURL, Version: s.opts.Version,
				Hub: s.opts.WebSubHub, Next: &cursor, Lang: i18n.EN, LangParam: i18n.EN, Summary: key.summary,
				Dates: s.dateStyle(sec, 0), Count: 1 << 40, Theme: themeDark, Lines: true,
				Query: pageQuery{limit: len(entries), limitSet: true, source: strings.Repeat("s", maxSourceIDLen), before: encodeCursor(cursor), cursor: &cursor}}
			body, err := s.renderFormat(f, d)
			if err != nil {
				t.Fatalf("%s %s: %v", f, name, err)
			}
			bound := b.max - b.room
			for _, e := range entries {
				bound += b.entryBytes(e)
			}
			if int64(len(body)) > bound {
				t.Errorf("%s of %s entries: %d bytes, over the bound of %d", f, name, len(body), bound)
			}
			t.Logf("%-5s %-10s %8d bytes, bound %8d (%.2f)", f, name, len(body), bound, float64(bound)/float64(len(body)))
		}
	}
}

// TestPageBudget_fixedParts measures what the fixed parts of the bound
// stand for: an entry without text, a category, a document without
// entries; each must stay well within its constant.
func TestPageBudget_fixedParts(t *testing.T) {
	pub := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	sec := model.Section{ID: "news"}
	s := NewServer(bigReader(sec, []model.Entry{{ID: "1", Published: pub}}), Options{BaseURL: testBaseURL, Sections: []model.Section{sec}})
	full := model.Entry{ID: "1", SourceID: "a", Title: "t", Link: "l", Summary: "s", Content: "c", Author: "a", Image: "i",
		SourceTitle: "t", SourceURL: "u", SourceLink: "h", Published: pub, Updated: pub}
	cursor := model.Cursor{Score: pub.UnixMilli(), ID: "0123456789abcdef"}
	render := func(f format, entries []model.Entry) int64 {
		d := feedData{Section: sec, Entries: entries, Pinned: min(1, len(entries)), BaseURL: testBaseURL, Next: &cursor, Lang: i18n.ZH,
			Summary: 1, Dates: s.dateStyle(sec, 0), Count: 1, Query: pageQuery{limit: 50, before: encodeCursor(cursor), cursor: &cursor}}
		body, err := s.renderFormat(f, d)
		if err != nil {
			t.Fatal(err)
		}
		return int64(len(body))
	}
	for _, f := range []format{formatRSS, formatAtom, formatJSON, formatAPI, formatHTML, formatEmbed, formatIndex} {
		const n = 20
		doc := render(f, nil)
		entry := (render(f, slices.Repeat([]model.Entry{full}, n)) - doc) / n
		cats := full
		cats.Categories = slices.Repeat([]string{"c"}, n)
		category := render(f, []model.Entry{cats}) - render(f, []model.Entry{full})
		category /= n
		t.Logf("%-5s document %5d bytes, entry %4d, category %3d", f, doc, entry, category)
		if 3*doc > 2*docFixedBytes || 3*entry > 2*entryFixedBytes || 3*category > 2*categoryBytes {
			t.Errorf("%s: document %d, entry %d, category %d bytes: less than 1.5 times short of docFixedBytes, entryFixedBytes, categoryBytes", f, doc, entry, category)
		}
	}
}

// BenchmarkServer_renderBigPage is one miss of the RSS of a section of
// 200 entries of ~248 KB at ?limit=200, cut to the default page bound.
func BenchmarkServer_renderBigPage(b *testing.B) {
	sec, entries := bigSection(200, 248<<10)
	s := NewServer(bigReader(sec, entries), Options{BaseURL: testBaseURL, Sections: []model.Section{sec}})
	key := cacheKey{section: sec.ID, format: formatRSS, limit: 200}
	pq := pageQuery{limit: 200, limitSet: true}
	b.ReportAllocs()
	for b.Loop() {
		rend, err := s.render(context.Background(), sec, key, pq, model.SectionMeta{Version: 1})
		if err != nil {
			b.Fatal(err)
		}
		b.SetBytes(int64(len(rend.plain.body)))
	}
}

// BenchmarkServer_renderMiss is one miss of the 100-entry section's RSS at
// ?limit=100: an ordinary page, never cut.
func BenchmarkServer_renderMiss(b *testing.B) {
	fx := loadFixture100(b)
	s := NewServer(newFakeReader(fx), Options{BaseURL: testBaseURL, Sections: []model.Section{fx.Section}})
	key := cacheKey{section: fx.Section.ID, format: formatRSS, limit: 100}
	pq := pageQuery{limit: 100, limitSet: true}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.render(context.Background(), fx.Section, key, pq, fx.Meta); err != nil {
			b.Fatal(err)
		}
	}
}
