package config

import (
	"path/filepath"
	"strings"
)

// SnapshotFile is the snapshot's file name inside a state directory.
const SnapshotFile = "tributary.snapshot"

// applyStateDirectory makes $STATE_DIRECTORY (set by systemd for a unit
// with StateDirectory=, and by the Docker image) the default home of the
// embedded store's snapshot. Without it the snapshot would default to the
// config file's directory, which a packaged deployment keeps read-only
// (/etc/tributary), and every snapshot would fail. systemd lists several
// directories separated by colons when a unit names several; the first is
// the unit's own. A relative value is ignored: systemd always sets an
// absolute one, and resolving it against the working directory would make
// the snapshot move with it.
func applyStateDirectory(c *Config, getenv func(string) string) {
	if c.Storage.Snapshot != "" {
		return
	}
	dir, _, _ := strings.Cut(getenv("STATE_DIRECTORY"), ":")
	if dir == "" || !filepath.IsAbs(dir) {
		return
	}
	c.Storage.Snapshot = filepath.Join(dir, SnapshotFile)
}
