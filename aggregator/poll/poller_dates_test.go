package poll

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/tributary-rss/tributary/aggregator/fetch"
	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/aggregator/normalize"
	"github.com/tributary-rss/tributary/aggregator/scheduler/plan"
	"github.com/tributary-rss/tributary/aggregator/store"
	"github.com/tributary-rss/tributary/aggregator/store/storetest"
	"github.com/tributary-rss/tributary/aggregator/testkit"
)

// TestPoller_DateIssues polls a feed with an undated item, a labelled date
// (which parses), an unreadable date and one in 2099, then the same feed
// with a new item, then the feed with every date fixed. The undated and
// future items are counted, the unreadable text is kept as the example,
// one warning is logged across the first two polls and one info line
// when the dates are fixed; the items without a usable date keep the
// time they were first seen, so the second poll does not lift them above
// the new item.
func TestPoller_DateIssues(t *testing.T) {
	feeds := []string{"testdata/dates.rss", "testdata/dates_more.rss", "testdata/dates_fixed.rss"}
	bodies := make([][]byte, len(feeds))
	for i, f := range feeds {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		bodies[i] = b
	}
	shanghai, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	// 10:00, 11:00 and 12:00 on 2026-12-01 in Shanghai.
	poll1 := time.Date(2026, 12, 1, 2, 0, 0, 0, time.UTC)
	polls := []struct {
		name         string
		at           time.Time
		wantIssues   model.DateIssues
		wantTitles   []string // the section, newest first
		wantNoDate   []string // titles dated when first seen (poll1)
		wantLogLines []string // date log lines after this poll, all so far
	}{
		{"first poll", poll1,
			model.DateIssues{Undated: 2, Future: 1, Example: "上周五 下午", Last: poll1},
			nil, []string{"没有日期的通知", "无法识别的日期", "来自未来的日期"},
			[]string{`WARN "items without a usable date, dated when first seen" count=3 undated=2 future=1 example="上周五 下午"`}},
		{"a new item, the same issues", poll1.Add(time.Hour),
			model.DateIssues{Undated: 2, Future: 1, Example: "上周五 下午", Last: poll1.Add(time.Hour)},
			[]string{"今天的新通知"}, []string{"没有日期的通知", "无法识别的日期", "来自未来的日期"},
			[]string{`WARN "items without a usable date, dated when first seen" count=3 undated=2 future=1 example="上周五 下午"`}},
		{"dates fixed", poll1.Add(2 * time.Hour),
			model.DateIssues{},
			[]string{"今天的新通知", "没有日期的通知", "带标签的日期", "无法识别的日期", "来自未来的日期"}, nil,
			[]string{`WARN "items without a usable date, dated when first seen" count=3 undated=2 future=1 example="上周五 下午"`,
				`INFO "items dated again" before=3`}},
	}
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			ctx := context.Background()
			var served atomic.Int32
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				n := min(int(served.Add(1))-1, len(bodies)-1)
				_, _ = w.Write(bodies[n])
			}))
			t.Cleanup(srv.Close)
			st := store.New(b.Start(t), "", slog.New(slog.DiscardHandler))
			var logs testkit.LogBuffer
			p := New(st, fetch.New(fetch.Options{Timeout: 5 * time.Second}), normalize.New(normalize.Options{}),
				[]model.Section{{ID: "news", MaxItems: 20}}, slog.New(slog.NewTextHandler(&logs, nil)))
			src := model.Source{ID: "s1", URL: srv.URL + "/feed", Location: shanghai, SectionIDs: []string{"news"}}
			for _, poll := range polls {
				p.Now = func() time.Time { return poll.at }
				if res := p.Poll(ctx, src, plan.Plan{Schedule: cron.Every(time.Hour)}); res.Err != nil || res.SameBody {
					t.Fatalf("%s: err %v, same body %v", poll.name, res.Err, res.SameBody)
				}
				statuses, err := st.SourceStatuses(ctx, []model.Source{src})
				if err != nil {
					t.Fatal(err)
				}
				assertDateIssues(t, poll.name, statuses[0].DateIssues, poll.wantIssues)
				entries, err := st.SectionEntries(ctx, "news", 0)
				if err != nil {
					t.Fatal(err)
				}
				checkDated(t, poll.name, entries, poll.wantTitles, poll.wantNoDate, poll1)
				if got := dateLogLines(logs.String()); !slices.Equal(got, poll.wantLogLines) {
					t.Errorf("%s: date log lines\n%q\nwant\n%q\nfull log:\n%s", poll.name, got, poll.wantLogLines, logs.String())
				}
			}
		})
	}
}

