package parse

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/aggregator/normalize"
)

// updateFlag is -update, which rewrites the golden files of this
// package's fixture tests; whichever test file declares it first
// declares it for all.
var updateFlag = lookupOrDefineBool("update", "rewrite the golden files of testdata")

func lookupOrDefineBool(name, usage string) flag.Value {
	if f := flag.Lookup(name); f != nil {
		return f.Value
	}
	flag.Bool(name, false, usage)
	return flag.Lookup(name).Value
}

func updating() bool { return updateFlag.String() == "true" }

// listFixture is a list page of testdata/lists, with the list an operator
// would pick on it (items) and the selectors an operator would write to
// read it whole (explicit).
type listFixture struct {
	file, pageURL string
	items         string
	explicit      model.Scrape
	// ambiguous pages hold several comparable lists; noList pages none.
	ambiguous, noList bool
}

var listFixtures = []listFixture{
	{file: "vsb_table.html", pageURL: "https://www.example.edu.cn/xwzx/xxyw.htm", items: "table.winstyle54630 tr",
		explicit: model.Scrape{Items: "table.winstyle54630 tr", Link: "a.c54630", Date: "span.timestyle54630"}},
	{file: "vsb_split_day.html", pageURL: "https://www.example.edu.cn/xwdt/gzdt.htm", items: "div.news-list li",
		explicit: model.Scrape{Items: "div.news-list li", Link: "div.txt a", Date: "div.date"}},
	{file: "vsb_gbk.html", pageURL: "http://www.example-yz.cn/tzgg.htm", items: "div.winstyle20993 li",
		explicit: model.Scrape{Items: "div.winstyle20993 li", Date: "span"}},
	{file: "webplus_news.html", pageURL: "https://news.example.edu.cn/xxxw/list.htm", items: "#wp_news_w6 li",
		explicit: model.Scrape{Items: "#wp_news_w6 li.news", Title: ".news_title a", Date: ".news_meta"}},
	{file: "webplus_pinned.html", pageURL: "https://www.example.edu.cn/tzgg/list.htm", items: "div.list_item",
		explicit: model.Scrape{Items: "div.list_item", Title: ".Article_Title a", Date: ".Article_PublishDate"}},
	{file: "trs_gzdt.html", pageURL: "http://www.example-xian.gov.cn/zwgk/gzdt/", items: "ul.list li",
		explicit: model.Scrape{Items: "ul.list li", Date: "span"}},
	{file: "trs_table.html", pageURL: "http://jyj.example.gov.cn/xxgk/tzgg/", items: "table.xxgk_table tr",
		explicit: model.Scrape{Items: "table.xxgk_table tr", Link: "td.bt a", Date: "td.fbrq"}},
	{file: "hanweb_gbk.html", pageURL: "http://jyj.example-xian.gov.cn/col/col1229/index.html", items: "div.default_pgContainer li",
		explicit: model.Scrape{Items: "div.default_pgContainer li", Date: "span.bt-data-time"}},
	{file: "dede_category.html", pageURL: "http://www.example-xy.cn/a/xwzx/", items: "ul.e2 li",
		explicit: model.Scrape{Items: "ul.e2 li", Link: "a.title", Date: "span.info"}},
	{file: "phpcms.html", pageURL: "http://www.example-school.cn/index.php?m=content&c=index&a=lists&catid=10", items: "ul.list li",
		explicit: model.Scrape{Items: "ul.list li", Date: "span.rt"}},
	{file: "empire_js.html", pageURL: "http://www.example-xx.cn/xydt/", items: "div.news_list li",
		explicit: model.Scrape{Items: "div.news_list li", Date: "span"}},
	{file: "wordpress.html", pageURL: "https://blog.example.edu.cn/", items: "article.post",
		explicit: model.Scrape{Items: "article.post", Title: ".entry-title", Link: ".entry-title a", Date: "time.entry-date", DateAttr: "datetime"}},
	{file: "home_two.html", pageURL: "https://www.example.edu.cn/", items: "div.notice li", ambiguous: true,
		explicit: model.Scrape{Items: "div.notice li", Date: "span.time"}},
	{file: "home_three_gbk.html", pageURL: "http://www.example-sx.cn/", items: "div.box2 li", ambiguous: true,
		explicit: model.Scrape{Items: "div.box2 li", Date: "span.date"}},
	{file: "column_sidebar.html", pageURL: "https://www.example-sf.edu.cn/xxyw/", items: "div.article-list li",
		explicit: model.Scrape{Items: "div.article-list li", Date: "span.list-date"}},
	{file: "split_md_year.html", pageURL: "https://www.example-wgy.cn/news/", items: "div.news-item",
		explicit: model.Scrape{Items: "div.news-item", Title: "h4", Date: "div.time"}},
	{file: "date_in_link.html", pageURL: "http://jyj.example-xian.gov.cn/Category_12/Index.aspx", items: "div.article_list li",
		explicit: model.Scrape{Items: "div.article_list li", Title: "a", Date: "a"}},
	{file: "asp_table_gbk.html", pageURL: "http://www.example-zx.cn/Article_Class.asp?ClassID=1", items: "tr:haschild(td.listA)",
		explicit: model.Scrape{Items: "tr:haschild(td.listA)", Link: "td.listA a", Date: "td.listdate"}},
	{file: "hanweb_datastore.html", pageURL: "http://www.example-xian.gov.cn/col/col4052/index.html", items: "div.default_pgContainer li",
		explicit: model.Scrape{Items: "div.default_pgContainer li", Date: "span.bt-data-time"}},
	{file: "dede_gbk.html", pageURL: "http://www.example-syzx.cn/a/tzgg/", items: "ul.d1 li",
		explicit: model.Scrape{Items: "ul.d1 li", Date: "span.date"}},
	{file: "column_nopager.html", pageURL: "https://www.example-xy.edu.cn/xyxw/", items: "div.r-con li",
		explicit: model.Scrape{Items: "div.r-con li", Date: "span"}},
	{file: "no_list.html", pageURL: "https://cas.example.edu.cn/login", noList: true},
}

