package registry

import (
	"context"
	"errors"
	"net/netip"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/tributary-rss/tributary/aggregator/fetch"
	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/aggregator/normalize"
	"github.com/tributary-rss/tributary/aggregator/parse"
	"github.com/tributary-rss/tributary/aggregator/preview"
	"github.com/tributary-rss/tributary/aggregator/store"
	"github.com/tributary-rss/tributary/aggregator/store/storetest"
)

// Pages of a fake site, served by pageFetcher.
const (
	pageWithFeed = `<!DOCTYPE html><html><head><title>甲校</title>
<link rel="alternate" type="application/rss+xml" title="甲校新闻" href="/rss.xml"></head><body></body></html>`
	pageWithoutFeed = `<!DOCTYPE html><html><head><title>乙校</title></head><body>
<ul class="news"><li class="top"><a href="/n/0.htm">置顶：学校简介</a></li>
<li><a href="/n/1.htm">运动会</a><span>2026-10-17</span></li><li><a href="/n/2.htm">开学典礼</a><span>2026-09-01</span></li></ul></body></html>`
	pageWithoutList = `<!DOCTYPE html><html><head><title>丙校</title></head><body><p>网站维护中，请稍后访问。</p></body></html>`
	rssFeed         = `<?xml version="1.0"?><rss version="2.0"><channel><title>甲校新闻</title><link>https://s.example.edu.cn/</link>
<item><title>第一条</title><link>https://s.example.edu.cn/n/1.htm</link><pubDate>2026-10-17 09:30</pubDate></item></channel></rss>`
)

// pageFetcher answers from a map of URL to body; other URLs are a 404,
// and hosts under .internal are refused as a restricted fetch refuses a
// private address.
type pageFetcher struct {
	pages map[string]string
	urls  []string
}

func (f *pageFetcher) Fetch(_ context.Context, req fetch.Request) (*fetch.Response, error) {
	f.urls = append(f.urls, req.URL)
	if strings.Contains(req.URL, ".internal/") && req.Restricted {
		return nil, &fetch.Error{URL: req.URL, Reason: "refused to connect to 10.0.0.7: private address",
			Err: &fetch.AddressError{Addr: netip.MustParseAddr("10.0.0.7"), Why: "private"}}
	}
	body, ok := f.pages[req.URL]
	if !ok {
		return nil, &fetch.Error{URL: req.URL, Reason: "HTTP 404 Not Found", Err: &fetch.StatusError{Code: 404}}
	}
	ct := "text/html; charset=utf-8"
	if strings.HasPrefix(body, "<?xml") {
		ct = "application/rss+xml"
	}
	return &fetch.Response{URL: req.URL, StatusCode: 200, Body: []byte(body), ContentType: ct}, nil
}

func newPageFetcher() *pageFetcher {
	return &pageFetcher{pages: map[string]string{
		"https://s.example.edu.cn/":        pageWithFeed,
		"https://s.example.edu.cn/rss.xml": rssFeed,
		"https://b.example.edu.cn/news/":   pageWithoutFeed,
		"https://c.example.internal/":      pageWithFeed,
		"https://d.example.edu.cn/":        pageWithoutList,
		"https://e.example.edu.cn/":        homeTwoLists,
	}}
}

// homeTwoLists is a homepage with 学校要闻 and 通知公告 side by side, from
// the list pages package parse keeps.
var homeTwoLists = func() string {
	b, err := os.ReadFile("../parse/testdata/lists/home_two.html")
	if err != nil {
		panic(err)
	}
	return string(b)
}()

func withPreview(f preview.Fetcher) Options {
	return Options{Preview: preview.New(f, normalize.New(normalize.Options{}))}
}

