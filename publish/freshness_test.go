package publish

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/aggregator/store"
	"github.com/tributary-rss/tributary/aggregator/store/storetest"
	"github.com/tributary-rss/tributary/publish/i18n"
)

// The store is the ActivityReader the daemon wires in.
var _ ActivityReader = (*store.Store)(nil)

// bureauNow is "now" in the freshness tests: 10:00 in Beijing.
var bureauNow = time.Date(2025, 3, 31, 2, 0, 0, 0, time.UTC)

// bureau is a district education bureau's portal: its schools' news
// (stale after the default 14 days) and notices (7 days), kept in a real
// store by ingests at their own times, as polls would have.
type bureau struct {
	st       *store.Store
	sources  []model.Source
	sections []model.Section
	loc      *time.Location
}

// bureauSchool is one member: its entries, days before bureauNow.
type bureauSchool struct {
	id, title string
	sections  []string
	ago       []int
	// link is the site its feed links to ("" for none).
	link string
}

var bureauSchools = []bureauSchool{
	{id: "yz", title: "第一中学", sections: []string{"schools"}, ago: []int{1, 2, 4, 5, 8, 12, 15, 20, 26, 29, 35}, link: "https://yz.example.edu.cn/xwzx/"},
	{id: "sx", title: "实验小学", sections: []string{"schools"}, ago: []int{40, 45, 60}, link: "https://sx.example.edu.cn/"},
	{id: "ez", title: "第二中学", sections: []string{"schools"}, ago: []int{10}},
	{id: "yey", title: "阳光幼儿园", sections: []string{"schools"}},
	{id: "zx", title: "职业学校", sections: []string{"schools", "notices"}, ago: []int{9}},
	// A title as a hostile feed could give it: a spreadsheet formula.
	{id: "tz", title: `=HYPERLINK("http://evil.example","教育局通知")`, sections: []string{"notices"}, ago: []int{2}},
}

func newBureau(t *testing.T) *bureau {
	t.Helper()
	b := &bureau{st: store.New(storetest.StartEmbedded(t), "", nil), loc: shanghai(t)}
	b.sections = []model.Section{
		{ID: "schools", Title: "学校动态", Location: b.loc, StaleAfter: 14 * 24 * time.Hour, MaxItems: 100},
		{ID: "notices", Title: "通知公告", Location: b.loc, StaleAfter: 7 * 24 * time.Hour, MaxItems: 100},
	}
	ctx := context.Background()
	for _, s := range bureauSchools {
		var secs []model.Section
		for _, sec := range b.sections {
			if slices.Contains(s.sections, sec.ID) {
				secs = append(secs, sec)
			}
		}
		src := model.Source{ID: s.id, URL: "https://" + s.id + ".example.edu.cn/rss.xml?token=S3cret", Title: s.title,
			SectionIDs: s.sections, Location: b.loc, StaleAfter: model.StaleAfterFor(0, secs, 0)}
		b.sources = append(b.sources, src)
		// The kindergarten's feed has been empty since it was added, 20
		// days ago; the others were first polled a day ago.
		seen := bureauNow.Add(-24 * time.Hour)
		if len(s.ago) == 0 {
			seen = bureauNow.AddDate(0, 0, -20)
		}
		var es []model.Entry
		for i, d := range s.ago {
			pub := bureauNow.AddDate(0, 0, -d).Add(-time.Duration(i) * time.Minute)
			es = append(es, model.Entry{ID: fmt.Sprintf("%s-%d", s.id, i), SourceID: s.id, Title: "新闻",
				Link: fmt.Sprintf("https://%s.example.edu.cn/info/%d.htm", s.id, i), Published: pub, Updated: pub})
		}
		if _, err := b.st.Ingest(ctx, src, secs, es, seen); err != nil {
			t.Fatal(err)
		}
		st := model.SourceState{URL: src.URL, LastAttempt: bureauNow.Add(-time.Hour), LastSuccess: bureauNow.Add(-time.Hour), Link: s.link}
		if err := b.st.SaveSourceState(ctx, s.id, st); err != nil {
			t.Fatal(err)
		}
	}
	return b
}

