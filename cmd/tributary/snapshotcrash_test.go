package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// crashInterval is the snapshot interval of the crash test; crashSlack is
// what the guarantee allows on top of it for a snapshot that started in
// time to land (encode, fsync, rename) before the kill, and for a late
// ticker on a loaded CI machine.
const (
	crashInterval = time.Second
	crashSlack    = time.Second
)

// crashRun tracks what the daemon served across kills.
type crashRun struct {
	dir      string
	mu       sync.Mutex
	seen     map[string]time.Time // entry title → first time the running daemon served it
	mustKeep map[string]time.Time // entries served long enough before a kill
}

// SIGKILL of the embedded store between and during snapshots: the source
// serves only its newest item (each poll brings a new one), so after a
// restart an older entry can come only from the snapshot. Each round kills
// the daemon, either at an arbitrary moment or the instant a snapshot's
// temp file appears (mid-write), and restarts it on the same file: the
// snapshot always loads (nothing set aside as corrupt, no error logged,
// temp files of killed writes cleared) and every entry served at least one
// snapshot interval (plus crashSlack) before a kill is served again.
func TestBinary_SIGKILLBetweenSnapshots(t *testing.T) {
	bin := buildBinary(t)
	var polls atomic.Int64
	src := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		n := polls.Add(1)
		w.Header().Set("Content-Type", "application/rss+xml")
		// A padded item makes each snapshot big enough to be caught mid-write.
		fmt.Fprintf(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>crash</title><link>http://crash.example/</link>`+
			`<item><title>crash %d</title><guid>crash-%d</guid><link>http://crash.example/%d</link><description>%s</description></item></channel></rss>`,
			n, n, n, strings.Repeat("snapshot padding ", 4<<10))
	}))
	t.Cleanup(src.Close)
	run := &crashRun{dir: t.TempDir(), seen: map[string]time.Time{}, mustKeep: map[string]time.Time{}}
	cfgPath := writeCrashConfig(t, run.dir, src.URL)
	// Each kill comes after a delay, then (midWrite) the instant a
	// snapshot temp file exists.
	kills := []struct {
		after    time.Duration
		midWrite bool
	}{{2500 * time.Millisecond, false}, {2200 * time.Millisecond, true}, {3700 * time.Millisecond, false},
		{3100 * time.Millisecond, true}, {1900 * time.Millisecond, false}, {2600 * time.Millisecond, true}}
	interrupted := 0
	for round, k := range kills {
		cmd, addr, logs := startBinary(t, bin, cfgPath)
		run.checkRestored(t, round, addr, logs)
		if strings.Contains(logs.String(), "temp file of an interrupted snapshot") {
			interrupted++
		}
		// An entry the last daemon served too briefly may be gone now,
		// legitimately: only what this daemon serves counts from here.
		clear(run.seen)
		stop := run.watch(addr)
		<-time.After(k.after) // the kill moment itself is under test, not a condition
		mode := fmt.Sprintf("%v after start", k.after)
		if k.midWrite {
			mode += ", mid-write (temp file present)"
			run.waitTempFile(t)
		}
		if err := cmd.Process.Kill(); err != nil {
			t.Fatal(err)
		}
		killed := time.Now()
		_ = cmd.Wait()
		stop()
		run.markSurvivors(killed)
		t.Logf("round %d: SIGKILL %s; %d entries served by this daemon, %d must survive", round, mode, len(run.seen), len(run.mustKeep))
	}
	cmd, addr, logs := startBinary(t, bin, cfgPath)
	run.checkRestored(t, len(kills), addr, logs)
	_ = cmd.Process.Kill()
	if strings.Contains(logs.String(), "temp file of an interrupted snapshot") {
		interrupted++
	}
	t.Logf("%d of %d kills interrupted a snapshot write (its temp file was cleared at the restart)", interrupted, len(kills))
	if len(run.mustKeep) < 5 {
		t.Errorf("only %d entries were old enough at a kill to be checked; the test proves little", len(run.mustKeep))
	}
}

