package parse

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/andybalholm/cascadia"

	"github.com/tributary-rss/tributary/aggregator/charset"
	"github.com/tributary-rss/tributary/aggregator/model"
)

// listPage is a list page of n items, each an <li> holding a link
// ("/n/<i>", "item <i>"), in a page with a head and a little chrome.
func listPage(n int) []byte {
	var b strings.Builder
	b.WriteString("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>通知公告</title></head><body><div class=\"nav\"><a href=\"/\">首页</a></div><ul class=\"list\">\n")
	for i := range n {
		fmt.Fprintf(&b, "<li><a href=\"/n/%d\">item %d</a></li>\n", i, i)
	}
	b.WriteString("</ul><div class=\"footer\">版权所有</div></body></html>")
	return []byte(b.String())
}

// bareList is n items that are only <li>text</li>, one element each.
func bareList(n int) []byte {
	return []byte("<!DOCTYPE html><html><body><ul>" + strings.Repeat("<li>x</li>", n) + "</ul></body></html>")
}

func TestCutElements(t *testing.T) {
	page := listPage(100) // 8 elements before the list, 2 per item, 1 after
	tests := []struct {
		name    string
		body    []byte
		limit   int
		wantCut bool
	}{
		{"under the limit", page, 1000, false},
		{"exactly the limit", page, 8 + 200 + 1, false},
		{"one over the limit", page, 8 + 200, true},
		{"over the limit", page, 50, true},
		{"comments count", []byte("<p>" + strings.Repeat("<!--c-->", 100) + "</p>"), 10, true},
		{"script text is no element", []byte("<script>" + strings.Repeat("<b>", 100) + "</script><p>x</p>"), 3, false},
		{"not HTML at all", []byte("plain text < and > signs"), 1, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, cut := cutElements(tt.body, tt.limit)
			if cut != tt.wantCut {
				t.Fatalf("cut = %v, want %v", cut, tt.wantCut)
			}
			if !cut {
				if len(got) != len(tt.body) {
					t.Errorf("kept %d of %d bytes, want all", len(got), len(tt.body))
				}
				return
			}
			if !bytes.HasPrefix(tt.body, got) || tt.body[len(got)] != '<' {
				t.Fatalf("cut at byte %d, which does not start a tag: %q", len(got), tt.body[len(got):min(len(tt.body), len(got)+20)])
			}
			if n := countTokens(got); n != tt.limit {
				t.Errorf("kept %d elements and comments, want %d", n, tt.limit)
			}
		})
	}
}

// countTokens counts what cutElements counts, another way: parsing the
// fragments of cutting at each tag would be too slow, so it counts "<"
// that open a tag or comment (the fixtures above have no "<" in text).
func countTokens(b []byte) int {
	n := 0
	for i := 0; i < len(b)-1; i++ {
		if b[i] == '<' && b[i+1] != '/' && b[i+1] != '!' || bytes.HasPrefix(b[i:], []byte("<!--")) {
			n++
		}
	}
	return n
}

// A list page over the element bound is cut, not refused: its first items
// are read, in order, and the cut is reported.
func TestScrape_cutPage(t *testing.T) {
	rules := model.Scrape{Items: "ul.list > li"}
	tests := []struct {
		name      string
		items     int
		limit     int
		wantItems int
		wantCut   int
	}{
		{"under the bound", 100, 1000, 100, 0},
		// 8 elements of chrome (the doctype is none), then 2 per item.
		{"over the bound", 3000, 1000, 496, 1000},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lim := NewLimiter(1)
			lim.MaxElements = tt.limit
			page, err := Scrape(context.Background(), lim, listPage(tt.items), "text/html", "http://example.cn/list.htm", rules)
			if err != nil {
				t.Fatal(err)
			}
			if len(page.Feed.Items) != tt.wantItems || page.CutAt != tt.wantCut {
				t.Fatalf("%d items, CutAt %d; want %d, %d", len(page.Feed.Items), page.CutAt, tt.wantItems, tt.wantCut)
			}
			for i, it := range page.Feed.Items {
				if want := fmt.Sprintf("item %d", i); it.Title != want {
					t.Fatalf("item %d is %q, want %q", i, it.Title, want)
				}
			}
		})
	}
}

