package main

import (
	"context"
	"testing"

	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/aggregator/store"
	"github.com/tributary-rss/tributary/aggregator/store/storetest"
)

// TestCmdSources_readOnly: `tributary sources` given a config that no
// longer lists a source in a section (another file than the daemon's, or
// an edit the daemon has not loaded) lists what that file says and leaves
// the section's entries alone: a listing never changes the store.
func TestCmdSources_readOnly(t *testing.T) {
	addr := storetest.StartRedis(t)
	redisURL := "redis://" + addr + "/0"
	alpha := newFixtureSource(t, "alpha.xml", "application/rss+xml; charset=utf-8", map[string]string{"{{TITLE}}": "Alpha 第三条"})
	beta := newFixtureSource(t, "beta.atom", "application/atom+xml", nil)
	alphaURL, betaURL := alpha.srv.URL+"/feed.xml", beta.srv.URL+"/feed.atom"
	both := writeConfig(t, t.TempDir(), redisURL, "@every 1h", alphaURL, betaURL)
	d := startDaemon(t, both)
	d.waitPolls(t, 2)
	d.shutdown(t)

	st := store.New(storetest.NewClient(t, addr), "", nil)
	count := func() map[string]int {
		t.Helper()
		page, err := st.SectionPage(context.Background(), "news", model.PageQuery{Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		n := map[string]int{}
		for _, e := range page.Entries {
			n[e.SourceID]++
		}
		return n
	}
	before := count()
	alphaID := both.Sources()[0].ID
	if before[alphaID] == 0 {
		t.Fatalf("news holds no entry of alpha before the listing: %v", before)
	}
	// A source added through the API makes the listing's merge differ
	// from the file's alone, which is when sections get reconciled.
	if _, err := st.AddAPISource(context.Background(), store.APISource{ID: "gamma", URL: "https://gamma.example.edu.cn/feed", Sections: []string{"news"}}); err != nil {
		t.Fatal(err)
	}
	betaOnly := writeConfig(t, t.TempDir(), redisURL, "@every 1h", betaURL)
	if code, stdout, stderr := runCLI(t, "sources", "--config", betaOnly.Path); code != exitOK {
		t.Fatalf("sources: exit %d\n%s%s", code, stdout, stderr)
	}
	if after := count(); after[alphaID] != before[alphaID] {
		t.Errorf("alpha's entries in news: %d before `tributary sources`, %d after; a listing must change nothing", before[alphaID], after[alphaID])
	}
}
