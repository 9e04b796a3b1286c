package store

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

// A periodic snapshot stopped at shutdown gives up instead of making the
// final snapshot wait for its whole walk, and leaves no file behind.
func TestEmbedded_SnapshotStops(t *testing.T) {
	path := filepath.Join(t.TempDir(), "tributary.snapshot")
	e, err := StartEmbedded(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	for i := range 5000 {
		if err := e.mr.Set(fmt.Sprintf("k%d", i), "v"); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := e.snapshot(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("snapshot with a stopped context = %v, want context.Canceled", err)
	}
	if _, err := os.Stat(path); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("stopped snapshot wrote %s: %v", path, err)
	}
	if tmp, _ := filepath.Glob(path + ".tmp-*"); len(tmp) > 0 {
		t.Errorf("stopped snapshot left %v", tmp)
	}
	if err := e.Snapshot(); err != nil {
		t.Fatalf("Snapshot: %v", err)
	}
}