// The default bound lets a page of the pathological test below through
// whole, and is what the docs say.
func TestLimiter_defaults(t *testing.T) {
	var nilLim *Limiter
	for _, l := range []*Limiter{nilLim, NewLimiter(0), {}} {
		if l.maxElements() != 100_000 || l.selectorTimeout() != 5*time.Second {
			t.Errorf("%+v: maxElements %d, selectorTimeout %v", l, l.maxElements(), l.selectorTimeout())
		}
	}
	if got := cap(NewLimiter(0).slots); got != DefaultConcurrency || DefaultConcurrency != 2 {
		t.Errorf("slots = %d, want DefaultConcurrency (2)", got)
	}
}

// pathological is quadratic in the items inside cascadia: each <li> looks
// at every sibling before it, each of which counts the siblings after it.
// On 60,000 items it takes the CPU for about 15 s.
const pathological = "li:nth-last-child(n+1) ~ li"

// A pathological selector stops at the limiter's deadline, or when the
// caller's context ends, with an error that says which selector and why.
func TestScrape_selectorStopped(t *testing.T) {
	page := bareList(60_000)
	tests := []struct {
		name string
		// ctx returns the caller's context for the test.
		ctx       func(t *testing.T) context.Context
		timeout   time.Duration
		wantMsg   string
		wantCause error
	}{
		{
			name:      "deadline",
			ctx:       func(*testing.T) context.Context { return context.Background() },
			timeout:   100 * time.Millisecond,
			wantMsg:   "scrape.items: selector evaluation stopped after 100ms (too slow for this page)",
			wantCause: context.DeadlineExceeded,
		},
		{
			name: "cancelled",
			ctx: func(t *testing.T) context.Context {
				ctx, cancel := context.WithCancel(context.Background())
				// Whether this lands during the parse or during the
				// evaluation, the evaluation is what stops.
				stop := time.AfterFunc(200*time.Millisecond, cancel)
				t.Cleanup(func() { stop.Stop(); cancel() })
				return ctx
			},
			timeout:   time.Hour,
			wantMsg:   "scrape.items: selector evaluation cancelled",
			wantCause: context.Canceled,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lim := NewLimiter(1)
			lim.SelectorTimeout = tt.timeout
			_, err := Scrape(tt.ctx(t), lim, page, "text/html", "http://example.cn/", model.Scrape{Items: pathological})
			var pe *ParseError
			if !errors.As(err, &pe) || pe.Reason != tt.wantMsg {
				t.Fatalf("err = %v, want a ParseError %q", err, tt.wantMsg)
			}
			if !errors.Is(err, ErrSelectorStopped) || !errors.Is(err, tt.wantCause) {
				t.Errorf("err = %v, want it to wrap ErrSelectorStopped and %v", err, tt.wantCause)
			}
		})
	}
}

// content.selector and content.remove stop the same way.
func TestArticle_selectorStopped(t *testing.T) {
	page := bareList(60_000)
	tests := []struct {
		name    string
		rules   model.Content
		wantMsg string
	}{
		{"selector", model.Content{Selector: pathological}, "content.selector: selector evaluation stopped after 100ms (too slow for this page)"},
		{"remove", model.Content{Remove: []string{"", pathological, ".ad"}}, "content.remove[1]: selector evaluation stopped after 100ms (too slow for this page)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lim := NewLimiter(1)
			lim.SelectorTimeout = 100 * time.Millisecond
			_, err := Article(context.Background(), lim, page, "text/html", "http://example.cn/", tt.rules)
			var pe *ParseError
			if !errors.As(err, &pe) || pe.Reason != tt.wantMsg || !errors.Is(err, ErrSelectorStopped) {
				t.Fatalf("err = %v, want a ParseError %q", err, tt.wantMsg)
			}
		})
	}
}

