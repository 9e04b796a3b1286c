package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/tributary-rss/tributary/aggregator/fetch"
	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/aggregator/normalize"
	"github.com/tributary-rss/tributary/aggregator/poll"
	"github.com/tributary-rss/tributary/aggregator/scheduler"
	"github.com/tributary-rss/tributary/aggregator/scheduler/dueset"
	"github.com/tributary-rss/tributary/aggregator/store"
	"github.com/tributary-rss/tributary/aggregator/store/storetest"
)

// instanceReport is what a scheduler instance child prints, one JSON line
// every reportEvery.
type instanceReport struct {
	Polls  int64 `json:"polls"`
	Errors int64 `json:"errors"`
	// Cmds counts the commands this instance sent (a script is one, each
	// command of a pipeline is one).
	Cmds int64 `json:"cmds"`
	// First is when the first poll finished (unix ns), 0 before.
	First int64 `json:"first"`
	// FirstErr is the first poll error's text, for the summary.
	FirstErr string `json:"first_err,omitempty"`
}

const reportEvery = 250 * time.Millisecond

// schedInstanceMain is a scheduler instance child: the daemon's real
// scheduler, poller, fetcher and store over n synthetic sources, polling
// until its stdin closes (the parent exited or is done), reporting its
// poll count on stdout.
func schedInstanceMain(args []string) error {
	fs := flag.NewFlagSet("sched-instance", flag.ContinueOnError)
	redisAddr := fs.String("redis", "", "redis-server address")
	prefix := fs.String("prefix", store.DefaultPrefix, "key prefix")
	feeds := fs.String("feeds", "", "feed server address")
	n := fs.Int("n", 1000, "sources")
	every := fs.Duration("every", 5*time.Minute, "each source's schedule: @every this")
	concurrency := fs.Int("concurrency", 8, "fetch.concurrency")
	shards := fs.Int("shards", dueset.DefaultShards, "scheduler.shards")
	if err := fs.Parse(args); err != nil {
		return err
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError}))
	redis.SetLogger(quietLogger{})
	client := redis.NewClient(&redis.Options{Addr: *redisAddr, PoolSize: 2**concurrency + 4})
	defer client.Close()
	var cmds cmdCounter
	client.AddHook(storetest.CommandHook(cmds.add))
	st := store.New(client, *prefix, logger)
	sections, sources := schedSources(*feeds, *n, *every)
	// Every synthetic feed is on one loopback host: the per-host cap is
	// the global one here (see harness.build).
	f := fetch.New(fetch.Options{PerHost: *concurrency, Version: "loadgen"})
	p := poll.New(st, f, normalize.New(normalize.Options{}), sections, logger)
	sched, err := scheduler.New(p, dueset.New(client, *prefix, *shards), sources, *concurrency, logger)
	if err != nil {
		return err
	}
	var polls, errs, first atomic.Int64
	var firstErr atomic.Value
	sched.OnPoll = func(r poll.Result) {
		first.CompareAndSwap(0, time.Now().UnixNano())
		polls.Add(1)
		if r.Err != nil {
			errs.Add(1)
			firstErr.CompareAndSwap(nil, r.Err.Error())
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if err := sched.Start(ctx); err != nil {
		return err
	}
	stdinClosed := make(chan struct{})
	go func() {
		_, _ = io.Copy(io.Discard, os.Stdin)
		close(stdinClosed)
	}()
	enc := json.NewEncoder(os.Stdout)
	tick := time.NewTicker(reportEvery)
	defer tick.Stop()
	for {
		select {
		case <-stdinClosed:
			sctx, scancel := context.WithTimeout(context.Background(), 10*time.Second)
			sched.Stop(sctx)
			scancel()
			return nil
		case <-tick.C:
			r := instanceReport{Polls: polls.Load(), Errors: errs.Load(), First: first.Load(), Cmds: cmds.n.Load()}
			r.FirstErr, _ = firstErr.Load().(string)
			if err := enc.Encode(r); err != nil {
				return fmt.Errorf("report: %w", err)
			}
		}
	}
}

// schedSources are n sources on the feed server at addr, on "@every
// every", spread over ten sections; every instance builds the same list.
func schedSources(addr string, n int, every time.Duration) ([]model.Section, []model.Source) {
	sections := make([]model.Section, sectionCount)
	for i := range sections {
		sections[i] = model.Section{ID: "s" + strconv.Itoa(i), Title: "Section " + strconv.Itoa(i), MaxItems: 200}
	}
	sources := make([]model.Source, n)
	schedule := "@every " + every.String()
	for i := range n {
		url := fmt.Sprintf("http://%s/feed/%d", addr, i)
		sec := &sections[i%sectionCount]
		sources[i] = model.Source{ID: model.SourceID(url), URL: url, Schedule: schedule, Location: time.UTC, SectionIDs: []string{sec.ID}}
		sec.SourceIDs = append(sec.SourceIDs, sources[i].ID)
	}
	return sections, sources
}

// cmdCounter counts the commands a client sends (see storetest.CommandHook).
type cmdCounter struct{ n atomic.Int64 }

func (c *cmdCounter) add(cmds ...redis.Cmder) { c.n.Add(int64(len(cmds))) }
