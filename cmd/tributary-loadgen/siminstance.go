package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/aggregator/poll"
	"github.com/tributary-rss/tributary/aggregator/scheduler"
	"github.com/tributary-rss/tributary/aggregator/scheduler/dueset"
	"github.com/tributary-rss/tributary/aggregator/scheduler/plan"
)

// simPoller is a scheduler.Poller that fetches nothing: a poll succeeds at
// once and is reported on out as "p <source> <poll ms> <claim deadline
// ms>", so the parent can check that no two claims of a source overlapped.
// The state is the zero one, read from nowhere: what is measured is the
// scheduling alone.
type simPoller struct {
	lease time.Duration
	mu    sync.Mutex
	out   *bufio.Writer
	polls atomic.Int64
}

var _ scheduler.Poller = (*simPoller)(nil)

func (p *simPoller) Clock() time.Time { return time.Now() }

func (p *simPoller) State(context.Context, string) (model.SourceState, error) {
	return model.SourceState{}, nil
}

func (p *simPoller) States(_ context.Context, ids []string) ([]model.SourceState, error) {
	return make([]model.SourceState, len(ids)), nil
}

func (p *simPoller) Prime(context.Context, []model.Source) error { return nil }

// PollState plans the next poll as a 200 without hints would. The claim's
// deadline is the context's plus the margin the scheduler keeps before it
// (a tenth of the lease, see Scheduler.claimContext).
func (p *simPoller) PollState(ctx context.Context, src model.Source, st model.SourceState, pl plan.Plan) poll.Result {
	now := time.Now()
	dl, _ := ctx.Deadline()
	p.polls.Add(1)
	p.mu.Lock()
	fmt.Fprintf(p.out, "p %s %d %d\n", src.ID, now.UnixMilli(), dl.Add(p.lease/10).UnixMilli())
	p.mu.Unlock()
	return poll.Result{SourceID: src.ID, URL: src.URL, Status: 200, Due: st.NextDue, NextDue: pl.AfterSuccess(now, st.NextDue, plan.Hints{})}
}

func (p *simPoller) Refresh(context.Context, model.Source) error { return nil }
func (p *simPoller) Fingerprint(model.Source) string             { return "" }
func (p *simPoller) Forget(string)                               {}
func (p *simPoller) SetSections([]model.Section)                 {}
func (p *simPoller) FetchesArticles(model.Source) bool           { return false }
func (p *simPoller) FetchArticles(context.Context, model.Source) poll.ArticleResult {
	return poll.ArticleResult{}
}

func (p *simPoller) flush() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.out.Flush()
}

// simInstanceMain is a simulation instance child: the daemon's scheduler
// and due set on a Redis Cluster over n sources, with simPoller. It prints
// "i <instance name>" once started, then its polls, until stdin closes.
func simInstanceMain(args []string) error {
	fs := flag.NewFlagSet("sim-instance", flag.ContinueOnError)
	addrs := fs.String("cluster", "", "Redis Cluster addresses, comma-separated")
	prefix := fs.String("prefix", "sim:", "key prefix")
	n := fs.Int("n", 1000, "sources")
	every := fs.Duration("every", time.Minute, "each source's schedule: @every this")
	lease := fs.Duration("lease", 10*time.Second, "claim lease")
	shards := fs.Int("shards", dueset.DefaultShards, "due set shards")
	concurrency := fs.Int("concurrency", 16, "polls at once")
	if err := fs.Parse(args); err != nil {
		return err
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError}))
	redis.SetLogger(quietLogger{})
	client := redis.NewClusterClient(&redis.ClusterOptions{Addrs: strings.Split(*addrs, ","), PoolSize: 2**concurrency + 4})
	defer client.Close()
	out := bufio.NewWriterSize(os.Stdout, 64<<10)
	p := &simPoller{lease: *lease, out: out}
	sched, err := scheduler.New(p, dueset.New(client, *prefix, *shards), simSources(*n, *every), *concurrency, logger)
	if err != nil {
		return err
	}
	sched.LeaseTTL = *lease
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if err := sched.Start(ctx); err != nil {
		return err
	}
	p.mu.Lock()
	fmt.Fprintf(out, "i %s\n", sched.Instance())
	p.mu.Unlock()
	stdinClosed := make(chan struct{})
	go func() {
		_, _ = io.Copy(io.Discard, os.Stdin)
		close(stdinClosed)
	}()
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-stdinClosed:
			sctx, scancel := context.WithTimeout(context.Background(), 10*time.Second)
			sched.Stop(sctx)
			scancel()
			return p.flush()
		case <-tick.C:
			if err := p.flush(); err != nil {
				return fmt.Errorf("report: %w", err)
			}
		}
	}
}

// simSources are n sources on "@every every"; every instance and the
// parent build the same list. The URLs are never fetched.
func simSources(n int, every time.Duration) []model.Source {
	out := make([]model.Source, n)
	schedule := "@every " + every.String()
	for i := range out {
		id := fmt.Sprintf("sim-%07d", i)
		out[i] = model.Source{ID: id, URL: "http://sim.invalid/" + id, Schedule: schedule, Location: time.UTC, SectionIDs: []string{"s0"}}
	}
	return out
}
