package snapshotguard

import (
	"errors"
	"fmt"

	"github.com/tributary-rss/tributary/aggregator/config"
	"github.com/tributary-rss/tributary/aggregator/store"
)

// LockForWrite is the snapshot lock of a command that writes the store
// while it runs (fetch): it fails at once, saying what to do instead,
// when a daemon holds the snapshot. A Redis store needs no lock.
func LockForWrite(cfg *config.Config) (release func(), err error) {
	if !snapshotted(cfg) {
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

// CheckWritable refuses an embedded store whose snapshot cannot be
// written: the daemon would run, answer every probe and lose everything
// at its next restart. It checks as the user running it, which is the
// daemon's user when run the way the daemon runs (docker exec, systemd's
// ExecStartPre, sudo -u).
func CheckWritable(cfg *config.Config) error {
	if !snapshotted(cfg) {
		return nil
	}
	if err := store.CheckSnapshotDir(cfg.Storage.Snapshot); err != nil {
		return fmt.Errorf("storage.snapshot: %w (set storage.snapshot, or $STATE_DIRECTORY, to a directory this user can write)", err)
	}
	return nil
}
