package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tributary-rss/tributary/aggregator/config"
	"github.com/tributary-rss/tributary/aggregator/parse"
)

// listSite is a web site without feeds for the daemon to read: pages from
// testdata/lists that a test may change, and a log of the paths asked for,
// in order, with the most requests it ever had in flight at once.
type listSite struct {
	t     *testing.T
	srv   *httptest.Server
	mu    sync.Mutex
	pages map[string]listPage
	log   []string
	// busy and maxBusy count requests in flight; slow delays the pages
	// marked slow, so fetches that overlap would show in maxBusy.
	busy, maxBusy int
}

type listPage struct {
	status      int
	contentType string
	body        []byte
	slow        bool
}

func newListSite(t *testing.T) *listSite {
	s := &listSite{t: t, pages: map[string]listPage{}}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.srv.Close)
	return s
}

// file serves testdata/lists/name (see fixturePath) at path, with
// replacements.
func (s *listSite) file(path, contentType, name string, replace map[string]string) {
	s.t.Helper()
	raw, err := os.ReadFile(fixturePath("lists", name))
	if err != nil {
		s.t.Fatal(err)
	}
	for k, v := range replace {
		raw = []byte(strings.ReplaceAll(string(raw), k, v))
	}
	s.set(path, listPage{status: 200, contentType: contentType, body: raw})
}

// markSlow makes the page at path answer after a short delay.
func (s *listSite) markSlow(path string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.pages[path]
	p.slow = true
	s.pages[path] = p
}

func (s *listSite) set(path string, p listPage) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pages[path] = p
}

func (s *listSite) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.log = append(s.log, r.URL.Path)
	p, ok := s.pages[r.URL.Path]
	s.busy++
	s.maxBusy = max(s.maxBusy, s.busy)
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		s.busy--
		s.mu.Unlock()
	}()
	if p.slow {
		time.Sleep(20 * time.Millisecond) // a slow server, not a wait for a condition
	}
	if !ok {
		http.NotFound(w, r)
		return
	}
	// Set explicitly, so net/http never sniffs a type and adds a charset.
	w.Header().Set("Content-Type", p.contentType)
	w.WriteHeader(p.status)
	_, _ = w.Write(p.body)
}

func (s *listSite) requests() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.log)
}

func (s *listSite) hits(path string) int {
	n := 0
	for _, p := range s.requests() {
		if p == path {
			n++
		}
	}
	return n
}

// writeSitesConfig writes a config polling every second into section
// "news", with the given source entries (YAML list items, indented six
// spaces) and fetch.per_host.
func writeSitesConfig(t *testing.T, redisURL string, perHost int, sources string) *config.Config {
	t.Helper()
	dir := t.TempDir()
	var b strings.Builder
	fmt.Fprintf(&b, "redis:\n  url: %q\n", redisURL)
	fmt.Fprintf(&b, "listen: 127.0.0.1:0\nbase_url: http://feeds.example.test\nstorage:\n  snapshot: %s\n  snapshot_interval: 1h\n", filepath.Join(dir, "tributary.snapshot"))
	fmt.Fprintf(&b, "fetch:\n  per_host: %d\n", perHost)
	b.WriteString("defaults:\n  schedule: \"@every 1s\"\n  timezone: Asia/Shanghai\n  max_items: 50\nsections:\n  - id: news\n    title: 资讯\n    sources:\n")
	b.WriteString(sources)
	path := filepath.Join(dir, "tributary.yaml")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(path, func(string) string { return "" })
	if err != nil {
		t.Fatalf("config: %v\n%s", err, b.String())
	}
	return cfg
}

// siteItem is an item of the section's JSON Feed.
type siteItem struct {
	ID          string `json:"id"`
	URL         string `json:"url"`
	Title       string `json:"title"`
	ContentHTML string `json:"content_html"`
	Published   string `json:"date_published"`
}

func sectionJSON(t *testing.T, d *daemon) []siteItem {
	t.Helper()
	resp, body := d.get(t, "/sections/news.json", nil)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("news.json: status %d", resp.StatusCode)
	}
	var f struct {
		Items []siteItem `json:"items"`
	}
	if err := json.Unmarshal(body, &f); err != nil {
		t.Fatalf("news.json: %v", err)
	}
	return f.Items
}

// siteStatus is a source in /api/v1/sources.
type siteStatus struct {
	ConfiguredURL string `json:"configured_url"`
	EffectiveURL  string `json:"effective_url"`
	Discovered    bool   `json:"discovered"`
	State         string `json:"state"`
	LastError     string `json:"last_error"`
	Skipped       int    `json:"skipped"`
	Articles      *struct {
		OK, Failed, Pending int
		LastError           string `json:"last_error"`
	} `json:"articles"`
}