func TestRegistry_AddRules(t *testing.T) {
	st := store.New(storetest.NewClient(t, storetest.StartRedis(t)), "", nil)
	r, _ := newRegistry(t, st, Options{})
	add := func(sc *model.Scrape, cc *model.Content) AddRequest {
		return AddRequest{URL: "https://x.example/list.htm", Sections: []string{"news"}, Scrape: sc, Content: cc}
	}
	tests := []struct {
		name  string
		req   AddRequest
		field string
		want  string
	}{
		{"bad items", add(&model.Scrape{Items: "li["}, nil), "scrape.items", "scrape.items: "},
		{"bad title", add(&model.Scrape{Items: "li", Title: "a:nope"}, nil), "scrape.title", "scrape.title: "},
		{"bad skip", add(&model.Scrape{Items: "li", Skip: ">>"}, nil), "scrape.skip", "scrape.skip: "},
		{"bad date attribute", add(&model.Scrape{Items: "li", DateAttr: "data date"}, nil), "scrape.date_attr", `"data date" is not an attribute name`},
		{"long selector", add(&model.Scrape{Items: strings.Repeat("li ", 400)}, nil), "scrape.items", "longer than 1000 bytes"},
		{"bad content selector", add(nil, &model.Content{Fetch: true, Selector: "div["}), "content.selector", "content.selector: "},
		{"bad remove", add(nil, &model.Content{Remove: []string{".share", "p:nope"}}), "content.remove[1]", "content.remove[1]: "},
		{"negative max", add(nil, &model.Content{Fetch: true, MaxPerPoll: -1}), "content.max_per_poll", "must be at least 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := r.Add(context.Background(), tt.req)
			var re *RequestError
			if !errors.As(err, &re) || !errors.Is(err, ErrInvalid) || re.Field != tt.field || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Add = %v, want field %s containing %q", err, tt.field, tt.want)
			}
		})
	}
	if api, err := st.APISources(context.Background()); err != nil || len(api) != 0 {
		t.Errorf("stored after refusals: %v, %v", api, err)
	}
}

// TestRegistry_AddScrape: the blocks are stored, survive a restart and
// reach the merged source, max_per_poll defaulted as in the config.
func TestRegistry_AddScrape(t *testing.T) {
	forEachBackend(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		f := newPageFetcher()
		r, _ := newRegistry(t, st, withPreview(f))
		sc := &model.Scrape{Items: "ul.news li", Date: "span", Skip: ".top"}
		src, err := r.Add(ctx, AddRequest{ID: "b", URL: "https://b.example.edu.cn/news/", Sections: []string{"news"},
			Scrape: sc, Content: &model.Content{Fetch: true, Remove: []string{".share"}}})
		if err != nil {
			t.Fatal(err)
		}
		want := &model.Content{Fetch: true, Remove: []string{".share"}, MaxPerPoll: model.DefaultMaxPerPoll}
		if !src.Scrape.Equal(sc) || !src.Content.Equal(want) {
			t.Errorf("added source scrape %+v content %+v", src.Scrape, src.Content)
		}
		if len(f.urls) != 0 {
			t.Errorf("a source with a scrape: block was fetched at add: %v", f.urls)
		}
		restarted, _ := newRegistry(t, st, Options{})
		sources, _ := restarted.Merged()
		i := slices.IndexFunc(sources, func(s model.Source) bool { return s.ID == "b" })
		if i < 0 || !sources[i].Scrape.Equal(sc) || !sources[i].Content.Equal(want) {
			t.Errorf("after a restart: %+v", sources)
		}
	})
}

