// Package snapshotguard keeps the embedded store's snapshot file safe
// from the processes around it: the daemon holds the snapshot's lock for
// its life and watches that the snapshot's directory stays writable; a
// command that writes the store (fetch) takes the lock only while it
// runs, and fails at once when a daemon holds it; check refuses a
// snapshot that cannot be written.
//
// It locks and probes files; it never opens the store (package storeopen
// does) nor decides what readiness answers (the caller turns Err into
// its /readyz reason). With a Redis store there is nothing to guard: its
// functions return a nil Guard, which does nothing.
package snapshotguard

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/tributary-rss/tributary/aggregator/config"
	"github.com/tributary-rss/tributary/aggregator/store"
)

// DefaultCheckEvery is how often a running daemon re-checks that its
// snapshot's directory is writable: /readyz turns ready again within it
// of the operator fixing the permissions.
const DefaultCheckEvery = 10 * time.Second

// Guard is the daemon's hold on the embedded store's snapshot: it keeps
// the snapshot's lock for the daemon's life, so `tributary fetch` cannot
// write the same file behind its back, and it watches that the
// snapshot's directory stays writable, so readiness can fail while it is
// not (otherwise the daemon looks healthy while every snapshot fails and
// a restart loses everything). A nil Guard (a Redis store) does nothing.
type Guard struct {
	path   string
	logger *slog.Logger

	mu   sync.Mutex
	lock *store.SnapshotLock
	err  error // the directory is not writable: why
}

// New takes the snapshot's lock; it returns nil, nil when cfg's store
// keeps no snapshot. Another daemon holding the lock is an error: two
// daemons on one snapshot overwrite each other. An unwritable directory
// is not: the daemon serves what it restored, the guard reports it (see
// Err) and takes the lock once the directory is fixed.
func New(cfg *config.Config, logger *slog.Logger) (*Guard, error) {
	if !snapshotted(cfg) {
		return nil, nil
	}
	g := &Guard{path: cfg.Storage.Snapshot, logger: logger}
	var held *store.HeldError
	if err := g.check(); errors.As(err, &held) {
		return nil, fmt.Errorf("%w: stop it first, or give this daemon its own storage.snapshot", held)
	}
	return g, nil
}

// snapshotted reports whether cfg's store is the embedded one with a
// snapshot file.
func snapshotted(cfg *config.Config) bool {
	return cfg.Redis.Mode() == config.RedisEmbedded && cfg.Storage.Snapshot != ""
}

// check re-probes the directory, takes the lock if it is not held yet,
// and logs a change of state once.
func (g *Guard) check() error {
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

// Run re-checks every interval (DefaultCheckEvery when not positive)
// until ctx is done.
func (g *Guard) Run(ctx context.Context, every time.Duration) {
	if g == nil {
		return
	}
	if every <= 0 {
		every = DefaultCheckEvery
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

// Path is the snapshot file guarded ("" for a nil Guard).
func (g *Guard) Path() string {
	if g == nil {
		return ""
	}
	return g.path
}

// Err says why the snapshot cannot be written as of the last check; nil
// while it can (and for a nil Guard).
func (g *Guard) Err() error {
	if g == nil {
		return nil
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.err
}

// Release gives the lock up; call it after the store's final snapshot.
func (g *Guard) Release() {
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