// server serves the bureau's report with the console on.
func (b *bureau) server(t *testing.T, edit func(*Options)) (*Server, *consoleAdmin) {
	t.Helper()
	statuses, err := b.st.SourceStatuses(context.Background(), b.sources)
	if err != nil {
		t.Fatal(err)
	}
	admin := newConsoleAdmin(statuses...)
	admin.now = func() time.Time { return bureauNow }
	opts := Options{BaseURL: testBaseURL, Sections: b.sections, Sources: b.sources, Status: b.st, Activity: b.st,
		Admin: admin, AdminToken: consoleToken, Location: b.loc, Now: func() time.Time { return bureauNow }}
	if edit != nil {
		edit(&opts)
	}
	return NewServer(&fakeReader{}, opts), admin
}

// TestServer_freshnessReport: the report of the bureau, stalest first,
// with each school's newest entry, days of silence, counts and staleness
// by its own threshold, per section and filtered.
func TestServer_freshnessReport(t *testing.T) {
	b := newBureau(t)
	srv, _ := b.server(t, nil)
	tests := []struct {
		name      string
		q         freshnessQuery
		wantIDs   []string
		wantStale []string
		total     int
	}{
		{"all, stalest first", freshnessQuery{days: 30}, []string{"yey", "sx", "ez", "zx", "tz", "yz"}, []string{"yey", "sx", "zx"}, 6},
		{"notices only", freshnessQuery{section: "notices", days: 30}, []string{"zx", "tz"}, []string{"zx"}, 2},
		{"stale schools", freshnessQuery{section: "schools", show: showStale, days: 30}, []string{"yey", "sx", "zx"}, []string{"yey", "sx", "zx"}, 5},
		{"fresh ones", freshnessQuery{show: showFresh, days: 7}, []string{"ez", "tz", "yz"}, nil, 6},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep, err := srv.freshnessReport(context.Background(), tt.q)
			if err != nil {
				t.Fatal(err)
			}
			var ids, stale []string
			for _, row := range rep.Rows {
				ids = append(ids, row.Status.ID)
				if row.Stale {
					stale = append(stale, row.Status.ID)
				}
				if len(row.Daily) != tt.q.days {
					t.Errorf("%s: %d daily counts, want %d", row.Status.ID, len(row.Daily), tt.q.days)
				}
			}
			if !slices.Equal(ids, tt.wantIDs) || !slices.Equal(stale, tt.wantStale) {
				t.Errorf("rows %v (stale %v), want %v (stale %v)", ids, stale, tt.wantIDs, tt.wantStale)
			}
			if rep.Total != tt.total {
				t.Errorf("total %d, want %d", rep.Total, tt.total)
			}
		})
	}
	rep, err := srv.freshnessReport(context.Background(), freshnessQuery{days: 30})
	if err != nil {
		t.Fatal(err)
	}
	row := func(id string) freshnessRow {
		i := slices.IndexFunc(rep.Rows, func(r freshnessRow) bool { return r.Status.ID == id })
		return rep.Rows[i]
	}
	if r := row("yz"); r.Entries != 10 || r.Entries30 != 10 || r.Days != 1 || !r.HasEntry || r.Daily[29] != 0 || r.Daily[28] != 1 {
		t.Errorf("第一中学: %d entries in 30 days, %d days, daily %v", r.Entries, r.Days, r.Daily)
	}
	if r := row("sx"); r.Days != 40 || r.Entries != 0 || r.Link != "https://sx.example.edu.cn/" {
		t.Errorf("实验小学: %d days, %d entries, link %q", r.Days, r.Entries, r.Link)
	}
	if r := row("yey"); r.HasEntry || !r.Stale {
		t.Errorf("阳光幼儿园: has entry %v, stale %v", r.HasEntry, r.Stale)
	}
	if r := row("ez"); strings.Contains(r.Link, "S3cret") || r.Link != "https://ez.example.edu.cn/rss.xml" {
		t.Errorf("第二中学's link %q: its feed URL without the token", r.Link)
	}
	want := []freshnessSummary{
		{Section: b.sections[0], Total: 5, Stale: 3, Threshold: 0}, // the vocational school is held to 7 days
		{Section: b.sections[1], Total: 2, Stale: 1, Threshold: 7 * 24 * time.Hour},
	}
	for i, s := range rep.Summaries {
		if s.Section.ID != want[i].Section.ID || s.Total != want[i].Total || s.Stale != want[i].Stale || s.Threshold != want[i].Threshold {
			t.Errorf("summary %d = %+v, want %+v", i, s, want[i])
		}
	}
}

