package publish

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/tributary-rss/tributary/aggregator/model"
)

// sectionFixture is a section of n entries, newest first, one a minute:
// even ones from s1, odd ones from cfg. Every tenth has a Chinese title
// with a full-width "ＡＩ", the others count.
func sectionFixture(n int) []model.Entry {
	out := make([]model.Entry, n)
	for i := range out {
		e := model.Entry{ID: fmt.Sprintf("%016x", i+1), SourceID: "s1", SourceTitle: "Alpha",
			Title: fmt.Sprintf("Entry %03d", i), Link: fmt.Sprintf("https://alpha.example/%d", i),
			Published: consoleNow.Add(-time.Duration(i+1) * time.Minute)}
		if i%2 == 1 {
			e.SourceID, e.SourceTitle = "cfg", "Beta"
		}
		if i%10 == 0 {
			e.Title = fmt.Sprintf("示范学校开展ＡＩ教育周活动（第%d期）", i)
		}
		out[i] = e
	}
	return out
}

// newSectionEnv is the console over a section of n entries.
func newSectionEnv(t *testing.T, n int) (*consoleEnv, *browserish) {
	t.Helper()
	env := newConsoleEnv(t, testBaseURL, nil)
	setSectionEntries(env, sectionFixture(n))
	b := env.client(t)
	b.mustSignIn()
	return env, b
}

// sectionReader is the fake reader under env's server.
func sectionReader(env *consoleEnv) *fakeReader {
	return env.s.reader.(publicReader).EntryReader.(*fakeReader)
}

func setSectionEntries(env *consoleEnv, entries []model.Entry) {
	fr := sectionReader(env)
	fr.mu.Lock()
	fr.entries["news"] = entries
	fr.mu.Unlock()
}

var (
	entryIDRe = regexp.MustCompile(`<li class="entry" id="entry-([0-9a-f]+)">`)
	nextRe    = regexp.MustCompile(`<a href="([^"]+)" rel="next">`)
)

// listed are the ids of the entries a section page lists, and the path
// of its next page ("" for none).
func listed(body string) (ids []string, next string) {
	for _, m := range entryIDRe.FindAllStringSubmatch(body, -1) {
		ids = append(ids, m[1])
	}
	if m := nextRe.FindStringSubmatch(body); m != nil {
		next = html.UnescapeString(m[1])
	}
	return ids, next
}

func idOf(i int) string { return fmt.Sprintf("%016x", i+1) }

// TestConsole_sectionFilter searches titles (CJK substrings, case and
// width folded), filters by source and pages past 50, following the
// page's own links; each page lists what the filter admits, in order,
// and nothing twice.
func TestConsole_sectionFilter(t *testing.T) {
	_, b := newSectionEnv(t, 130)
	fixture := sectionFixture(130)
	tests := []struct {
		name  string
		query string
		want  func(e model.Entry) bool
		pages int
	}{
		{"everything, 50 a page", "", func(model.Entry) bool { return true }, 3},
		{"a source", "source=cfg", func(e model.Entry) bool { return e.SourceID == "cfg" }, 2},
		{"a CJK substring", "q=" + url.QueryEscape("教育周"), func(e model.Entry) bool { return strings.Contains(e.Title, "教育周") }, 1},
		{"ascii finds full-width, any case", "q=ai", func(e model.Entry) bool { return strings.Contains(e.Title, "ＡＩ") }, 1},
		{"case folded", "q=ENTRY", func(e model.Entry) bool { return strings.HasPrefix(e.Title, "Entry") }, 3},
		{"search and source", "q=entry&source=s1", func(e model.Entry) bool { return e.SourceID == "s1" && strings.HasPrefix(e.Title, "Entry") }, 2},
		{"no match", "q=" + url.QueryEscape("不存在的词"), func(model.Entry) bool { return false }, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var want, got []string
			for i, e := range fixture {
				if tt.want(e) {
					want = append(want, idOf(i))
				}
			}
			path, pages := "/admin/sections/news?"+tt.query, 0
			for path != "" {
				if pages++; pages > 10 {
					t.Fatal("more than 10 pages")
				}
				resp, body := b.get(path)
				if resp.StatusCode != http.StatusOK {
					t.Fatalf("GET %s: %d\n%s", path, resp.StatusCode, body)
				}
				ids, next := listed(body)
				if len(ids) > consoleEntries {
					t.Errorf("%s lists %d entries", path, len(ids))
				}
				if len(ids) == 0 && !strings.Contains(body, "没有符合条件的条目") && tt.query != "" {
					t.Errorf("%s: empty without saying so", path)
				}
				got = append(got, ids...)
				path = next
			}
			if strings.Join(got, ",") != strings.Join(want, ",") {
				t.Errorf("listed %d entries %v\nwant %d %v", len(got), got, len(want), want)
			}
			if pages != tt.pages {
				t.Errorf("%d pages, want %d", pages, tt.pages)
			}
		})
	}
}