// TestRegistry_AddPage: a page URL without a scrape: block is added when
// it advertises a feed (its URL kept) or holds a list detection reads,
// and refused when it holds no list, or lists too alike to choose from.
func TestRegistry_AddPage(t *testing.T) {
	st := store.New(storetest.NewClient(t, storetest.StartRedis(t)), "", nil)
	ctx := context.Background()
	r, _ := newRegistry(t, st, withPreview(newPageFetcher()))
	tests := []struct {
		name, url string
		kind      error
		want      string
	}{
		{"page advertising a feed", "https://s.example.edu.cn/", nil, ""},
		{"a feed", "https://s.example.edu.cn/rss.xml", nil, ""},
		{"unreachable for now", "https://gone.example.edu.cn/", nil, ""},
		{"page holding a list", "https://b.example.edu.cn/news/", nil, ""},
		{"page holding no list", "https://d.example.edu.cn/", ErrInvalid, "url: " + parse.NoFeedReason + "; " + parse.NoListReason},
		{"page holding two lists", "https://e.example.edu.cn/", ErrInvalid, "url: " + parse.NoFeedReason + "; 2 lists found: div.news li (10 items"},
		{"private at connect time", "https://c.example.internal/", ErrInvalid, "url: refused to connect to 10.0.0.7: private address; the admin API fetches only public addresses"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src, err := r.Add(ctx, AddRequest{URL: tt.url, Sections: []string{"news"}})
			if tt.kind == nil {
				if err != nil || src.URL != tt.url {
					t.Fatalf("Add = %+v, %v; want the source added with its own URL", src, err)
				}
				return
			}
			if !errors.Is(err, tt.kind) || err.Error() != tt.want && !strings.HasPrefix(err.Error(), tt.want) {
				t.Fatalf("Add = %v, want %q", err, tt.want)
			}
		})
	}
}

