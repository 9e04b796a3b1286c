package store

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// NotWritableError says the snapshot's directory does not accept new
// files, so no snapshot can be written there (a snapshot is a temp file
// renamed over the old one) and everything stored would be lost at the
// next restart.
type NotWritableError struct {
	Dir string
	UID int
	Err error
}

func (e *NotWritableError) Error() string {
	return fmt.Sprintf("directory %s is not writable by uid %d: %v", e.Dir, e.UID, e.Err)
}

func (e *NotWritableError) Unwrap() error { return e.Err }

// CheckSnapshotDir reports whether a snapshot could be written at path
// now, by creating a file in its directory and removing it: permission
// bits alone do not tell (ACLs, read-only mounts, systemd's
// ProtectSystem, a missing directory). The probe is named like the
// snapshot's own temp files, so a crash between its creation and its
// removal leaves nothing the next start does not clean up.
func CheckSnapshotDir(path string) error {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, filepath.Base(path)+".tmp-probe-*")
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return &NotWritableError{Dir: dir, UID: os.Geteuid(), Err: err}
	}
	name := f.Name()
	f.Close()
	if err := os.Remove(name); err != nil {
		return fmt.Errorf("remove probe file: %w", err)
	}
	return nil
}
