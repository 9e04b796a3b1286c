package store

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"sync"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"

	"github.com/tributary-rss/tributary/aggregator/atomicfile"
)

// DefaultSnapshotEvery is the snapshot period Run uses when given none.
const DefaultSnapshotEvery = time.Minute

// clockStep is how often the embedded store's clock, which TTLs (poll
// leases) count down against, catches up with the wall clock.
//
// miniredis's ClockTTL on the wall clock advances every TTL on every
// command, and to do so sorts all the keys: each command cost O(n log n),
// 10,000 writes took 10 s, a snapshot of 100,000 keys (three accessor
// calls a key) took minutes, and a large ingest ran into the client's
// timeouts. Moving a set clock once a step costs that walk once a step
// (25 ms at 100,000 keys) and keeps expiry within a step of the truth.
const clockStep = time.Second

// Embedded is the in-process Redis used when no Redis URL is configured: a
// miniredis server on 127.0.0.1 that the normal go-redis code talks to, so
// there is one storage code path. miniredis has no persistence, so Embedded
// snapshots its keys to a file and restores them on start.
//
// Every local user can connect to 127.0.0.1, and the store holds secrets
// (credentials in source URLs, console sessions), so the server demands a
// password drawn at random for each run. It lives only in this process:
// ClientOptions hands it to clients; it is never logged nor written.
type Embedded struct {
	mr         *miniredis.Miniredis
	password   string
	path       string
	logger     *slog.Logger
	restoreErr error

	mu        sync.Mutex // serializes snapshots
	closeOnce sync.Once
	closeErr  error
	// stopClock stops the goroutine that moves the clock; clockDone is
	// closed when it has returned.
	stopClock chan struct{}
	clockDone chan struct{}
}

// StartEmbedded starts miniredis on a free 127.0.0.1 port, requiring a
// fresh random password (see ClientOptions), with TTLs following the wall
// clock within clockStep (miniredis freezes them otherwise, which would
// make poll leases never expire). It restores snapshotPath when the file
// exists, first making it owner-only if an older version left it readable
// by others; "" means no persistence. A corrupt snapshot is renamed to
// "<path>.corrupt-<unix>" and logged, the store starts empty and
// RestoreError reports it. A snapshot that cannot be read or set aside is
// an error: starting empty would overwrite it with the next snapshot.
func StartEmbedded(snapshotPath string, logger *slog.Logger) (*Embedded, error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	// rand.Text: 26 base32 characters, 130 random bits.
	e := &Embedded{mr: miniredis.NewMiniRedis(), password: rand.Text(), path: snapshotPath, logger: logger,
		stopClock: make(chan struct{}), clockDone: make(chan struct{})}
	e.mr.RequireAuth(e.password)
	now := time.Now()
	e.mr.SetTime(now)
	e.mr.ClockTTL(true)
	removeStaleTemps(snapshotPath, logger)
	tightenSnapshotMode(snapshotPath, logger)
	if err := e.restore(now); err != nil {
		return nil, err
	}
	if err := e.mr.StartAddr("127.0.0.1:0"); err != nil {
		return nil, fmt.Errorf("start embedded redis: %w", err)
	}
	go e.runClock()
	// The address is no secret: without the password it answers NOAUTH.
	logger.Info("embedded redis started", "addr", e.mr.Addr(), "snapshot", snapshotPath, "keys", len(e.mr.Keys()))
	return e, nil
}

// Addr is the host:port the embedded server listens on. A connection
// there must authenticate: use ClientOptions.
func (e *Embedded) Addr() string {
	return e.mr.Addr()
}

// ClientOptions are the go-redis options that reach this store: its
// address and this run's password. Each call returns a new value the
// caller may adjust (pool size, timeouts) before redis.NewClient.
func (e *Embedded) ClientOptions() *redis.Options {
	return &redis.Options{Addr: e.mr.Addr(), Password: e.password}
}

// RestoreError is why the snapshot could not be restored at start (it
// wraps ErrSnapshotCorrupt), or nil when it was restored or absent.
func (e *Embedded) RestoreError() error {
	return e.restoreErr
}