func TestRegistry_DiscoverPreview(t *testing.T) {
	st := store.New(storetest.NewClient(t, storetest.StartRedis(t)), "", nil)
	ctx := context.Background()
	f := newPageFetcher()
	r, _ := newRegistry(t, st, withPreview(f))
	before, err := st.Client().Keys(ctx, "*").Result()
	if err != nil {
		t.Fatal(err)
	}

	d, err := r.Discover(ctx, " https://s.example.edu.cn/ ")
	if err != nil || len(d.Feeds) != 1 || d.Feeds[0] != (model.FeedLink{URL: "https://s.example.edu.cn/rss.xml", Type: "rss", Title: "甲校新闻"}) {
		t.Errorf("Discover(page) = %+v, %v", d, err)
	}
	if d, err := r.Discover(ctx, "https://b.example.edu.cn/news/"); err != nil || len(d.Feeds) != 0 || len(d.Lists) != 1 ||
		d.Lists[0].Scrape.Items != "ul.news li" || d.ReasonCode != model.MsgNoFeedLists {
		t.Errorf("Discover(no feed) = %+v, %v; want the list on the page", d, err)
	}
	if d, err := r.Discover(ctx, "https://gone.example.edu.cn/"); err != nil || d.Reason != "HTTP 404 Not Found" {
		t.Errorf("Discover(404) = %+v, %v; want the reason, no error", d, err)
	}

	p, err := r.Preview(ctx, AddRequest{URL: "https://b.example.edu.cn/news/", Timezone: "Asia/Taipei", Sections: []string{"no-such-section"},
		Scrape: &model.Scrape{Items: "ul.news li", Date: "span", Skip: ".top"}})
	if err != nil || p.Kind != model.PreviewListPage || len(p.Entries) != 2 || len(p.Skipped) != 1 || p.Error != "" {
		t.Fatalf("Preview(list page) = %+v, %v", p, err)
	}
	if got := p.Entries[0].Published.Format("2006-01-02 15:04 MST"); got != "2026-10-17 00:00 CST" || p.Entries[0].Title != "运动会" {
		t.Errorf("first entry = %+v (date %s)", p.Entries[0], got)
	}
	if p, err := r.Preview(ctx, AddRequest{URL: "https://s.example.edu.cn/"}); err != nil || p.Kind != model.PreviewDiscovered ||
		p.FetchedURL != "https://s.example.edu.cn/rss.xml" || len(p.Entries) != 1 {
		t.Errorf("Preview(page with a feed) = %+v, %v", p, err)
	}
	if p, err := r.Preview(ctx, AddRequest{URL: "https://b.example.edu.cn/news/"}); err != nil || p.Kind != model.PreviewListPage ||
		p.Detected == nil || p.Detected.Items != "ul.news li" || len(p.Entries) != 3 {
		t.Errorf("Preview(page without a feed) = %+v, %v; want its list detected", p, err)
	}
	if p, err := r.Preview(ctx, AddRequest{URL: "https://d.example.edu.cn/"}); err != nil || p.ErrorCode != model.MsgNoList {
		t.Errorf("Preview(page without a feed or list) = %+v, %v; want the reason in the preview", p, err)
	}

	refusals := []struct {
		name  string
		call  func() error
		field string
		want  string
	}{
		{"discover loopback", func() error { _, err := r.Discover(ctx, "http://127.0.0.1:8080/"); return err }, "url", "a loopback address"},
		{"discover file URL", func() error { _, err := r.Discover(ctx, "file:///etc/passwd"); return err }, "url", "http or https"},
		{"discover private at connect time", func() error { _, err := r.Discover(ctx, "https://c.example.internal/"); return err }, "url", "private address"},
		{"preview metadata", func() error {
			_, err := r.Preview(ctx, AddRequest{URL: "http://169.254.169.254/latest/"})
			return err
		}, "url", "cloud metadata"},
		{"preview private at connect time", func() error {
			_, err := r.Preview(ctx, AddRequest{URL: "https://c.example.internal/"})
			return err
		}, "url", "private address"},
		{"preview bad selector", func() error {
			_, err := r.Preview(ctx, AddRequest{URL: "https://b.example.edu.cn/news/", Scrape: &model.Scrape{Items: "li["}})
			return err
		}, "scrape.items", "scrape.items: "},
		{"preview bad zone", func() error {
			_, err := r.Preview(ctx, AddRequest{URL: "https://b.example.edu.cn/news/", Timezone: "Mars/Olympus"})
			return err
		}, "timezone", "Mars/Olympus"},
	}
	for _, tt := range refusals {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call()
			var re *RequestError
			if !errors.As(err, &re) || !errors.Is(err, ErrInvalid) || re.Field != tt.field || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want field %s containing %q", err, tt.field, tt.want)
			}
		})
	}

	after, err := st.Client().Keys(ctx, "*").Result()
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(before)
	slices.Sort(after)
	if !slices.Equal(before, after) {
		t.Errorf("keys after discover and preview = %v, want %v", after, before)
	}

	// admin.allow_private lets them fetch private addresses, unrestricted.
	rp, _ := newRegistry(t, st, Options{AllowPrivate: true, Preview: preview.New(f, normalize.New(normalize.Options{}))})
	if d, err := rp.Discover(ctx, "https://c.example.internal/"); err != nil || len(d.Feeds) != 1 {
		t.Errorf("allow_private: Discover = %+v, %v", d, err)
	}
	// Without a previewer they fail rather than pretend.
	if _, err := (&Registry{}).Discover(ctx, "https://s.example.edu.cn/"); !errors.Is(err, errNoPreviewer) {
		t.Errorf("no previewer: %v", err)
	}
}

// TestRegistry_AddPartialBlock: a scrape: block without items is taken
// (polls detect the list and keep the block's keys) and kept as given.
func TestRegistry_AddPartialBlock(t *testing.T) {
	st := store.New(storetest.NewClient(t, storetest.StartRedis(t)), "", nil)
	r, _ := newRegistry(t, st, Options{})
	sc := &model.Scrape{Date: "span.date", Skip: ".top"}
	src, err := r.Add(context.Background(), AddRequest{URL: "https://x.example/list.htm", Sections: []string{"news"}, Scrape: sc})
	if err != nil || !src.Scrape.Equal(sc) {
		t.Fatalf("Add = %+v, %v; want the block kept", src, err)
	}
}
