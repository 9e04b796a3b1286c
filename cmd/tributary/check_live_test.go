package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCmdCheck_live: --live reads every source once and says what it
// read (the list detection chose), the warnings of list pages, and which
// could not be read, exiting 1 then.
func TestCmdCheck_live(t *testing.T) {
	site := newTestSite(t)
	dir := t.TempDir()
	yaml := fmt.Sprintf(`storage:
  snapshot: %s
sections:
  - id: news
    sources:
      - id: detected
        url: %s
      - id: bad-date
        url: %s
        scrape:
          items: div.news-list li
          date: span.nothing
      - id: feed
        url: %s
`, filepath.Join(dir, "t.snapshot"), site.url("/lists/vsb_split_day.html"), site.url("/lists/vsb_split_day.html?b"), site.url("/news/feed.xml"))
	path := filepath.Join(dir, "tributary.yaml")
	if err := os.WriteFile(path, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runCmd(site, cmdCheck,
		"--config", path, "--live")
	want := []string{
		"ok      detected  http://SITE/lists/vsb_split_day.html (list page, 12 entries, list detected: div.news-list li)\n",
		"ok      bad-date  http://SITE/lists/vsb_split_day.html?b (list page, 12 entries)\n        warning: the date selector span.nothing matched in 0 of 12 items: the others have no date\n",
		"ok      feed  http://SITE/news/feed.xml (feed, 2 entries)\n",
		"read 3 sources live: 3 ok, 0 failed, 1 with warnings\n",
	}
	for _, w := range want {
		if !strings.Contains(out, w) {
			t.Errorf("stdout lacks %q:\n%s", w, out)
		}
	}
	if code != exitOK || errOut != "" {
		t.Errorf("exit %d, stderr %q", code, errOut)
	}

	yaml += "      - id: gone\n        url: " + site.url("/missing") + "\n"
	if err := os.WriteFile(path, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, _ = runCmd(site, cmdCheck,
		"--config", path, "--live")
	if code != exitError || !strings.Contains(out, "FAILED  gone  http://SITE/missing: HTTP 404 Not Found\n") {
		t.Errorf("exit %d:\n%s", code, out)
	}
}