// listGolden is what a list fixture reads as.
type listGolden struct {
	// Detected are the selectors Detect proposes first; Candidates the
	// items selectors of every list it proposes, with their item counts.
	Detected   model.Scrape `json:"detected"`
	Candidates []string     `json:"candidates"`
	// Ambiguity is AmbiguityReason of an ambiguous page.
	Ambiguity string `json:"ambiguity,omitempty"`
	// Entries and Skipped are the page read with the detected selectors,
	// or, on an ambiguous page, with the operator's pick.
	Entries []goldenEntry `json:"entries"`
	Skipped []Skip        `json:"skipped,omitempty"`
}

type goldenEntry struct {
	Title string `json:"title"`
	Link  string `json:"link"`
	Date  string `json:"date,omitempty"`
}

func entriesOf(page *ListPage) []goldenEntry {
	out := make([]goldenEntry, 0, len(page.Feed.Items))
	for _, it := range page.Feed.Items {
		out = append(out, goldenEntry{Title: it.Title, Link: it.Link, Date: it.Published})
	}
	return out
}

func scrapeFixture(t *testing.T, fx listFixture, rules model.Scrape) *ListPage {
	t.Helper()
	page, err := Scrape(context.Background(), nil, fixture(t, filepath.Join("lists", fx.file)), "", fx.pageURL, rules)
	if err != nil {
		t.Fatalf("Scrape(%+v): %v", rules, err)
	}
	return page
}

