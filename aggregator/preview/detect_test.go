package preview

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/aggregator/parse"
)

// listsDir holds the list pages several packages test with (kept once,
// in package parse).
const listsDir = "../parse/testdata/lists"

// newListSite serves the list pages of listsDir under /lists/.
func newListSite(t *testing.T) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name, ok := strings.CutPrefix(r.URL.Path, "/lists/")
		if !ok || strings.Contains(name, "/") {
			http.NotFound(w, r)
			return
		}
		body, err := os.ReadFile(filepath.Join(listsDir, name))
		if err != nil {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html")
		w.Write(body)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// TestPreviewer_PreviewDetects: a URL alone whose page advertises no
// feed is previewed as a poll reads it, by detection: the selectors
// chosen, the entries with the date text as printed, no warnings on a
// clean list; a partial block keeps its fields; a page of comparable
// lists is an error with a code and the best list as a guess to correct.
func TestPreviewer_PreviewDetects(t *testing.T) {
	srv := newListSite(t)
	shanghai, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		page     string
		scrape   *model.Scrape
		detected model.Scrape
		first    model.PreviewEntry
		entries  int
		code     string
	}{
		{name: "url alone", page: "vsb_split_day.html",
			detected: model.Scrape{Items: "div.news-list li", Link: "div.txt a", Date: "div.date"},
			first: model.PreviewEntry{Title: "关于做好2025年清明节假期安全稳定工作的通知", Link: "/info/1002/5123.htm",
				DateText: "10 2025-03"}, entries: 12},
		{name: "partial block", page: "vsb_split_day.html", scrape: &model.Scrape{Skip: "li.top"},
			detected: model.Scrape{Items: "div.news-list li", Link: "div.txt a", Date: "div.date", Skip: "li.top"},
			first: model.PreviewEntry{Title: "关于做好2025年清明节假期安全稳定工作的通知", Link: "/info/1002/5123.htm",
				DateText: "10 2025-03"}, entries: 12},
		{name: "comparable lists", page: "home_two.html", detected: model.Scrape{Items: "div.news li"}, code: model.MsgSeveralLists},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := model.Source{ID: "s", URL: srv.URL + "/lists/" + tt.page, Location: shanghai, Scrape: tt.scrape}
			p, err := newPreviewer().Preview(context.Background(), src)
			if tt.code != "" {
				if !errors.Is(err, parse.ErrAmbiguous) || p.ErrorCode != tt.code || !strings.HasPrefix(p.Error, parse.NoFeedReason+"; 2 lists found: div.news li (10 items") {
					t.Fatalf("err = %v, Error = %q (%s)", err, p.Error, p.ErrorCode)
				}
			} else if err != nil {
				t.Fatal(err)
			}
			if p.Kind != model.PreviewListPage || p.Detected == nil || p.Detected.Items != tt.detected.Items ||
				(tt.code == "" && *p.Detected != tt.detected) {
				t.Fatalf("Kind %q, Detected = %+v; want %+v", p.Kind, p.Detected, tt.detected)
			}
			if p.Warnings == nil || len(p.Warnings) != 0 {
				t.Errorf("Warnings = %#v, want []", p.Warnings)
			}
			if tt.code != "" {
				return
			}
			if len(p.Entries) != tt.entries {
				t.Fatalf("%d entries, want %d", len(p.Entries), tt.entries)
			}
			got := p.Entries[0]
			if got.Title != tt.first.Title || got.Link != srv.URL+tt.first.Link || got.DateText != tt.first.DateText ||
				got.Published == nil || got.Published.Format(time.DateOnly) != "2025-03-10" {
				t.Errorf("first entry = %+v, want %+v dated 2025-03-10", got, tt.first)
			}
		})
	}
}

// TestPreviewer_PreviewWarns: a block whose date selector matches
// nothing says so in the preview's warnings.
func TestPreviewer_PreviewWarns(t *testing.T) {
	srv := newListSite(t)
	src := model.Source{ID: "s", URL: srv.URL + "/lists/vsb_split_day.html", Location: time.UTC,
		Scrape: &model.Scrape{Items: "div.news-list li", Date: "span.nothing"}}
	p, err := newPreviewer().Preview(context.Background(), src)
	if err != nil {
		t.Fatal(err)
	}
	want := model.ListWarning{Code: model.ListWarnDateNoMatch, Count: 0, Total: 12, Detail: "span.nothing"}
	if len(p.Warnings) != 1 || p.Warnings[0] != want || p.Detected != nil {
		t.Errorf("Warnings = %+v, Detected = %+v; want [%+v] and nothing detected", p.Warnings, p.Detected, want)
	}
}

// TestPreviewer_DiscoverLists: a page advertising no feed offers the
// lists detection finds on it, best first, each with the block that
// reads it; comparable lists are all offered, the reason naming them.
func TestPreviewer_DiscoverLists(t *testing.T) {
	srv := newListSite(t)
	tests := []struct {
		page   string
		items  []string
		reason string
		code   string
		args   []string
	}{
		{page: "vsb_split_day.html", items: []string{"div.news-list li"},
			reason: parse.NoFeedReason + "; 1 list of entries found", code: model.MsgNoFeedLists, args: []string{"1"}},
		{page: "home_two.html", items: []string{"div.news li", "div.notice li"},
			reason: parse.NoFeedReason + "; 2 lists of entries found; 2 lists found: div.news li (10 items", code: model.MsgNoFeedLists, args: []string{"2"}},
		{page: "no_list.html", reason: parse.NoFeedReason + "; " + parse.NoListReason, code: model.MsgNoList},
	}
	for _, tt := range tests {
		t.Run(tt.page, func(t *testing.T) {
			d, err := newPreviewer().Discover(context.Background(), srv.URL+"/lists/"+tt.page, false)
			if err != nil {
				t.Fatal(err)
			}
			var items []string
			for _, l := range d.Lists {
				items = append(items, l.Scrape.Items)
			}
			if d.Lists == nil || strings.Join(items, "|") != strings.Join(tt.items, "|") {
				t.Errorf("lists %q, want %q", items, tt.items)
			}
			if !strings.HasPrefix(d.Reason, tt.reason) || d.ReasonCode != tt.code || strings.Join(d.ReasonArgs, "|") != strings.Join(tt.args, "|") {
				t.Errorf("reason %q (%s %q), want %q… (%s %q)", d.Reason, d.ReasonCode, d.ReasonArgs, tt.reason, tt.code, tt.args)
			}
			if len(d.Lists) > 0 && len(d.Lists[0].Samples) == 0 {
				t.Errorf("no samples: %+v", d.Lists[0])
			}
		})
	}
}
