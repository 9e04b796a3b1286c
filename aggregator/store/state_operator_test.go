package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/aggregator/store"
)

// An operator pauses or re-enables a source while a poll of it runs: the
// poll's state write, made from the state it read before, keeps the
// operator's change, whichever way the poll saves (with the freshness
// decision, with a history line, or plain). A 410 still marks it gone.
func TestStore_pollKeepsOperatorFlags(t *testing.T) {
	now := time.Date(2026, 12, 8, 9, 0, 0, 0, time.UTC)
	saves := map[string]func(st *store.Store, id string, prev, next model.SourceState) error{
		"SavePollFreshness": func(st *store.Store, id string, prev, next model.SourceState) error {
			_, err := st.SavePollFreshness(context.Background(), id, prev, next, model.PollRecord{Time: now},
				model.FreshnessCheck{Now: now, StaleAfter: 14 * 24 * time.Hour, Succeeded: next.LastError == ""})
			return err
		},
		"SavePoll": func(st *store.Store, id string, prev, next model.SourceState) error {
			return st.SavePoll(context.Background(), id, prev, next, model.PollRecord{Time: now})
		},
		"SaveSourceTransition": func(st *store.Store, id string, prev, next model.SourceState) error {
			return st.SaveSourceTransition(context.Background(), id, prev, next)
		},
	}
	for name, save := range saves {
		t.Run(name, func(t *testing.T) {
			forEachBackend(t, func(t *testing.T, st *store.Store, _ *recorder) {
				ctx := context.Background()
				url := "https://school.example.edu.cn/news/"
				// poll saves one poll of id made from what it read before the
				// operator acted (during), returning the state after.
				poll := func(id string, gone bool, during func()) model.SourceState {
					t.Helper()
					prev, err := st.SourceState(ctx, id)
					if err != nil {
						t.Fatal(err)
					}
					during()
					next := prev
					next.URL, next.LastAttempt, next.LastStatus = url, now, 304
					if gone {
						next.Gone, next.LastStatus, next.LastError = true, 410, "HTTP 410"
					}
					if err := save(st, id, prev, next); err != nil {
						t.Fatal(err)
					}
					after, err := st.SourceState(ctx, id)
					if err != nil {
						t.Fatal(err)
					}
					return after
				}
				nothing := func() {}
				poll("a", false, nothing)
				if got := poll("a", false, func() {
					if err := st.PauseSource(ctx, "a", true); err != nil {
						t.Fatal(err)
					}
				}); !got.Paused {
					t.Error("paused during a poll: the poll's write un-paused it")
				}
				if got := poll("b", true, nothing); !got.Gone {
					t.Fatal("a 410 did not mark the source gone")
				}
				if got := poll("b", true, func() {
					if err := st.ReenableSource(ctx, "b"); err != nil {
						t.Fatal(err)
					}
				}); !got.Gone {
					t.Error("a 410 after a re-enable did not mark the source gone again")
				}
				if err := st.ReenableSource(ctx, "b"); err != nil {
					t.Fatal(err)
				}
				poll("b", false, nothing) // reads gone false
				if err := st.PauseSource(ctx, "b", false); err != nil {
					t.Fatal(err)
				}
				// A source gone before the poll, re-enabled during it.
				poll("c", true, nothing)
				if got := poll("c", false, func() {
					if err := st.ReenableSource(ctx, "c"); err != nil {
						t.Fatal(err)
					}
				}); got.Gone || got.Paused {
					t.Errorf("re-enabled during a poll: gone %v, paused %v after it; want neither", got.Gone, got.Paused)
				}
			})
		})
	}
}
