package main

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/tributary-rss/tributary/aggregator/store/storetest"
)

// noStaleAlerts is config that keeps dated fixtures from going stale in
// tests about other alerts.
const noStaleAlerts = "freshness:\n  stale_after: 36500d\n"

// quietSchoolFeed is a school's news column (RSS from a CMS, dates in
// +0800) whose items were published at the given moments.
func quietSchoolFeed(dates ...time.Time) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>实验小学 学校新闻</title>` +
		`<link>https://sx.example.edu.cn/xxxw/</link><description>学校新闻</description>`)
	for i, d := range dates {
		// Each article has its own page, numbered as the CMS counts.
		fmt.Fprintf(&b, `<item><title>校园新闻 %d</title><link>https://sx.example.edu.cn/info/1001/%d.htm</link><pubDate>%s</pubDate></item>`,
			i, d.Unix()/3600, d.In(time.FixedZone("CST", 8*3600)).Format(time.RFC1123Z))
	}
	b.WriteString(`</channel></rss>`)
	return b.String()
}

// TestDaemon_alertsStale: two daemons poll one school from one Redis, with
// the same webhook. The school last published 40 days ago: the first poll
// sends one "stale" alert, the polls after it (either instance's, 304s)
// none; once it publishes, one "fresh" alert, then none.
func TestDaemon_alertsStale(t *testing.T) {
	redisURL := "redis://" + storetest.StartRedis(t) + "/0"
	now := time.Now()
	school := newFixtureSource(t, "alpha.xml", "application/rss+xml; charset=utf-8", nil)
	school.setBody([]byte(quietSchoolFeed(now.AddDate(0, 0, -40), now.AddDate(0, 0, -55))), nil)
	feedURL := school.srv.URL + "/rss.xml"
	hook := newHookReceiver(t)
	extra := fmt.Sprintf("admin:\n  token: %s\nalerts:\n  webhook:\n    url: %s\n", adminToken, hook.srv.URL)
	first := startDaemon(t, withAdmin(t, writeConfig(t, t.TempDir(), redisURL, "@every 1h", feedURL), extra))
	if res := first.waitPollOf(t, feedURL); res.Err != nil {
		t.Fatalf("first poll: %v", res.Err)
	}
	second := startDaemon(t, withAdmin(t, writeConfig(t, t.TempDir(), redisURL, "@every 1h", feedURL), extra))
	id := ""
	for k := range listAdmin(t, first) {
		id = k
	}
	daemons := []*daemon{first, second}
	for i, publish := range []bool{false, false, false, true, false, false} {
		if publish {
			school.setBody([]byte(quietSchoolFeed(time.Now().Add(-time.Hour), now.AddDate(0, 0, -40))), nil)
		}
		resp, body := daemons[i%2].admin(t, "POST", "/api/v1/admin/sources/"+id+"/poll", "Bearer "+adminToken, nil)
		expectStatus(t, "poll", resp, body, http.StatusAccepted, id)
		waitFor(t, func() bool { return len(pollHistory(t, first, id)) == i+2 })
	}
	// The daemons wire the report and the gauge: the school published
	// an hour ago, one entry in the last 30 days.
	resp, body := second.admin(t, "GET", "/api/v1/admin/freshness", "Bearer "+adminToken, nil)
	expectStatus(t, "freshness", resp, body, http.StatusOK, `"id": "`+id+`"`)
	for _, want := range []string{`"stale": false`, `"days_since_last_entry": 0`, `"entries_30d": 1`} {
		if !strings.Contains(string(body), want) {
			t.Errorf("freshness report lacks %s:\n%s", want, body)
		}
	}
	if _, metrics := first.get(t, "/metrics", nil); metricValue(t, metrics, "tributary_sources_stale") != 0 {
		t.Errorf("tributary_sources_stale = %v after the school published, want 0", metricValue(t, metrics, "tributary_sources_stale"))
	}
	first.shutdown(t)
	second.shutdown(t)
	var got []string
	for _, dl := range hook.deliveries() {
		got = append(got, dl.event)
	}
	if strings.Join(got, " ") != "stale fresh" {
		t.Fatalf("alerts %q, want one stale and one fresh", got)
	}
	stale := hook.deliveries()[0].payload
	if stale.DaysSinceLastEntry == nil || *stale.DaysSinceLastEntry != 40 || stale.StaleAfter != "14d" || stale.Source.ID != id ||
		stale.Source.Title != "实验小学 学校新闻" {
		t.Errorf("stale payload %s", hook.deliveries()[0].body)
	}
	if fresh := hook.deliveries()[1].payload; fresh.DaysSinceLastEntry == nil || *fresh.DaysSinceLastEntry != 0 {
		t.Errorf("fresh payload %s", hook.deliveries()[1].body)
	}
}
