package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/tributary-rss/tributary/aggregator/config"
	"github.com/tributary-rss/tributary/aggregator/store"
	"github.com/tributary-rss/tributary/publish"
)

// snapshotCheckEvery is how often a running daemon re-checks that its
// snapshot's directory is writable: /readyz turns ready again within it
// of the operator fixing the permissions.
const snapshotCheckEvery = 10 * time.Second

// snapshotGuard is the daemon's hold on the embedded store's snapshot:
// it keeps the snapshot's lock for the daemon's life, so `tributary
// fetch` cannot write the same file behind its back, and it watches that
// the snapshot's directory stays writable, making /readyz fail while it
// is not (otherwise the daemon looks healthy while every snapshot fails
// and a restart loses everything). A nil guard (a Redis store) does
// nothing.
type snapshotGuard struct {
	path   string
	logger *slog.Logger

	mu   sync.Mutex
	lock *store.SnapshotLock
	err  error // the directory is not writable: why
}

// newSnapshotGuard takes the snapshot's lock. Another daemon holding it
// is an error: two daemons on one snapshot overwrite each other. An
// unwritable directory is not: the daemon serves what it restored, the
// guard reports it and takes the lock once the directory is fixed.
func newSnapshotGuard(cfg *config.Config, logger *slog.Logger) (*snapshotGuard, error) {
	if cfg.Redis.Mode() != config.RedisEmbedded || cfg.Storage.Snapshot == "" {
		return nil, nil
	}
	g := &snapshotGuard{path: cfg.Storage.Snapshot, logger: logger}
	var held *store.HeldError
	if err := g.check(); errors.As(err, &held) {
		return nil, fmt.Errorf("%w: stop it first, or give this daemon its own storage.snapshot", held)
	}
	return g, nil
}

// check re-probes the directory, takes the lock if it is not held yet,
// and logs a change of state once.
func (g *snapshotGuard) check() error {
	g.mu.Lock()
	defer g.mu.Unlock()
	err := store.CheckSnapshotDir(g.path)
	if err == nil && g.lock == nil {
		g.lock, err = store.LockSnapshot(g.path)
	}
	switch {
	case err != nil && g.err == nil:
		g.logger.Error("the snapshot cannot be written: entries will not survive a restart; /readyz answers 503 until it can",
			"snapshot", g.path, "err", err)
	case err == nil && g.err != nil:
		g.logger.Info("the snapshot can be written again", "snapshot", g.path)
	}
	g.err = err
	return err
}

// run re-checks every interval (snapshotCheckEvery when not positive)
// until ctx is done.
func (g *snapshotGuard) run(ctx context.Context, every time.Duration) {
	if g == nil {
		return
	}
	if every <= 0 {
		every = snapshotCheckEvery
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			g.check()
		}
	}
}

// ready puts the snapshot's state in front of next, the daemon's other
// readiness checks.
func (g *snapshotGuard) ready(next func(ctx context.Context) error) func(ctx context.Context) error {
	if g == nil {
		return next
	}
	return func(ctx context.Context) error {
		g.mu.Lock()
		err := g.err
		g.mu.Unlock()
		if err != nil {
			return &publish.ReadyError{Reason: "snapshot " + g.path + " not writable", Err: err}
		}
		return next(ctx)
	}
}

// release gives the lock up, after the store's final snapshot.
func (g *snapshotGuard) release() {
	if g == nil {
		return
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if err := g.lock.Release(); err != nil {
		g.logger.Warn("release the snapshot lock", "err", err)
	}
	g.lock = nil
}

// lockForWrite is the snapshot lock of a command that writes the store
// while it runs (fetch): it fails at once, saying what to do instead,
// when a daemon holds the snapshot. A Redis store needs no lock.
func lockForWrite(cfg *config.Config) (release func(), err error) {
	if cfg.Redis.Mode() != config.RedisEmbedded || cfg.Storage.Snapshot == "" {
		return func() {}, nil
	}
	l, err := store.LockSnapshot(cfg.Storage.Snapshot)
	var held *store.HeldError
	if errors.As(err, &held) {
		return nil, fmt.Errorf("%w; use the admin API (POST /api/v1/admin/sources/{id}/poll) or stop the daemon", held)
	}
	if err != nil {
		return nil, err
	}
	return func() { l.Release() }, nil
}
