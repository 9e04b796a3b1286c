package store_test

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/redis/go-redis/v9"

	"github.com/tributary-rss/tributary/aggregator/store"
)

// Any local user can reach 127.0.0.1: a client that knows the embedded
// store's address but not its per-run password is refused, and only the
// store's own client gets in.
func TestEmbedded_RequireAuth(t *testing.T) {
	e, err := store.StartEmbedded("", discard())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = e.Close() })
	tests := []struct {
		name    string
		opt     *redis.Options
		wantErr string // "": the command succeeds
	}{
		{"no password", &redis.Options{Addr: e.Addr()}, "NOAUTH"},
		{"wrong password", &redis.Options{Addr: e.Addr(), Password: "guess"}, "WRONGPASS"},
		{"the store's own client", e.ClientOptions(), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.opt.MaxRetries = -1
			c := redis.NewClient(tt.opt)
			defer c.Close()
			_, err := c.Get(context.Background(), "any").Result()
			if err == redis.Nil {
				err = nil
			}
			switch {
			case tt.wantErr == "" && err != nil:
				t.Fatalf("GET: %v, want it answered", err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Fatalf("GET: %v, want %s", err, tt.wantErr)
			}
		})
	}
}

// Each run gets its own password of at least 128 random bits.
func TestEmbedded_ClientOptions(t *testing.T) {
	var pws []string
	for range 2 {
		e, err := store.StartEmbedded("", discard())
		if err != nil {
			t.Fatal(err)
		}
		opt := e.ClientOptions()
		if opt.Addr != e.Addr() {
			t.Errorf("Addr %q, want %q", opt.Addr, e.Addr())
		}
		pws = append(pws, opt.Password)
		if err := e.Close(); err != nil {
			t.Fatal(err)
		}
	}
	// rand.Text: 26 base32 characters, 5 bits each.
	if len(pws[0]) < 26 || pws[0] == pws[1] {
		t.Errorf("passwords %q: want two different ones of 26+ characters", pws)
	}
}

// The snapshot holds every secret the store does (credentials in source
// URLs, session tokens), so it, its lock file and the file a corrupt one
// is set aside as are the owner's alone, whatever the umask and whatever
// mode an older version left on them.
func TestEmbedded_fileModes(t *testing.T) {
	old := syscall.Umask(0) // the most permissive: only explicit modes count
	defer syscall.Umask(old)
	dir := t.TempDir()
	snap := filepath.Join(dir, "tributary.snapshot")

	e, err := store.StartEmbedded(snap, discard())
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Snapshot(); err != nil {
		t.Fatal(err)
	}
	assertMode(t, "new snapshot", snap, 0o600)
	if err := os.Chmod(snap, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := e.Snapshot(); err != nil {
		t.Fatal(err)
	}
	assertMode(t, "rewritten 0644 snapshot", snap, 0o600)
	if err := e.Close(); err != nil {
		t.Fatal(err)
	}

	// A loose snapshot an older version left is tightened at start, before
	// the first periodic write.
	if err := os.Chmod(snap, 0o644); err != nil {
		t.Fatal(err)
	}
	e, err = store.StartEmbedded(snap, discard())
	if err != nil {
		t.Fatal(err)
	}
	assertMode(t, "restored 0644 snapshot", snap, 0o600)
	if err := e.Close(); err != nil {
		t.Fatal(err)
	}

	if err := os.WriteFile(snap, []byte("torn"), 0o644); err != nil {
		t.Fatal(err)
	}
	e, err = store.StartEmbedded(snap, discard())
	if err != nil {
		t.Fatal(err)
	}
	_ = e.Close()
	aside, _ := filepath.Glob(snap + ".corrupt-*")
	if len(aside) != 1 {
		t.Fatalf("set-aside files %v, want one", aside)
	}
	assertMode(t, "corrupt snapshot set aside", aside[0], 0o600)
}

func TestLockSnapshot_fileMode(t *testing.T) {
	old := syscall.Umask(0)
	defer syscall.Umask(old)
	snap := filepath.Join(t.TempDir(), "tributary.snapshot")
	l, err := store.LockSnapshot(snap)
	if err != nil {
		t.Fatal(err)
	}
	assertMode(t, "new lock file", store.LockPath(snap), 0o600)
	if err := l.Release(); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(store.LockPath(snap), 0o644); err != nil {
		t.Fatal(err)
	}
	l, err = store.LockSnapshot(snap)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Release()
	assertMode(t, "existing 0644 lock file", store.LockPath(snap), 0o600)
}

func assertMode(t *testing.T, what, path string, want fs.FileMode) {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	if got := fi.Mode().Perm(); got != want {
		t.Errorf("%s %s: mode %v, want %v", what, filepath.Base(path), got, want)
	}
}