// watch records the titles the daemon serves until the returned stop is
// called.
func (r *crashRun) watch(addr string) (stop func()) {
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		for {
			select {
			case <-done:
				return
			case <-time.After(50 * time.Millisecond):
			}
			titles, err := fetchTitles(addr, "crash")
			if err != nil {
				continue // the daemon was killed mid-request
			}
			now := time.Now()
			r.mu.Lock()
			for title := range titles {
				if _, ok := r.seen[title]; !ok {
					r.seen[title] = now
				}
			}
			r.mu.Unlock()
		}
	})
	return func() { close(done); wg.Wait() }
}

// markSurvivors marks the entries the killed daemon served at least one
// interval plus slack before the kill: the snapshot must hold them, and
// every later one too.
func (r *crashRun) markSurvivors(killed time.Time) {
	for title, at := range r.seen {
		if !at.After(killed.Add(-crashInterval - crashSlack)) {
			r.mustKeep[title] = at
		}
	}
}

// waitTempFile waits for a snapshot temp file to exist.
func (r *crashRun) waitTempFile(t *testing.T) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if tmp, _ := filepath.Glob(filepath.Join(r.dir, "*.tmp-*")); len(tmp) > 0 {
			return
		}
	}
	t.Fatal("no snapshot temp file seen within 20s")
}

// checkRestored asserts the restarted daemon loaded its snapshot cleanly
// and serves every entry that must have survived.
func (r *crashRun) checkRestored(t *testing.T, round int, addr string, logs *syncBuffer) {
	t.Helper()
	if l := logs.String(); strings.Contains(l, "level=ERROR") || (round > 0 && !strings.Contains(l, "snapshot restored")) {
		t.Fatalf("round %d: snapshot not restored cleanly:\n%s", round, l)
	}
	if aside, _ := filepath.Glob(filepath.Join(r.dir, "*.corrupt-*")); len(aside) > 0 {
		t.Fatalf("round %d: corrupt snapshot set aside: %v", round, aside)
	}
	if tmp, _ := filepath.Glob(filepath.Join(r.dir, "*.tmp-*")); len(tmp) > 0 {
		t.Errorf("round %d: temp files of killed writes left after start: %v", round, tmp)
	}
	titles, err := fetchTitles(addr, "crash")
	if err != nil {
		t.Fatalf("round %d: %v", round, err)
	}
	for title, at := range r.mustKeep {
		if !titles[title] {
			t.Errorf("round %d: %q (served at %s) lost by a crash", round, title, at.Format("15:04:05.000"))
		}
	}
}

// fetchTitles returns the titles a section serves.
func fetchTitles(addr, section string) (map[string]bool, error) {
	resp, err := http.Get("http://" + addr + "/sections/" + section + ".json")
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%s.json: %s", section, resp.Status)
	}
	var feed struct {
		Items []struct {
			Title string `json:"title"`
		} `json:"items"`
	}
	if err := json.Unmarshal(body, &feed); err != nil {
		return nil, fmt.Errorf("%s.json: %w", section, err)
	}
	titles := make(map[string]bool, len(feed.Items))
	for _, it := range feed.Items {
		titles[it.Title] = true
	}
	return titles, nil
}

// writeCrashConfig is a config polling one source every second on the
// embedded store, snapshotting every crashInterval.
func writeCrashConfig(t *testing.T, dir, url string) string {
	t.Helper()
	cfg := fmt.Sprintf(`listen: 127.0.0.1:0
storage:
  snapshot: %s
  snapshot_interval: %s
defaults:
  schedule: "@every 1s"
sections:
  - id: crash
    max_items: 500
    sources:
      - url: %s
`, filepath.Join(dir, "tributary.snapshot"), crashInterval, url)
	path := filepath.Join(dir, "tributary.yaml")
	if err := os.WriteFile(path, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}
