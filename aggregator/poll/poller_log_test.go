package poll

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tributary-rss/tributary/aggregator/fetch"
	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/aggregator/normalize"
	"github.com/tributary-rss/tributary/aggregator/poll/polltest"
	"github.com/tributary-rss/tributary/aggregator/scheduler/plan/plantest"
	"github.com/tributary-rss/tributary/aggregator/testkit"
)

// Every failed poll logs one warn line with the reason and the count in a
// row, a recovery one info line, and every poll a debug line: what the
// issue promises operators who grep the log.
func TestPoller_logLines(t *testing.T) {
	var failing atomic.Bool
	failing.Store(true)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		if failing.Load() {
			http.Error(w, "down", http.StatusServiceUnavailable)
			return
		}
		_, _ = w.Write([]byte(polltest.FeedRSS))
	}))
	t.Cleanup(srv.Close)
	var logs testkit.LogBuffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	p := New(polltest.NewMemStore(), fetch.New(fetch.Options{Timeout: 5 * time.Second}), normalize.New(normalize.Options{}),
		[]model.Section{{ID: "news", MaxItems: 10}}, logger)
	p.Now = func() time.Time { return plantest.Now }
	src := model.Source{ID: "s1", URL: srv.URL + "/feed", Schedule: "@every 15m", Location: time.UTC, SectionIDs: []string{"news"}}
	for range 12 {
		p.Poll(context.Background(), src, plantest.QuarterHourly())
	}
	failing.Store(false)
	p.Poll(context.Background(), src, plantest.QuarterHourly())

	line := regexp.MustCompile(`level=(\w+) msg=(?:"([^"]*)"|(\S+)).*?(?:errors_in_row=(\d+)|after_errors=(\d+)|status=(\d+))`)
	var got []string
	for _, m := range line.FindAllStringSubmatch(logs.String(), -1) {
		got = append(got, m[1]+" "+m[2]+m[3]+" "+m[4]+m[5]+m[6])
	}
	var want []string
	for i := 1; i <= 12; i++ {
		want = append(want, "WARN poll failed "+strconv.Itoa(i))
	}
	want = append(want, "INFO source recovered 12", "DEBUG polled 200")
	if !slices.Equal(got, want) {
		t.Errorf("log lines:\n%q\nwant:\n%q\nfull log:\n%s", got, want, logs.String())
	}
}