func assertDateIssues(t *testing.T, what string, got, want model.DateIssues) {
	t.Helper()
	if got.Undated != want.Undated || got.Future != want.Future || got.Example != want.Example || !got.Last.Equal(want.Last) {
		t.Errorf("%s: date issues %+v, want %+v", what, got, want)
	}
}

// checkDated checks the section's newest titles (a prefix of it, in
// order) and that the entries without a usable date are the given ones,
// all dated when first seen.
func checkDated(t *testing.T, what string, entries []model.Entry, newest, noDate []string, firstSeen time.Time) {
	t.Helper()
	var titles, undated []string
	for _, e := range entries {
		titles = append(titles, e.Title)
		if e.NoDate {
			undated = append(undated, e.Title)
			if !e.Published.Equal(firstSeen) || !e.FirstSeen.Equal(firstSeen) {
				t.Errorf("%s: %s published %v, first seen %v; want both %v", what, e.Title, e.Published, e.FirstSeen, firstSeen)
			}
		}
	}
	if len(titles) < len(newest) || !slices.Equal(titles[:len(newest)], newest) {
		t.Errorf("%s: section %q, want it to start with %q", what, titles, newest)
	}
	slices.Sort(undated)
	noDate = slices.Sorted(slices.Values(noDate))
	if !slices.Equal(undated, noDate) {
		t.Errorf("%s: undated entries %q, want %q", what, undated, noDate)
	}
	if len(entries) != 5 && len(entries) != 4 {
		t.Errorf("%s: section holds %d entries", what, len(entries))
	}
}

var dateLogLine = regexp.MustCompile(`level=(\w+) msg=("items[^"]*") .*?((?:count|before)=.*)$`)

// dateLogLines are the date lines of a text log, as level, message and
// the fields after the source's.
func dateLogLines(log string) []string {
	var out []string
	for _, line := range strings.Split(log, "\n") {
		if m := dateLogLine.FindStringSubmatch(line); m != nil {
			out = append(out, m[1]+" "+m[2]+" "+m[3])
		}
	}
	return out
}

func TestSummarizeDates(t *testing.T) {
	at := time.Date(2026, 12, 1, 2, 0, 0, 0, time.UTC)
	missing := normalize.DateNote{Problem: normalize.DateMissing}
	ok := normalize.DateNote{}
	unparsed := func(raw string) normalize.DateNote {
		return normalize.DateNote{Problem: normalize.DateUnparsed, Raw: raw}
	}
	future := func(raw string) normalize.DateNote {
		return normalize.DateNote{Problem: normalize.DateClamped, Raw: raw}
	}
	tests := []struct {
		name  string
		notes []normalize.DateNote
		want  model.DateIssues
	}{
		{"none", nil, model.DateIssues{}},
		{"all dated", []normalize.DateNote{ok, ok}, model.DateIssues{}},
		{"missing only: no example", []normalize.DateNote{ok, missing, missing}, model.DateIssues{Undated: 2, Last: at}},
		{"first unreadable text is the example", []normalize.DateNote{missing, unparsed("昨天"), unparsed("前天")},
			model.DateIssues{Undated: 3, Example: "昨天", Last: at}},
		{"unreadable text before future text", []normalize.DateNote{future("2099-01-01"), unparsed("昨天")},
			model.DateIssues{Undated: 1, Future: 1, Example: "昨天", Last: at}},
		{"future text when nothing is unreadable", []normalize.DateNote{missing, future("2099-01-01"), future("2098-01-01")},
			model.DateIssues{Undated: 1, Future: 2, Example: "2099-01-01", Last: at}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := summarizeDates(tt.notes, at); got != tt.want {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}