// freshnessDoc is the JSON of the report as a client reads it.
type freshnessDoc struct {
	Days    int `json:"days"`
	Total   int `json:"total"`
	Stale   int `json:"stale"`
	Sources []struct {
		ID                 string     `json:"id"`
		Title              string     `json:"title"`
		Sections           []string   `json:"sections"`
		LastEntry          *time.Time `json:"last_entry"`
		DaysSinceLastEntry *int       `json:"days_since_last_entry"`
		Entries30d         int        `json:"entries_30d"`
		Entries            int        `json:"entries"`
		Stale              bool       `json:"stale"`
		StaleAfter         string     `json:"stale_after"`
		FirstSeen          *time.Time `json:"first_seen"`
		URL                string     `json:"url"`
		Daily              []int      `json:"daily"`
	} `json:"sources"`
}

// TestAdminAPI_freshness: GET /api/v1/admin/freshness with the admin
// token: the report as JSON, its filters, and a bad parameter answered
// 400 naming it.
func TestAdminAPI_freshness(t *testing.T) {
	b := newBureau(t)
	srv, _ := b.server(t, nil)
	ts := newHTTPTest(t, srv)
	auth := map[string]string{"Authorization": "Bearer " + consoleToken}
	resp, body := fetch(t, ts, "GET", "/api/v1/admin/freshness", auth)
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "application/json; charset=utf-8" {
		t.Fatalf("freshness: %d %s", resp.StatusCode, body)
	}
	var doc freshnessDoc
	if err := json.Unmarshal(body, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Days != 30 || doc.Total != 6 || doc.Stale != 3 || len(doc.Sources) != 6 {
		t.Fatalf("report: days %d, total %d, stale %d, %d sources", doc.Days, doc.Total, doc.Stale, len(doc.Sources))
	}
	sx := doc.Sources[1]
	if sx.ID != "sx" || sx.Title != "实验小学" || !sx.Stale || sx.DaysSinceLastEntry == nil || *sx.DaysSinceLastEntry != 40 ||
		sx.LastEntry == nil || !sx.LastEntry.Equal(bureauNow.AddDate(0, 0, -40)) || sx.StaleAfter != "14d" || len(sx.Daily) != 30 ||
		sx.URL != "https://sx.example.edu.cn/" || sx.FirstSeen == nil || !slices.Equal(sx.Sections, []string{"schools"}) {
		t.Errorf("实验小学: %+v", sx)
	}
	if yey := doc.Sources[0]; yey.ID != "yey" || yey.LastEntry != nil || yey.DaysSinceLastEntry != nil || !yey.Stale {
		t.Errorf("阳光幼儿园: %+v", yey)
	}
	if !strings.Contains(string(body), `"last_entry": null`) {
		t.Errorf("a source that never published has no null last_entry:\n%s", body)
	}
	if strings.Contains(string(body), "S3cret") {
		t.Errorf("the report shows a feed's token:\n%s", body)
	}
	resp, body = fetch(t, ts, "GET", "/api/v1/admin/freshness?section=notices&days=90&show=stale", auth)
	doc = freshnessDoc{}
	if err := json.Unmarshal(body, &doc); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("filtered: %d %s", resp.StatusCode, body)
	}
	if len(doc.Sources) != 1 || doc.Sources[0].ID != "zx" || len(doc.Sources[0].Daily) != 90 || doc.Sources[0].StaleAfter != "7d" ||
		doc.Sources[0].Entries != 1 || doc.Sources[0].Entries30d != 1 {
		t.Errorf("notices, stale, 90 days: %s", body)
	}
	bad := []struct{ query, field, msg string }{
		{"days=0", "days", "must be a whole number of days from 1 to 90"},
		{"days=91", "days", `got "91"`},
		{"days=ten", "days", `got "ten"`},
		{"days=", "days", `got ""`},
		{"section=nope", "section", `"nope" is not a configured section`},
		{"show=quiet", "show", "must be stale, fresh or all"},
	}
	for _, tt := range bad {
		resp, body := fetch(t, ts, "GET", "/api/v1/admin/freshness?"+tt.query, auth)
		var e struct{ Error, Field string }
		_ = json.Unmarshal(body, &e)
		if resp.StatusCode != http.StatusBadRequest || e.Field != tt.field || !strings.Contains(e.Error, tt.msg) {
			t.Errorf("?%s: %d %s, want 400 on %s saying %q", tt.query, resp.StatusCode, body, tt.field, tt.msg)
		}
	}
	if resp, _ := fetch(t, ts, "GET", "/api/v1/admin/freshness", nil); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("without the token: %d, want 401", resp.StatusCode)
	}
}

