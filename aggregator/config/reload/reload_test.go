package reload

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/tributary-rss/tributary/aggregator/config"
	"github.com/tributary-rss/tributary/aggregator/model"
)

// fakeRegistry records the configs a Reloader hands it.
type fakeRegistry struct {
	mu   sync.Mutex
	sets []*config.Config
}

func (f *fakeRegistry) SetFile(_ context.Context, cfg *config.Config) (int, int, int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.sets = append(f.sets, cfg)
	return 0, 0, 0, nil
}

func (f *fakeRegistry) Merged() ([]model.Source, []model.Section) { return nil, nil }

// TestReloader_Run: an edit of the file and a signal each reload it and
// hand a new admin token on; an invalid file is refused and never
// reaches the registry.
func TestReloader_Run(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "tributary.yaml")
	write := func(text string) {
		t.Helper()
		// Atomically, as editors do, so no tick reads half a file.
		if err := os.WriteFile(path+".tmp", []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Rename(path+".tmp", path); err != nil {
			t.Fatal(err)
		}
	}
	write(sources)
	noEnv := func(string) string { return "" }
	cfg, err := config.Load(path, noEnv)
	if err != nil {
		t.Fatal(err)
	}
	reg := &fakeRegistry{}
	reloads := make(chan error, 4)
	r := New(Options{Path: path, Getenv: noEnv, Interval: 10 * time.Millisecond, OnReload: func(err error) { reloads <- err }},
		cfg, reg, slog.New(slog.DiscardHandler))
	var tokens []string
	r.SetToken = func(tok string) { tokens = append(tokens, tok) }
	hup := make(chan os.Signal, 1)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { r.Run(ctx, hup); close(done) }()
	defer func() { cancel(); <-done }()
	next := func(what string) error {
		t.Helper()
		select {
		case err := <-reloads:
			return err
		case <-time.After(5 * time.Second):
			t.Fatalf("no reload after %s", what)
			return nil
		}
	}

	write("admin:\n  token: 0123456789abcdef-new\n" + sources)
	if err := next("an edit"); err != nil {
		t.Fatalf("reload of a valid edit: %v", err)
	}
	write("sections: [\n")
	if err := next("an invalid edit"); err == nil {
		t.Fatal("an invalid file was applied")
	}
	hup <- os.Interrupt
	if err := next("a signal"); err == nil {
		t.Fatal("a signal applied the invalid file")
	}
	reg.mu.Lock()
	defer reg.mu.Unlock()
	if len(reg.sets) != 1 || reg.sets[0].Admin.Token != "0123456789abcdef-new" {
		t.Errorf("registry got %d configs, want the one valid edit", len(reg.sets))
	}
	if len(tokens) != 1 || tokens[0] != "0123456789abcdef-new" {
		t.Errorf("tokens handed on: %q", tokens)
	}
}
