package store

import (
	"errors"
	"io/fs"
	"log/slog"
	"os"
)

// snapshotPerm is the mode of the snapshot, its lock file and a corrupt
// snapshot set aside: owner only. The snapshot holds everything the store
// does, credentials in source URLs and console sessions included, so no
// other local user may read it, whatever the umask or the directory.
const snapshotPerm fs.FileMode = 0o600

// tightenSnapshotMode makes an existing snapshot owner-only at start, so
// one an older version wrote world-readable is not left so until the
// first periodic snapshot replaces it. A failure is logged, not fatal:
// that replacement gets the right mode anyway.
func tightenSnapshotMode(path string, logger *slog.Logger) {
	if path == "" {
		return
	}
	fi, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) || (err == nil && fi.Mode().Perm()&^snapshotPerm == 0) {
		return
	}
	if err == nil {
		err = os.Chmod(path, snapshotPerm)
	}
	if err != nil {
		logger.Warn("cannot make the snapshot owner-only", "path", path, "error", err)
		return
	}
	logger.Info("snapshot made owner-only", "path", path, "old_mode", fi.Mode().Perm().String())
}