func sourceStatuses(t *testing.T, d *daemon) map[string]siteStatus {
	t.Helper()
	_, body := d.get(t, "/api/v1/sources", nil)
	var out struct {
		Sources []siteStatus `json:"sources"`
	}
	if err := json.Unmarshal(body, &out); err != nil {
		t.Fatalf("/api/v1/sources: %v", err)
	}
	m := map[string]siteStatus{}
	for _, s := range out.Sources {
		m[s.ConfiguredURL] = s
	}
	return m
}

// TestDaemon_listPages: list pages of sites without feeds, one UTF-8 and
// one GBK declared only in its <meta>, are republished in RSS, Atom and
// JSON Feed with the full titles of their title attributes, absolute
// links and dates read in Asia/Shanghai.
func TestDaemon_listPages(t *testing.T) {
	forEachBackend(t, func(t *testing.T, redisURL string) {
		site := newListSite(t)
		site.file("/xxyw/list.htm", "text/html", "list_ul.html", nil)
		site.file("/gbk/list.htm", "text/html", "list_gbk.html", nil)
		u := site.srv.URL
		cfg := writeSitesConfig(t, redisURL, 2, fmt.Sprintf(`      - url: %s/xxyw/list.htm
        scrape:
          items: "ul.news-list > li"
          date: span.date
          summary: p.intro
      - url: %s/gbk/list.htm
        scrape:
          items: table.winstyle1234 tr
          date: span.timestyle1234
`, u, u))
		d := startDaemon(t, cfg)
		for _, r := range d.waitPolls(t, 2) {
			if r.Err != nil || r.New == 0 {
				t.Fatalf("first poll of %s: %+v", r.URL, r)
			}
		}
		// link → title, date_published in UTC (2026-10-17 in Shanghai is
		// 2026-10-16T16:00:00Z; the feed writes it with +08:00).
		want := map[string][2]string{
			u + "/info/1001/3401.htm":              {"我校召开2026年秋季学期教学工作会议暨本科教育教学审核评估推进会", "2026-10-16T16:00:00Z"},
			u + "/info/1001/3399.htm":              {"学院举办第十届校园科技文化节", "2026-10-14T16:00:00Z"},
			u + "/info/1001/3398.htm":              {"关于做好2026年国庆节假期安全工作的通知", "2026-09-27T16:00:00Z"},
			"https://mp.weixin.qq.com/s/AbCdEf123": {"示例学院与示例市人民政府签署战略合作协议", "2026-09-09T16:00:00Z"},
			u + "/gbk/info/1001/5678.htm":          {"我院在全省职业院校技能大赛中荣获一等奖三项", "2026-10-16T16:00:00Z"},
			u + "/gbk/info/1001/5670.htm":          {"学院召开安全稳定工作部署会", "2026-10-14T16:00:00Z"},
		}
		items := sectionJSON(t, d)
		if len(items) != len(want) {
			t.Fatalf("JSON Feed has %d items, want %d: %+v", len(items), len(want), items)
		}
		for _, it := range items {
			w, ok := want[it.URL]
			if !ok || it.Title != w[0] || !sameZonedInstant(it.Published, w[1], "+08:00") {
				t.Errorf("item %s %q %s; want %q %s", it.URL, it.Title, it.Published, w[0], w[1])
			}
		}
		for _, ext := range []string{".rss", ".atom"} {
			_, body := d.get(t, "/sections/news"+ext, nil)
			f := parseFeed(t, body)
			for _, it := range f.Items {
				w, ok := want[it.Link]
				if !ok || it.Title != w[0] || it.PublishedParsed == nil || it.PublishedParsed.UTC().Format(time.RFC3339) != w[1] {
					t.Errorf("%s: item %s %q %v; want %q %s", ext, it.Link, it.Title, it.PublishedParsed, w[0], w[1])
				}
			}
			if len(f.Items) != len(want) {
				t.Errorf("%s: %d items, want %d", ext, len(f.Items), len(want))
			}
		}
		st := sourceStatuses(t, d)[u+"/xxyw/list.htm"]
		if st.Skipped != 2 || st.LastError != "" || st.State != "ok" {
			t.Errorf("list source status %+v; want 2 skipped (javascript: and # links), no error", st)
		}
	})
}

