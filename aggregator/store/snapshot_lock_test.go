package store

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

func TestLockSnapshot(t *testing.T) {
	snap := filepath.Join(t.TempDir(), "tributary.snapshot")
	first, err := LockSnapshot(snap)
	if err != nil {
		t.Fatal(err)
	}
	// flock locks belong to an open file description, so a second open
	// in this process is refused like another process would be.
	_, err = LockSnapshot(snap)
	var held *HeldError
	if !errors.As(err, &held) || held.PID != os.Getpid() || held.Snapshot != snap {
		t.Fatalf("second lock = %v, want HeldError with pid %d", err, os.Getpid())
	}
	want := "the snapshot " + snap + " is held by a running daemon (pid "
	if !strings.HasPrefix(err.Error(), want) {
		t.Errorf("message %q, want prefix %q", err, want)
	}
	if err := first.Release(); err != nil {
		t.Fatal(err)
	}
	again, err := LockSnapshot(snap)
	if err != nil {
		t.Fatalf("lock after release: %v", err)
	}
	again.Release()
	if err := again.Release(); err != nil {
		t.Errorf("second release: %v", err)
	}
}

// A command whose user cannot create the lock file still learns that a
// daemon holds it, from the existing file.
func TestLockSnapshot_readOnlyDirectory(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root writes to a read-only directory")
	}
	dir := t.TempDir()
	snap := filepath.Join(dir, "tributary.snapshot")
	l, err := LockSnapshot(snap)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Release()
	if err := os.Chmod(dir, 0o555); err != nil {
		t.Fatal(err)
	}
	defer os.Chmod(dir, 0o755)
	if err := os.Chmod(LockPath(snap), 0o444); err != nil {
		t.Fatal(err)
	}
	var held *HeldError
	if _, err := LockSnapshot(snap); !errors.As(err, &held) {
		t.Fatalf("lock = %v, want HeldError", err)
	}
}

func TestLockSnapshot_noDirectory(t *testing.T) {
	snap := filepath.Join(t.TempDir(), "missing", "tributary.snapshot")
	if _, err := LockSnapshot(snap); err == nil || !errors.Is(err, syscall.ENOENT) {
		t.Fatalf("lock = %v, want ENOENT", err)
	}
}

func TestCheckSnapshotDir(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "a-file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	readOnly := filepath.Join(dir, "ro")
	if err := os.Mkdir(readOnly, 0o555); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, path string
		want       error // nil: writable
		skipRoot   bool
	}{
		{"writable", filepath.Join(dir, "t.snapshot"), nil, false},
		{"missing directory", filepath.Join(dir, "nope", "t.snapshot"), syscall.ENOENT, false},
		{"directory is a file", filepath.Join(file, "t.snapshot"), syscall.ENOTDIR, false},
		{"read-only directory", filepath.Join(readOnly, "t.snapshot"), syscall.EACCES, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.skipRoot && os.Geteuid() == 0 {
				t.Skip("root writes to a read-only directory")
			}
			err := CheckSnapshotDir(tt.path)
			if tt.want == nil {
				if err != nil {
					t.Fatal(err)
				}
				if left, _ := filepath.Glob(tt.path + ".tmp-*"); len(left) > 0 {
					t.Errorf("probe left %v", left)
				}
				return
			}
			var nw *NotWritableError
			if !errors.As(err, &nw) || !errors.Is(err, tt.want) || nw.Dir != filepath.Dir(tt.path) {
				t.Fatalf("CheckSnapshotDir = %v, want NotWritableError wrapping %v", err, tt.want)
			}
			if want := "directory " + filepath.Dir(tt.path) + " is not writable by uid "; !strings.HasPrefix(err.Error(), want) {
				t.Errorf("message %q, want prefix %q", err, want)
			}
		})
	}
}

// A read-only opening sees the snapshot's keys and never writes the file.
func TestOpenSnapshot(t *testing.T) {
	snap := filepath.Join(t.TempDir(), "tributary.snapshot")
	w, err := StartEmbedded(snap, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.mr.Set("k", "v"); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	before, err := os.ReadFile(snap)
	if err != nil {
		t.Fatal(err)
	}
	r, err := OpenSnapshot(snap, nil)
	if err != nil {
		t.Fatal(err)
	}
	if v, err := r.mr.Get("k"); err != nil || v != "v" {
		t.Errorf("restored k = %q, %v", v, err)
	}
	if err := r.mr.Set("k", "changed"); err != nil {
		t.Fatal(err)
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	if after, _ := os.ReadFile(snap); !bytes.Equal(before, after) {
		t.Error("a read-only opening rewrote the snapshot")
	}

	if err := os.WriteFile(snap, []byte("garbage"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := OpenSnapshot(snap, nil); !errors.Is(err, ErrSnapshotCorrupt) {
		t.Errorf("corrupt snapshot: %v, want ErrSnapshotCorrupt", err)
	}
	if _, err := os.Stat(snap); err != nil {
		t.Errorf("corrupt snapshot moved by a read-only opening: %v", err)
	}
	empty, err := OpenSnapshot(filepath.Join(t.TempDir(), "none.snapshot"), nil)
	if err != nil {
		t.Fatalf("missing snapshot: %v", err)
	}
	empty.Close()
}
