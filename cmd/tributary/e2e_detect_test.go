package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/aggregator/normalize"
	"github.com/tributary-rss/tributary/aggregator/poll"
)

// listGolden is what package parse's golden file of a list page says it
// reads: each entry's title, link (against the page URL its test used)
// and date text.
type listGolden struct {
	Entries []struct {
		Title, Link, Date string
	} `json:"entries"`
}

// pageFrom serves the list page name of listPagesDir at path.
func (s *listSite) pageFrom(path, name string) {
	s.t.Helper()
	body, err := os.ReadFile(filepath.Join(listPagesDir, name))
	if err != nil {
		s.t.Fatal(err)
	}
	s.set(path, listPage{status: 200, contentType: "text/html", body: body})
}

// wantEntries are the entries of a list page's golden file as a daemon
// serving them from u publishes them: link → title and date_published
// (the date read in Asia/Shanghai, in UTC).
func wantEntries(t *testing.T, name, goldenBase, u string) map[string][2]string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(listPagesDir, strings.TrimSuffix(name, ".html")+".golden.json"))
	if err != nil {
		t.Fatal(err)
	}
	var g listGolden
	if err := json.Unmarshal(b, &g); err != nil {
		t.Fatal(err)
	}
	shanghai, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][2]string{}
	for _, e := range g.Entries {
		d, ok := normalize.ParseDateAt(e.Date, shanghai, time.Now())
		if !ok {
			t.Fatalf("golden date %q", e.Date)
		}
		out[strings.Replace(e.Link, goldenBase, u, 1)] = [2]string{e.Title, d.UTC().Format(time.RFC3339)}
	}
	return out
}

// detectedStatus is a source in /api/v1/sources, with its detection.
type detectedStatus struct {
	State     string              `json:"state"`
	LastError string              `json:"last_error"`
	Detected  *model.Scrape       `json:"detected"`
	Warnings  []model.ListWarning `json:"warnings"`
}

func detectedStatusOf(t *testing.T, d *daemon, url string) detectedStatus {
	t.Helper()
	_, body := d.get(t, "/api/v1/sources", nil)
	var out struct {
		Sources []struct {
			ConfiguredURL string `json:"configured_url"`
			detectedStatus
		} `json:"sources"`
	}
	if err := json.Unmarshal(body, &out); err != nil {
		t.Fatalf("/api/v1/sources: %v", err)
	}
	for _, s := range out.Sources {
		if s.ConfiguredURL == url {
			return s.detectedStatus
		}
	}
	t.Fatalf("/api/v1/sources lacks %s: %s", url, body)
	return detectedStatus{}
}

// pollUntil collects polls until one satisfies ok, or fails after max.
func (d *daemon) pollUntil(t *testing.T, max int, ok func(poll.Result) bool) poll.Result {
	t.Helper()
	for range max {
		if r := d.waitPolls(t, 1)[0]; ok(r) {
			return r
		}
	}
	t.Fatalf("no poll of the %d seen was the one awaited", max)
	return poll.Result{}
}

// TestDaemon_listDetected: a source that is only the URL of a school's
// 工作动态 page (VSB, dates split over two elements, no feed advertised)
// is published in the section's feeds with the page's titles, links and
// dates; the selectors detection chose show in /api/v1/sources; a new
// template is detected afresh on the next poll and logged once; a
// homepage of two comparable lists fails the poll naming them, and the
// published entries stay.
func TestDaemon_listDetected(t *testing.T) {
	forEachBackend(t, func(t *testing.T, redisURL string) {
		site := newListSite(t)
		const path = "/xwdt/gzdt.htm"
		site.pageFrom(path, "vsb_split_day.html")
		u := site.srv.URL
		cfg := writeSitesConfig(t, redisURL, 2, fmt.Sprintf("      - url: %s%s\n", u, path))
		var logs syncBuffer
		d := startDaemonLogging(t, cfg, daemonHooks{}, &logs)

		if r := d.waitPolls(t, 1)[0]; r.Err != nil || r.New != 12 {
			t.Fatalf("first poll: %+v", r)
		}
		want := wantEntries(t, "vsb_split_day.html", "https://www.example.edu.cn", u)
		items := sectionJSON(t, d)
		if len(items) != len(want) {
			t.Fatalf("JSON Feed has %d items, want %d: %+v", len(items), len(want), items)
		}
		for _, it := range items {
			if w, ok := want[it.URL]; !ok || it.Title != w[0] || !sameZonedInstant(it.Published, w[1], "+08:00") {
				t.Errorf("item %s %q %s; want %q %s", it.URL, it.Title, it.Published, w[0], w[1])
			}
		}
		_, body := d.get(t, "/sections/news.rss", nil)
		for _, it := range parseFeed(t, body).Items {
			if w, ok := want[it.Link]; !ok || it.Title != w[0] || it.PublishedParsed == nil || it.PublishedParsed.UTC().Format(time.RFC3339) != w[1] {
				t.Errorf("rss: item %s %q %v; want %q %s", it.Link, it.Title, it.PublishedParsed, w[0], w[1])
			}
		}
		st := detectedStatusOf(t, d, u+path)
		first := model.Scrape{Items: "div.news-list li", Link: "div.txt a", Date: "div.date"}
		if st.Detected == nil || *st.Detected != first || st.State != model.StateOK || len(st.Warnings) != 0 {
			t.Fatalf("status %+v; want %+v detected, no warnings", st, first)
		}

		// The school moves to WebPlus: the recorded selectors match
		// nothing, the next poll detects afresh.
		site.pageFrom(path, "webplus_news.html")
		d.pollUntil(t, 10, func(r poll.Result) bool { return r.Err == nil && r.New == 16 })
		d.pollUntil(t, 10, func(r poll.Result) bool { return r.SameBody })
		if st := detectedStatusOf(t, d, u+path); st.Detected == nil || st.Detected.Items != "ul.news_list li.news" {
			t.Fatalf("after the new template: %+v", st)
		}
		if n, m := strings.Count(logs.String(), `msg="list detected"`), strings.Count(logs.String(), `msg="list detection changed"`); n != 1 || m != 1 {
			t.Errorf("logged list detected %d times and list detection changed %d times, want once each:\n%s", n, m, logs.String())
		}

		// A homepage of two comparable lists: the poll fails naming them.
		site.pageFrom(path, "home_two.html")
		d.pollUntil(t, 10, func(r poll.Result) bool { return r.Err != nil })
		st = detectedStatusOf(t, d, u+path)
		reason := "HTML page advertises no feed; 2 lists found: div.news li (10 items"
		if !strings.HasPrefix(st.LastError, reason) || !strings.Contains(st.LastError, "div.notice li (8 items") || st.State != model.StateFailing {
			t.Errorf("status %+v; want failing with %q…", st, reason)
		}
		if items := sectionJSON(t, d); len(items) != 28 {
			t.Errorf("after the failed poll the section has %d items, want the 28 published", len(items))
		}
	})
}