// TestDetect_Fixtures: on each list page detection proposes the list an
// operator would pick (it reads exactly what scrape.items of that list
// reads), and reads the golden entries with its own selectors; a page of
// several comparable lists is ambiguous and names them; a page without a
// list says so.
func TestDetect_Fixtures(t *testing.T) {
	for _, fx := range listFixtures {
		t.Run(fx.file, func(t *testing.T) {
			det, err := Detect(context.Background(), nil, fixture(t, filepath.Join("lists", fx.file)), "", fx.pageURL, model.Scrape{})
			if fx.noList {
				var pe *ParseError
				if !errors.Is(err, ErrNoList) || !errors.As(err, &pe) || pe.Reason != NoListReason {
					t.Fatalf("err = %v, want %q", err, NoListReason)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if det.Ambiguous != fx.ambiguous {
				t.Errorf("Ambiguous = %v, want %v (%s)", det.Ambiguous, fx.ambiguous, AmbiguityReason(det.Lists))
			}
			got := listGolden{Detected: det.Lists[0].Scrape}
			for _, l := range det.Lists {
				got.Candidates = append(got.Candidates, l.Scrape.Items)
			}
			read := det.Lists[0].Scrape
			if fx.ambiguous {
				got.Ambiguity = AmbiguityReason(det.Lists)
				read = model.Scrape{Items: fx.items}
			}
			page := scrapeFixture(t, fx, read)
			got.Entries, got.Skipped = entriesOf(page), page.Skipped
			if !fx.ambiguous {
				want := entriesOf(scrapeFixture(t, fx, model.Scrape{Items: fx.items}))
				if !sameEntries(t, got.Entries, want) {
					t.Errorf("detected %+v reads\n%+v\nscrape.items %q reads\n%+v", read, got.Entries, fx.items, want)
				}
			}
			compareGolden(t, strings.TrimSuffix(fx.file, ".html")+".golden.json", got)
		})
	}
}

// TestScrape_PartialFixtures: a scrape: block of items alone reads each
// list page's entries exactly as the golden file has them.
func TestScrape_PartialFixtures(t *testing.T) {
	for _, fx := range listFixtures {
		if fx.noList {
			continue
		}
		t.Run(fx.file, func(t *testing.T) {
			want := readGolden(t, strings.TrimSuffix(fx.file, ".html")+".golden.json")
			got := entriesOf(scrapeFixture(t, fx, model.Scrape{Items: fx.items}))
			if !sameEntries(t, got, want.Entries) {
				t.Errorf("scrape.items %q reads\n%+v\nwant\n%+v", fx.items, got, want.Entries)
			}
		})
	}
}

// TestScrape_ExplicitFixtures: the selectors an operator writes read
// every list page, split dates included: the same titles, links and
// dates as the golden file.
func TestScrape_ExplicitFixtures(t *testing.T) {
	for _, fx := range listFixtures {
		if fx.noList {
			continue
		}
		t.Run(fx.file, func(t *testing.T) {
			want := readGolden(t, strings.TrimSuffix(fx.file, ".html")+".golden.json")
			got := entriesOf(scrapeFixture(t, fx, fx.explicit))
			if !sameEntries(t, got, want.Entries) {
				t.Errorf("%+v reads\n%+v\nwant\n%+v", fx.explicit, got, want.Entries)
			}
		})
	}
}

// sameEntries compares titles and links, and dates as the days the
// normalizer reads them (a date selector reads "10 2025-03" where
// detection puts together "2025-03-10"). Every entry must have a date.
func sameEntries(t *testing.T, got, want []goldenEntry) bool {
	t.Helper()
	if len(got) != len(want) {
		return false
	}
	for i := range got {
		g, w := got[i], want[i]
		if g.Title != w.Title || g.Link != w.Link || entryDay(g.Date) != entryDay(w.Date) || entryDay(g.Date) == "" {
			t.Logf("entry %d = %+v (day %q), want %+v (day %q)", i, g, entryDay(g.Date), w, entryDay(w.Date))
			return false
		}
	}
	return true
}

// entryDay is the day the normalizer reads in a date text, in Shanghai,
// fetched on 2025-03-12.
func entryDay(raw string) string {
	shanghai, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		panic(err)
	}
	d, ok := normalize.ParseDateAt(raw, shanghai, time.Date(2025, 3, 12, 2, 0, 0, 0, time.UTC))
	if !ok {
		return ""
	}
	return d.In(shanghai).Format(time.DateOnly)
}

func compareGolden(t *testing.T, name string, got listGolden) {
	t.Helper()
	path := filepath.Join("testdata", "lists", name)
	if updating() {
		b, err := json.MarshalIndent(got, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, append(b, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want := readGolden(t, name)
	if !reflect.DeepEqual(got, want) {
		g, _ := json.MarshalIndent(got, "", "  ")
		t.Errorf("%s differs (rerun with -update after checking):\n%s", name, g)
	}
}

func readGolden(t *testing.T, name string) listGolden {
	t.Helper()
	var g listGolden
	if err := json.Unmarshal(fixture(t, filepath.Join("lists", name)), &g); err != nil {
		t.Fatal(err)
	}
	return g
}

// TestScrape_Detects: rules naming no items read the list detection
// proposes first, with the fields they set kept, and say which rules
// and lists that was; a page of several comparable lists is not guessed
// at: the error names them and carries them.
func TestScrape_Detects(t *testing.T) {
	for _, fx := range listFixtures {
		if fx.noList {
			continue
		}
		t.Run(fx.file, func(t *testing.T) {
			body := fixture(t, filepath.Join("lists", fx.file))
			page, err := Scrape(context.Background(), nil, body, "", fx.pageURL, model.Scrape{Skip: ".never-there"})
			if fx.ambiguous {
				var pe *ParseError
				if !errors.Is(err, ErrAmbiguous) || !errors.As(err, &pe) || len(pe.Lists) < 2 || pe.Reason != AmbiguityReason(pe.Lists) {
					t.Fatalf("err = %v, want the ambiguity with its lists", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			det, err := Detect(context.Background(), nil, body, "", fx.pageURL, model.Scrape{Skip: ".never-there"})
			if err != nil {
				t.Fatal(err)
			}
			if page.Rules != det.Lists[0].Scrape || page.Rules.Skip != ".never-there" || !reflect.DeepEqual(page.Lists, det.Lists) {
				t.Errorf("Rules = %+v, Lists = %d; want %+v and Detect's %d", page.Rules, len(page.Lists), det.Lists[0].Scrape, len(det.Lists))
			}
			want := entriesOf(scrapeFixture(t, fx, det.Lists[0].Scrape))
			if got := entriesOf(page); !reflect.DeepEqual(got, want) {
				t.Errorf("reads\n%+v\nwant\n%+v", got, want)
			}
		})
	}
}