// TestConsole_sectionFilterRefusals: a value the page cannot take is
// left out with a message saying which and why (400), and the rest of
// the page still shows.
func TestConsole_sectionFilterRefusals(t *testing.T) {
	_, b := newSectionEnv(t, 60)
	tests := []struct {
		name, query, msg string
		first            string // the first entry listed
	}{
		{"query too long", "q=" + url.QueryEscape(strings.Repeat("长", 101)), "搜索词最多 100 个字，您输入了 101 个字", idOf(0)},
		{"query with control characters", "q=a%00b", "搜索词含有无法识别的字符", idOf(0)},
		{"query not UTF-8", "q=%ff%fe", "搜索词含有无法识别的字符", idOf(0)},
		{"source not in the section", "source=other", "本栏目没有来源“other”", idOf(0)},
		{"cursor not ours", "before=" + url.QueryEscape("not a cursor"), "翻页位置无效或已过期", idOf(0)},
		{"cursor of an entry gone", "before=" + encodeCursor(model.Cursor{Score: 12345, ID: "abcdef"}), "翻页位置无效或已过期", idOf(0)},
		{"source kept when the query is refused", "source=cfg&q=" + url.QueryEscape(strings.Repeat("x", 200)), "搜索词最多 100 个字", idOf(1)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := b.get("/admin/sections/news?lang=zh&" + tt.query)
			if resp.StatusCode != http.StatusBadRequest {
				t.Errorf("status %d, want 400", resp.StatusCode)
			}
			if !strings.Contains(body, tt.msg) {
				t.Errorf("page lacks %q", tt.msg)
			}
			if ids, _ := listed(body); len(ids) == 0 || ids[0] != tt.first {
				t.Errorf("lists %v, want it to start at %s", ids, tt.first)
			}
		})
	}
}

// TestConsole_sectionSearchBounded: a search reads at most searchScan
// entries a request, says so, and its link goes on where it stopped
// until the section ends, finding every match once.
func TestConsole_sectionSearchBounded(t *testing.T) {
	env, b := newSectionEnv(t, 0)
	fr := sectionReader(env)
	n := 2*searchScan + 10
	entries := make([]model.Entry, n)
	var want []string
	for i := range entries {
		entries[i] = model.Entry{ID: idOf(i), SourceID: "s1", Title: fmt.Sprintf("条目 %d", i), Published: consoleNow.Add(-time.Duration(i+1) * time.Second)}
		if i == 5 || i == searchScan+5 || i == n-1 {
			entries[i].Title = "关于招生的通知"
			want = append(want, idOf(i))
		}
	}
	setSectionEntries(env, entries)
	var got []string
	path, notes := "/admin/sections/news?q="+url.QueryEscape("招生"), 0
	for path != "" {
		before := fr.entriesCalls.Load()
		resp, body := b.get(path)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d", path, resp.StatusCode)
		}
		if reads := fr.entriesCalls.Load() - before; reads > int64(searchScan/searchBatch) {
			t.Errorf("%s: %d reads of the section, want at most %d", path, reads, searchScan/searchBatch)
		}
		if strings.Contains(body, fmt.Sprintf("已查找 %d 条，尚未找完", searchScan)) {
			notes++
		}
		ids, next := listed(body)
		got = append(got, ids...)
		path = next
	}
	if strings.Join(got, ",") != strings.Join(want, ",") || notes != 2 {
		t.Errorf("found %v with %d notes, want %v with 2", got, notes, want)
	}
}