// restore loads the snapshot file into the not yet started miniredis, so
// no client ever sees a half-restored store.
func (e *Embedded) restore(now time.Time) error {
	if e.path == "" {
		return nil
	}
	data, err := os.ReadFile(e.path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("restore snapshot: %w", err)
	}
	body, err := decodeSnapshot(data)
	if err == nil {
		err = restoreKeys(e.mr, body, now)
	}
	if err != nil {
		e.mr.FlushAll()
		return e.setAside(err, now)
	}
	e.logger.Info("snapshot restored", "path", e.path, "keys", len(body.Keys), "saved_at", body.SavedAt)
	return nil
}

// setAside moves a corrupt snapshot out of the way, keeping it for
// inspection, and records why.
func (e *Embedded) setAside(cause error, now time.Time) error {
	aside := fmt.Sprintf("%s.corrupt-%d", e.path, now.Unix())
	if err := os.Rename(e.path, aside); err != nil {
		return fmt.Errorf("set corrupt snapshot aside (%v): %w", cause, err)
	}
	// It may still hold readable secrets; a rename keeps the old mode.
	if err := os.Chmod(aside, snapshotPerm); err != nil {
		e.logger.Warn("cannot make the set-aside snapshot owner-only", "path", aside, "error", err)
	}
	e.restoreErr = fmt.Errorf("restore snapshot %s (moved to %s): %w", e.path, aside, cause)
	e.logger.Error("snapshot corrupt: set aside, starting empty", "path", e.path, "moved_to", aside, "error", cause)
	return nil
}

// Snapshot writes every key to the snapshot file, replacing it atomically.
// It does nothing when there is no snapshot path.
func (e *Embedded) Snapshot() error {
	return e.snapshot(context.Background())
}

// snapshot is Snapshot that gives up, writing nothing, once ctx is done:
// a periodic snapshot stopped at shutdown yields to the final one at once
// instead of making it wait for a whole walk of the keys.
func (e *Embedded) snapshot(ctx context.Context) error {
	if e.path == "" {
		return nil
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	body, skipped, err := captureKeys(ctx, e.mr, time.Now())
	if err != nil {
		return fmt.Errorf("snapshot: %w", err)
	}
	if len(skipped) > 0 {
		e.logger.Warn("snapshot skips keys of unsupported types", "keys", skipped)
	}
	data, err := encodeSnapshot(body)
	if err != nil {
		return fmt.Errorf("snapshot: %w", err)
	}
	if err := atomicfile.WriteMode(e.path, data, snapshotPerm); err != nil {
		return fmt.Errorf("snapshot: %w", err)
	}
	return nil
}

// Run snapshots every period (DefaultSnapshotEvery when not positive) until
// ctx is done. A failure is logged when it starts and every tenth time in a
// row after, and its recovery once, so a full disk does not flood the log.
func (e *Embedded) Run(ctx context.Context, every time.Duration) {
	if e.path == "" {
		return
	}
	if every <= 0 {
		every = DefaultSnapshotEvery
	}
	t := time.NewTicker(every)
	defer t.Stop()
	failures := 0
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		err := e.snapshot(ctx)
		switch {
		case ctx.Err() != nil:
			return
		case err != nil:
			failures++
			if failures%10 == 1 {
				e.logger.Error("periodic snapshot failed", "path", e.path, "errors_in_row", failures, "error", err)
			}
		case failures > 0:
			e.logger.Info("periodic snapshot recovered", "path", e.path, "errors_in_row", failures)
			failures = 0
		}
	}
}

// runClock moves miniredis's clock to the wall clock every clockStep
// until Close.
func (e *Embedded) runClock() {
	defer close(e.clockDone)
	t := time.NewTicker(clockStep)
	defer t.Stop()
	for {
		select {
		case <-e.stopClock:
			return
		case <-t.C:
			e.mr.SetTime(time.Now())
		}
	}
}

// Close stops the server and takes a final snapshot. The server stops
// first so no write can land after the snapshot and be lost; miniredis
// keeps its data after Close, so the snapshot still sees everything. Only
// the first call does anything; later calls return its result.
func (e *Embedded) Close() error {
	e.closeOnce.Do(func() {
		close(e.stopClock)
		<-e.clockDone
		e.mr.Close()
		e.closeErr = e.Snapshot()
	})
	return e.closeErr
}
