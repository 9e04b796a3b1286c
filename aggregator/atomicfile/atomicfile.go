// Package atomicfile replaces files so that a crash leaves either the old
// content or the new, never a torn file: the embedded store's snapshot
// (WriteMode, always owner-only) and the config file `opml import --write`
// edits (Write, keeping its mode) both go through it. It does nothing else.
package atomicfile

import (
	"fmt"
	"os"
	"path/filepath"
)

// DefaultPerm is the mode of a file Write creates.
const DefaultPerm os.FileMode = 0o644

// Write replaces path with data: a temporary file "<path>.tmp-*" in the
// same directory (rename is atomic only within a file system), fsynced,
// renamed over path, then the directory fsynced so the rename itself is
// durable. An existing file keeps its permission bits; a new one gets
// DefaultPerm. A crash can leave the temporary file behind; callers that
// care remove "<path>.tmp-*" at start.
func Write(path string, data []byte) error {
	mode := DefaultPerm
	if fi, err := os.Stat(path); err == nil {
		mode = fi.Mode().Perm()
	}
	return WriteMode(path, data, mode)
}

// WriteMode is Write giving the file exactly perm, whatever mode an
// existing file had and whatever the umask: a file of secrets written
// 0600 stays 0600, and one an older version left readable is tightened.
// The temporary file is 0600 from its creation (os.CreateTemp), so the
// data is never readable by others, not even while it is written.
func WriteMode(path string, data []byte, perm os.FileMode) (err error) {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			_ = os.Remove(tmp)
		}
	}()
	if _, err = f.Write(data); err == nil {
		if err = f.Chmod(perm); err == nil {
			err = f.Sync()
		}
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("write %s: %w", tmp, err)
	}
	if err = os.Rename(tmp, path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return syncDir(dir)
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("sync dir %s: %w", dir, err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("sync dir %s: %w", dir, err)
	}
	return nil
}