// The guarded matcher finds exactly what cascadia finds, through every
// goquery call Scrape and Article make.
func TestGuardedMatcher_sameAsCascadia(t *testing.T) {
	selectors := []string{"li", "ul.list > li", "a", "li a[href]", "li:nth-child(2n)", "li ~ li", "li + li", "div, li",
		":not(li)", "*", "li:has(a)", "title", "ul li:first-child a"}
	doc, err := goquery.NewDocumentFromReader(bytesReader(listPage(20)))
	if err != nil {
		t.Fatal(err)
	}
	ev, cancel := NewLimiter(1).evaluate(context.Background())
	defer cancel()
	items := doc.Find("li")
	for _, sel := range selectors {
		plain := cascadia.MustCompile(sel)
		guarded := ev.guard("test", plain)
		checks := []struct {
			name      string
			got, want *goquery.Selection
		}{
			{"Find", doc.FindMatcher(guarded), doc.FindMatcher(plain)},
			{"Find in items", items.FindMatcher(guarded), items.FindMatcher(plain)},
			{"Filter", items.FilterMatcher(guarded), items.FilterMatcher(plain)},
			{"Not", items.NotMatcher(guarded), items.NotMatcher(plain)},
		}
		for _, c := range checks {
			if !sameNodes(c.got, c.want) {
				t.Errorf("%s %q: %d nodes, cascadia %d", c.name, sel, c.got.Length(), c.want.Length())
			}
		}
		if items.IsMatcher(guarded) != items.IsMatcher(plain) {
			t.Errorf("Is %q differs", sel)
		}
	}
}

func sameNodes(a, b *goquery.Selection) bool {
	if a.Length() != b.Length() {
		return false
	}
	for i := range a.Nodes {
		if a.Nodes[i] != b.Nodes[i] {
			return false
		}
	}
	return true
}

// At most the limiter's slots of parses run at once: another waits, with
// its caller's context, until one ends.
func TestLimiter_concurrency(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		lim := NewLimiter(2)
		var releases []func()
		for range 2 {
			release, err := lim.acquire(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			releases = append(releases, release)
		}
		done := make(chan error, 1)
		go func() {
			_, err := Scrape(context.Background(), lim, listPage(3), "", "http://example.cn/", model.Scrape{Items: "li"})
			done <- err
		}()
		synctest.Wait()
		select {
		case err := <-done:
			t.Fatalf("a third parse ran while two held the slots (err %v)", err)
		default:
		}
		releases[0]()
		synctest.Wait()
		err := <-done
		if err != nil {
			t.Fatalf("after a slot was freed: %v", err)
		}

		// Both slots held again: a parse waiting for one ends with its
		// caller's context.
		if releases[0], err = lim.acquire(context.Background()); err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		go func() {
			_, err := Article(ctx, lim, listPage(3), "", "http://example.cn/", model.Content{})
			done <- err
		}()
		synctest.Wait()
		cancel()
		if err := <-done; !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v, want context.Canceled while waiting for a slot", err)
		}
		releases[0]()
		releases[1]()
	})
}

// A page that is valid UTF-8 already is not copied again on its way to
// the parser.
func TestDecodeHTML_noCopy(t *testing.T) {
	body := []byte("\xef\xbb\xbf<html><title>通知</title></html>")
	out, cs := charset.DecodeHTML(body, "text/html")
	if cs != "utf-8" || &out[0] != &body[3] {
		t.Errorf("charset %q, copied: %v", cs, &out[0] != &body[3])
	}
}

// FuzzCutElements: whatever the page, the cut keeps a prefix of it and
// ends where a tag or comment starts.
func FuzzCutElements(f *testing.F) {
	f.Add([]byte("<ul><li>a</li><!--c--><li>b</li></ul>"), 2)
	f.Add([]byte("<script>if (a<b) {}</script><p>x<p>y"), 1)
	f.Add(listPage(3), 4)
	f.Fuzz(func(t *testing.T, page []byte, limit int) {
		limit = 1 + abs(limit)%64
		got, cut := cutElements(page, limit)
		if !bytes.HasPrefix(page, got) {
			t.Fatal("not a prefix")
		}
		if cut && (len(got) == len(page) || page[len(got)] != '<') {
			t.Fatalf("cut at %d, not at a tag", len(got))
		}
	})
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}
