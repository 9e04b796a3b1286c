package store_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/aggregator/store"
)

// TestKeys_SourcePolls pins the poll history's key.
func TestKeys_SourcePolls(t *testing.T) {
	tests := []struct{ prefix, want string }{
		{store.DefaultPrefix, "trib:source:s1:polls"},
		{"tx:", "tx:source:s1:polls"},
	}
	for _, tt := range tests {
		if got := (store.Keys{Prefix: tt.prefix}).SourcePolls("s1"); got != tt.want {
			t.Errorf("SourcePolls = %q, want %q", got, tt.want)
		}
	}
}

// TestStore_SavePoll: every poll lands in the source's history with its
// state; the history keeps the newest PollHistoryLen, newest first, and
// reads back within a limit.
func TestStore_SavePoll(t *testing.T) {
	forEachBackend(t, func(t *testing.T, st *store.Store, _ *recorder) {
		ctx := context.Background()
		base := time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)
		const polls = store.PollHistoryLen + 7
		prev := model.SourceState{}
		for i := range polls {
			next := model.SourceState{URL: "u", LastAttempt: base.Add(time.Duration(i) * time.Minute), LastStatus: 200}
			rec := model.PollRecord{Time: next.LastAttempt, Duration: time.Duration(i) * time.Millisecond, Result: "ok", Status: 200, New: i}
			if i%2 == 1 {
				next.ErrorsInRow, next.LastError, next.LastStatus = 1, "HTTP 500", 500
				rec = model.PollRecord{Time: next.LastAttempt, Result: "error", Status: 500, Error: fmt.Sprintf("HTTP 500 #%d", i)}
			}
			if err := st.SavePoll(ctx, "s1", prev, next, rec); err != nil {
				t.Fatal(err)
			}
			prev = next
		}
		state, err := st.SourceState(ctx, "s1")
		if err != nil {
			t.Fatal(err)
		}
		if !state.LastAttempt.Equal(prev.LastAttempt) || state.ErrorsInRow != prev.ErrorsInRow {
			t.Errorf("state = %+v, want the last poll's %+v", state, prev)
		}
		counts, err := st.SourceStateCounts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if counts[model.StateOK] != 1 || counts[model.StateFailing] != 0 {
			t.Errorf("state counts = %v, want one ok source (the last poll succeeded)", counts)
		}
		tests := []struct {
			name  string
			limit int
			want  int
		}{
			{"all", 0, store.PollHistoryLen},
			{"beyond the cap", 500, store.PollHistoryLen},
			{"limit", 5, 5},
		}
		for _, tt := range tests {
			got, err := st.PollHistory(ctx, "s1", tt.limit)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != tt.want {
				t.Fatalf("%s: %d records, want %d", tt.name, len(got), tt.want)
			}
			for j, rec := range got {
				i := polls - 1 - j // newest first
				if want := base.Add(time.Duration(i) * time.Minute); !rec.Time.Equal(want) {
					t.Fatalf("%s: record %d at %v, want poll %d at %v", tt.name, j, rec.Time, i, want)
				}
				if i%2 == 1 && (rec.Result != "error" || rec.Error != fmt.Sprintf("HTTP 500 #%d", i) || rec.Status != 500) {
					t.Errorf("%s: record %d = %+v, want poll %d's error", tt.name, j, rec, i)
				}
				if i%2 == 0 && (rec.Result != "ok" || rec.New != i || rec.Duration != time.Duration(i)*time.Millisecond) {
					t.Errorf("%s: record %d = %+v, want poll %d's success", tt.name, j, rec, i)
				}
			}
		}
		none, err := st.PollHistory(ctx, "never-polled", 0)
		if err != nil || len(none) != 0 {
			t.Errorf("history of a source never polled = %v, %v; want none", none, err)
		}
	})
}

// TestStore_SavePollLongError: a long error is cut at a character
// boundary, so one source's history stays small.
func TestStore_SavePollLongError(t *testing.T) {
	forEachBackend(t, func(t *testing.T, st *store.Store, _ *recorder) {
		ctx := context.Background()
		long := strings.Repeat("错", 1000) // 3000 bytes
		rec := model.PollRecord{Time: time.Now(), Result: "error", Error: long}
		if err := st.SavePoll(ctx, "s1", model.SourceState{}, model.SourceState{URL: "u", ErrorsInRow: 1}, rec); err != nil {
			t.Fatal(err)
		}
		got, err := st.PollHistory(ctx, "s1", 1)
		if err != nil || len(got) != 1 {
			t.Fatalf("history = %v, %v", got, err)
		}
		if e := got[0].Error; len(e) > 600 || !strings.HasPrefix(long, strings.TrimSuffix(e, "…")) || !strings.HasSuffix(e, "…") {
			t.Errorf("error kept as %d bytes %q…, want it cut whole characters short", len(e), e[:min(len(e), 30)])
		}
	})
}

// TestStore_SourcesHealth reads the two fields alerting needs for many
// sources at once, in order, sources without a state included.
func TestStore_SourcesHealth(t *testing.T) {
	forEachBackend(t, func(t *testing.T, st *store.Store, _ *recorder) {
		ctx := context.Background()
		ok := time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)
		states := map[string]model.SourceState{
			"a": {URL: "a", LastAttempt: ok, LastSuccess: ok},
			"b": {URL: "b", LastAttempt: ok.Add(time.Hour), LastSuccess: ok, ErrorsInRow: 4},
		}
		for id, s := range states {
			if err := st.SaveSourceState(ctx, id, s); err != nil {
				t.Fatal(err)
			}
		}
		got, err := st.SourcesHealth(ctx, []string{"b", "never", "a"})
		if err != nil {
			t.Fatal(err)
		}
		want := []model.SourceHealth{{LastSuccess: ok, ErrorsInRow: 4}, {}, {LastSuccess: ok}}
		if len(got) != len(want) {
			t.Fatalf("got %d, want %d", len(got), len(want))
		}
		for i := range want {
			if !got[i].LastSuccess.Equal(want[i].LastSuccess) || got[i].ErrorsInRow != want[i].ErrorsInRow {
				t.Errorf("%d: %+v, want %+v", i, got[i], want[i])
			}
		}
		if empty, err := st.SourcesHealth(ctx, nil); err != nil || len(empty) != 0 {
			t.Errorf("no ids: %v, %v", empty, err)
		}
	})
}