// TestDaemon_feedDiscovery: a homepage URL is read through the feed it
// advertises, shown as the effective URL; a page advertising nothing
// fails with the reason that says what to do.
func TestDaemon_feedDiscovery(t *testing.T) {
	site := newListSite(t)
	u := site.srv.URL
	site.file("/", "text/html; charset=utf-8", "home_feed.html", map[string]string{"{{FEED}}": "/rss/news.xml"})
	site.file("/school/", "text/html", "home_nofeed.html", nil)
	alpha, err := os.ReadFile(filepath.Join("testdata", "alpha.xml"))
	if err != nil {
		t.Fatal(err)
	}
	site.set("/rss/news.xml", listPage{status: 200, contentType: "application/rss+xml", body: []byte(strings.ReplaceAll(string(alpha), "{{TITLE}}", "Alpha 第三条"))})
	cfg := writeSitesConfig(t, "", 2, fmt.Sprintf("      - url: %s/\n      - url: %s/school/\n", u, u))
	d := startDaemon(t, cfg)
	drainPolls(t, d)
	waitFor(t, func() bool { return site.hits("/rss/news.xml") >= 3 })

	st := sourceStatuses(t, d)
	if home := st[u+"/"]; home.EffectiveURL != u+"/rss/news.xml" || !home.Discovered || home.LastError != "" || home.State != "ok" {
		t.Errorf("homepage source: %+v", home)
	}
	if school := st[u+"/school/"]; school.LastError != parse.NoFeedReason+"; "+parse.NoListReason || school.State != "failing" || school.EffectiveURL != u+"/school/" {
		t.Errorf("page advertising nothing: %+v; want last_error %q", school, parse.NoFeedReason+"; "+parse.NoListReason)
	}
	if n := site.hits("/"); n != 1 {
		t.Errorf("the homepage was fetched %d times; once is enough to find its feed", n)
	}
	var titles []string
	for _, it := range sectionJSON(t, d) {
		titles = append(titles, it.Title)
	}
	if strings.Join(titles, "|") != "Alpha 第三条|Alpha 第一条" {
		t.Errorf("section titles %q", titles)
	}
}

// TestDaemon_articles: with content.fetch, the article behind each new
// entry replaces its summary (the page's navigation, share bar and footer
// gone); article fetches stay within max_per_poll per poll and within
// fetch.per_host at once, each article is fetched once, and a missing one
// is tried three times and then left with its headline.
func TestDaemon_articles(t *testing.T) {
	site := newListSite(t)
	u := site.srv.URL
	var sources strings.Builder
	for _, dir := range []string{"a", "b"} {
		site.file("/"+dir+"/list.htm", "text/html", "list_articles.html", map[string]string{"{{VERSION}}": dir})
		for i := 1; i <= 4; i++ {
			path := fmt.Sprintf("/%s/info/%d.htm", dir, i)
			site.file(path, "text/html; charset=utf-8", "article_generic.html", nil)
			site.markSlow(path)
		}
		site.set("/"+dir+"/info/5.htm", listPage{status: 404, contentType: "text/plain", body: []byte("gone"), slow: true})
		fmt.Fprintf(&sources, `      - url: %s/%s/list.htm
        scrape:
          items: ul.list li
          date: span
        content:
          fetch: true
          max_per_poll: 2
          remove: [".related"]
`, u, dir)
	}
	const perHost, maxPerPoll = 1, 2
	d := startDaemon(t, writeSitesConfig(t, "", perHost, sources.String()))
	drainPolls(t, d)
	waitForWithin(t, 60*time.Second, func() bool {
		for _, s := range sourceStatuses(t, d) {
			if s.Articles == nil || s.Articles.OK != 4 || s.Articles.Failed != 2 {
				return false
			}
		}
		return true
	})

	for _, s := range sourceStatuses(t, d) {
		if s.Articles.Pending != 0 || s.Articles.LastError != "HTTP 404 Not Found" || s.LastError != "" {
			t.Errorf("%s: %+v, articles %+v", s.ConfiguredURL, s, *s.Articles)
		}
	}
	for _, it := range sectionJSON(t, d) {
		switch {
		case strings.HasSuffix(it.URL, "/info/5.htm"), strings.HasSuffix(it.URL, ".pdf"):
			if it.ContentHTML != "" {
				t.Errorf("%s: content %q, want the headline only", it.URL, it.ContentHTML)
			}
		case !strings.Contains(it.ContentHTML, "秋季运动会在学校田径场隆重开幕") || !strings.Contains(it.ContentHTML, u+"/uploads/2026/10/sports-meeting.jpg"):
			t.Errorf("%s: content is not the article: %q", it.URL, it.ContentHTML)
		default:
			for _, junk := range []string{"首页", "热门文章", "分享到", "相关文章", "Copyright", "当前位置"} {
				if strings.Contains(it.ContentHTML, junk) {
					t.Errorf("%s: article keeps %q", it.URL, junk)
				}
			}
		}
	}

	log := site.requests()
	for _, dir := range []string{"/a/", "/b/"} {
		// However the polls and passes interleave, no prefix of the log
		// holds more article fetches than max_per_poll per list poll.
		lists, articles := 0, 0
		for _, p := range log {
			switch {
			case p == dir+"list.htm":
				lists++
			case strings.HasPrefix(p, dir+"info/"):
				articles++
				if articles > maxPerPoll*lists {
					t.Fatalf("%s: %d article fetches after %d list polls (max_per_poll %d): %v", dir, articles, lists, maxPerPoll, log)
				}
			}
		}
		for i := 1; i <= 5; i++ {
			want := map[bool]int{true: 3, false: 1}[i == 5]
			if n := site.hits(fmt.Sprintf("%sinfo/%d.htm", dir, i)); n != want {
				t.Errorf("%sinfo/%d.htm fetched %d times, want %d", dir, i, n, want)
			}
		}
		if n := site.hits(dir + "files/notice.pdf"); n != 0 {
			t.Errorf("the PDF was fetched %d times", n)
		}
	}
	site.mu.Lock()
	busy := site.maxBusy
	site.mu.Unlock()
	if busy > perHost {
		t.Errorf("%d requests at once on one host; fetch.per_host is %d", busy, perHost)
	}
}

