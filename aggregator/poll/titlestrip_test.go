package poll

import (
	"context"
	"log/slog"
	"slices"
	"testing"
	"time"

	"github.com/tributary-rss/tributary/aggregator/fetch"
	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/aggregator/normalize"
	"github.com/tributary-rss/tributary/aggregator/scheduler/plan/plantest"
)

// TestPoller_TitleStrip: a source's title_strip cleans the titles of its
// list page, and a changed list makes the next poll read the unchanged
// page afresh, so the stored entries (the same ones, by id) take the new
// titles without waiting for the site to publish something.
func TestPoller_TitleStrip(t *testing.T) {
	s := newSite()
	s.set("/xxyw.htm", 200, "text/html", fixture(t, "../../parse/testdata/list_ul.html"))
	h := newPollHarness(t, s)
	st := newDueStore(t)
	p := New(st, fetch.New(fetch.Options{Timeout: 5 * time.Second}), normalize.New(normalize.Options{}),
		[]model.Section{{ID: "news", MaxItems: 50}}, slog.New(slog.DiscardHandler))
	p.Now = func() time.Time { return plantest.Now }
	src := h.src
	src.URL = h.srv.URL + "/xxyw.htm"
	src.Scrape = &model.Scrape{Items: "ul.news-list > li"}
	poll := func() Result {
		t.Helper()
		res := p.Poll(context.Background(), src, plantest.QuarterHourly())
		if res.Err != nil {
			t.Fatalf("poll: %v", res.Err)
		}
		return res
	}
	titles := func() (ids, out []string) {
		t.Helper()
		es, err := st.SectionEntries(context.Background(), "news", 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range es {
			ids, out = append(ids, e.ID), append(out, e.Title)
		}
		return ids, out
	}
	if res := poll(); res.New != 4 {
		t.Fatalf("first poll: %+v", res)
	}
	if res := poll(); !res.SameBody {
		t.Fatalf("second poll read the same page again: %+v", res)
	}
	before, _ := titles()
	src.TitleStrip = []string{"/^我校/", "示例学院"}
	if res := poll(); res.SameBody || res.Updated != 2 {
		t.Errorf("poll after a new title_strip: %+v, want the page read again and 2 entries updated", res)
	}
	ids, got := titles()
	for _, want := range []string{"召开2026年秋季学期教学工作会议暨本科教育教学审核评估推进会", "与示例市人民政府签署战略合作协议"} {
		if !slices.Contains(got, want) {
			t.Errorf("titles %q lack %q", got, want)
		}
	}
	if !slices.Equal(ids, before) {
		t.Errorf("entry ids changed: %v, were %v", ids, before)
	}
}
