package store

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"
)

// SnapshotLock is an exclusive lock on an embedded store's snapshot,
// held by the one process that may write it: the daemon for its whole
// life, or a command such as `tributary fetch` while it runs. Two
// writers would each overwrite the other's snapshot with their own
// in-memory copy, silently losing the other's work.
//
// The lock is flock(2) on "<snapshot>.lock", which the kernel releases
// when the process dies however it dies, so a crash never leaves a stale
// lock behind. The file holds the holder's pid, for messages only.
type SnapshotLock struct {
	f *os.File
}

// HeldError says another process holds a snapshot's lock.
type HeldError struct {
	// Snapshot is the snapshot file; PID is the holder's process id as
	// it wrote it (0 when unreadable).
	Snapshot string
	PID      int
}

func (e *HeldError) Error() string {
	if e.PID == 0 {
		return fmt.Sprintf("the snapshot %s is held by a running daemon", e.Snapshot)
	}
	return fmt.Sprintf("the snapshot %s is held by a running daemon (pid %d)", e.Snapshot, e.PID)
}

// LockPath is the lock file of the snapshot at path.
func LockPath(snapshot string) string {
	return snapshot + ".lock"
}

// LockSnapshot takes the snapshot's lock without waiting. When another
// process holds it the error is a *HeldError. When the lock file cannot
// be created (the directory is not writable) but exists, it is still
// opened read-only to tell whether a daemon holds it: that is the more
// useful answer.
func LockSnapshot(snapshot string) (*SnapshotLock, error) {
	path := LockPath(snapshot)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, snapshotPerm)
	if err != nil {
		ro, roErr := os.Open(path)
		if roErr != nil {
			return nil, fmt.Errorf("lock snapshot: %w", err)
		}
		defer ro.Close()
		if held := tryFlock(ro, snapshot); held != nil {
			return nil, held
		}
		return nil, fmt.Errorf("lock snapshot: %w", err)
	}
	if err := tryFlock(f, snapshot); err != nil {
		f.Close()
		return nil, err
	}
	// Owner-only like the snapshot, also when an older version made it
	// 0644 (O_CREATE's mode applies to a new file only). It holds a pid,
	// nothing secret: a failure to tighten it is no reason not to run.
	_ = f.Chmod(snapshotPerm)
	// The pid is advice for messages: written after the lock is held, so
	// a reader sees either the old holder's pid or ours.
	if err := f.Truncate(0); err == nil {
		_, _ = f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	}
	return &SnapshotLock{f: f}, nil
}

// tryFlock takes f's exclusive lock without waiting; it returns a
// *HeldError naming the holder when another process holds it.
func tryFlock(f *os.File, snapshot string) error {
	err := unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, unix.EWOULDBLOCK):
		return &HeldError{Snapshot: snapshot, PID: readPID(f.Name())}
	}
	return fmt.Errorf("lock snapshot %s: %w", f.Name(), err)
}

func readPID(path string) int {
	data, err := os.ReadFile(path)
	if err != nil {
		return 0
	}
	pid, _ := strconv.Atoi(strings.TrimSpace(string(data)))
	return pid
}

// Release gives the lock up. The file stays: removing it would let a
// process that opened it just before keep a lock on a file nobody else
// can find, while a newcomer locks a fresh one.
func (l *SnapshotLock) Release() error {
	if l == nil || l.f == nil {
		return nil
	}
	err := l.f.Close() // closing the descriptor releases the flock
	l.f = nil
	if err != nil && !errors.Is(err, fs.ErrClosed) {
		return fmt.Errorf("release snapshot lock: %w", err)
	}
	return nil
}