// drainPolls reads the daemon's poll results for the rest of the test, so
// a test that does not wait for polls never blocks the scheduler on them.
func drainPolls(t *testing.T, d *daemon) {
	done := make(chan struct{})
	t.Cleanup(func() { close(done) })
	go func() {
		for {
			select {
			case <-d.polls:
			case <-done:
				return
			}
		}
	}()
}

// laterPolls drops the poll results already reported and waits for n more.
func laterPolls(t *testing.T, d *daemon, n int) {
	t.Helper()
	for {
		select {
		case <-d.polls:
			continue
		default:
		}
		break
	}
	d.waitPolls(t, n)
}

// TestDaemon_listOrder: items of a list page keep their entries as newer
// items push them down (ids come from their links), and an undated item,
// published when first seen, stays where that put it on later polls.
func TestDaemon_listOrder(t *testing.T) {
	site := newListSite(t)
	u := site.srv.URL
	site.file("/tzgg/list.htm", "text/html", "list_moving.html", map[string]string{"{{TOP}}": ""})
	cfg := writeSitesConfig(t, "", 2, fmt.Sprintf("      - url: %s/tzgg/list.htm\n        scrape:\n          items: ul.list li\n          date: span\n", u))
	d := startDaemon(t, cfg)
	waitFor(t, func() bool { return len(sectionJSON(t, d)) == 2 })
	first := map[string]siteItem{}
	for _, it := range sectionJSON(t, d) {
		first[it.URL] = it
	}
	undated := first[u+"/tzgg/u.htm"]
	if undated.ID == "" || undated.Published <= "2026-11-20" {
		t.Fatalf("undated item after the first poll: %+v", undated)
	}

	newer := `<li><a href="/tzgg/v.htm">关于图书馆开放时间调整的通知</a></li>`
	dated := `<li><a href="/tzgg/3.htm">关于期末考试安排的通知</a><span>2026-11-25</span></li>`
	steps := []struct {
		top  string
		want []string // paths, newest first
	}{
		{newer, []string{"v", "u", "2"}},
		{newer + dated, []string{"v", "u", "3", "2"}},
	}
	for _, step := range steps {
		site.file("/tzgg/list.htm", "text/html", "list_moving.html", map[string]string{"{{TOP}}": step.top})
		waitFor(t, func() bool { return len(sectionJSON(t, d)) == len(step.want) })
		laterPolls(t, d, 2) // and later polls of the same list
		items := sectionJSON(t, d)
		var got []string
		for _, it := range items {
			got = append(got, strings.TrimSuffix(strings.TrimPrefix(it.URL, u+"/tzgg/"), ".htm"))
			if was, ok := first[it.URL]; ok && (it.ID != was.ID || it.Published != was.Published) {
				t.Errorf("%s moved down the list and changed: %+v, was %+v", it.URL, it, was)
			}
			if _, ok := first[it.URL]; !ok {
				first[it.URL] = it
			}
		}
		if strings.Join(got, " ") != strings.Join(step.want, " ") {
			t.Errorf("order %v, want %v", got, step.want)
		}
	}
}