// TestConsole_sectionActions: each entry has one row of actions, the pin
// with an expiry folded under 置顶至…; an action comes back to the page it
// was sent from, its filter and position kept.
func TestConsole_sectionActions(t *testing.T) {
	env, b := newSectionEnv(t, 60)
	env.admin.mod = model.SectionModeration{Pinned: []model.ModeratedEntry{{Entry: model.Entry{ID: idOf(1), Title: "Entry 001"}, At: consoleNow}}}
	_, body := b.get("/admin/sections/news?lang=zh&source=cfg")
	csrf := csrfOf(t, body)
	for _, want := range []string{
		`<details class="pin-until">`, "<summary>置顶至…</summary>", `type="datetime-local"`, `name="until" value="1d"`,
		`<span class="tag pinned-tag">已置顶</span>`, `<input type="hidden" name="back" value="source=cfg">`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %s", want)
		}
	}
	// The date field is only inside the disclosure.
	if i, j := strings.Index(body, `type="datetime-local"`), strings.Index(body, `<details class="pin-until">`); i < j {
		t.Error("a date field outside the pin's disclosure")
	}
	tests := []struct {
		name, action string
		form         url.Values
		location     string
		until        time.Duration
	}{
		{"pin with no expiry", "pin", url.Values{"back": {"source=cfg"}}, "/admin/sections/news?source=cfg", 0},
		{"pin for a day", "pin", url.Values{"until": {"1d"}, "back": {"q=entry&before=" + encodeCursor(model.Cursor{Score: 1, ID: "ab"})}},
			"/admin/sections/news?before=" + encodeCursor(model.Cursor{Score: 1, ID: "ab"}) + "&q=entry", 24 * time.Hour},
		{"pin at a time", "pin", url.Values{"until": {"at"}, "at": {"2026-11-20T18:00"}}, "/admin/sections/news", 3*24*time.Hour + 2*time.Hour},
		{"hide, foreign parameters dropped", "hide", url.Values{"back": {"source=s1&evil=1"}}, "/admin/sections/news?source=s1", 0},
		{"unpin, a back not a query", "unpin", url.Values{"back": {"%zz"}}, "/admin/sections/news", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.form.Set("csrf", csrf)
			resp, _ := b.do("POST", "/admin/sections/news/entries/"+idOf(3)+"/"+tt.action, tt.form)
			if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != tt.location {
				t.Fatalf("%d Location %q, want %q", resp.StatusCode, resp.Header.Get("Location"), tt.location)
			}
			env.admin.mu.Lock()
			req := env.admin.modReq[len(env.admin.modReq)-1]
			env.admin.mu.Unlock()
			if req.Action != tt.action || req.EntryID != idOf(3) {
				t.Errorf("moderated %+v", req)
			}
			if got := req.Until.Sub(consoleNow); tt.until == 0 && !req.Until.IsZero() || tt.until != 0 && got != tt.until {
				t.Errorf("until %v (%v from now), want %v", req.Until, got, tt.until)
			}
		})
	}
}

// titledAdmin is the console's fake Admin that also names entries, as
// the registry does.
type titledAdmin struct {
	*consoleAdmin
	titles map[string]string
}

func (a titledAdmin) EntryTitle(_ context.Context, id string) (string, error) {
	return a.titles[id], nil
}

var _ EntryTitler = titledAdmin{}