// TestServer_statusStale: /status and /api/v1/sources show staleness
// beside the state, which it leaves alone.
func TestServer_statusStale(t *testing.T) {
	b := newBureau(t)
	srv, _ := b.server(t, func(o *Options) { o.UILang = i18n.ZH })
	ts := newHTTPTest(t, srv)
	auth := map[string]string{"Authorization": "Bearer " + consoleToken}
	resp, body := fetch(t, ts, "GET", "/api/v1/sources", auth)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("/api/v1/sources: %d %s", resp.StatusCode, body)
	}
	var list struct {
		Sources []struct {
			ID                 string     `json:"id"`
			State              string     `json:"state"`
			Stale              bool       `json:"stale"`
			StaleAfter         string     `json:"stale_after"`
			LastEntry          *time.Time `json:"last_entry"`
			DaysSinceLastEntry *int       `json:"days_since_last_entry"`
		} `json:"sources"`
	}
	if err := json.Unmarshal(body, &list); err != nil {
		t.Fatal(err)
	}
	for _, s := range list.Sources {
		wantStale := s.ID == "sx" || s.ID == "yey" || s.ID == "zx"
		if s.State != model.StateOK || s.Stale != wantStale {
			t.Errorf("%s: state %s, stale %v; want ok, stale %v", s.ID, s.State, s.Stale, wantStale)
		}
		if s.ID == "sx" && (s.DaysSinceLastEntry == nil || *s.DaysSinceLastEntry != 40 || s.LastEntry == nil || s.StaleAfter != "14d") {
			t.Errorf("sx: %+v", s)
		}
	}
	resp, body = fetch(t, ts, "GET", "/status", auth)
	page := string(body)
	for _, want := range []string{`正常 <span class="stale">40 天未更新</span>`, `<span class="stale">从未更新</span>`, `<span class="stale">9 天未更新</span>`} {
		if !strings.Contains(page, want) {
			t.Errorf("/status lacks %s", want)
		}
	}
	if n := strings.Count(page, `class="stale"`); resp.StatusCode != http.StatusOK || n != 3 {
		t.Errorf("/status: %d, %d stale badges, want 3", resp.StatusCode, n)
	}
}
