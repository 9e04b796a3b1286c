package browsertest

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// tributaryBinary builds the tributary command once per test binary
// (TestMain sets it up with the directory the binary goes in).
var tributaryBinary func() (string, error)

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "tributary-browsertest-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "browsertest:", err)
		os.Exit(1)
	}
	// Built on first use: without chromium every test skips before it.
	tributaryBinary = sync.OnceValues(func() (string, error) { return buildTributary(dir) })
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// buildTributary compiles ../, the tributary command, into dir. It builds
// in that directory, so the binary is the one `go build ./cmd/tributary`
// makes (with the main module's requirements, or the workspace's), not
// one linked against this module's.
func buildTributary(dir string) (string, error) {
	gobin, err := exec.LookPath("go")
	if err != nil {
		return "", fmt.Errorf("find the go tool to build tributary: %w", err)
	}
	bin := filepath.Join(dir, "tributary")
	args := []string{"build", "-o", bin}
	if raceDetector {
		args = append(args, "-race")
	}
	cmd := exec.Command(gobin, append(args, ".")...)
	cmd.Dir = ".."
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go %s in ..: %w\n%s", strings.Join(args, " "), err, out)
	}
	return bin, nil
}

// daemonConfig is what a test chooses of the daemon's config file. The
// rest is fixed: a free loopback port, the embedded store (no Redis)
// with its snapshot in the test's temp dir, hourly polls, and one
// section, news (资讯), holding sources.
type daemonConfig struct {
	baseURL string
	sources []string
	admin   string // the admin: section, "" for none
}

// yaml is c as a config file whose snapshot goes in dir.
func (c daemonConfig) yaml(dir string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "listen: 127.0.0.1:0\nbase_url: %s\nstorage:\n  snapshot: %s\n  snapshot_interval: 1h\n",
		c.baseURL, filepath.Join(dir, "tributary.snapshot"))
	b.WriteString("defaults:\n  schedule: \"@every 1h\"\n  timezone: Asia/Shanghai\n  max_items: 50\n")
	b.WriteString("sections:\n  - id: news\n    title: 资讯\n    sources:\n")
	for _, u := range c.sources {
		fmt.Fprintf(&b, "      - url: %s\n", u)
	}
	b.WriteString(c.admin)
	return b.String()
}

// daemon is one `tributary run` started by a test.
type daemon struct {
	base   string // http://127.0.0.1:port
	cmd    *exec.Cmd
	logs   *logLines
	exited chan error // receives cmd.Wait's result once
}

// startDaemon writes c to a file, runs `tributary run` on it, and
// returns once the daemon serves and answers /readyz. It is stopped with
// SIGTERM in Cleanup and must then exit 0 (a build with -race exits
// otherwise after reporting a race); its logs are printed if the test
// failed.
func startDaemon(t *testing.T, c daemonConfig) *daemon {
	t.Helper()
	bin, err := tributaryBinary()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "tributary.yaml")
	if err := os.WriteFile(path, []byte(c.yaml(dir)), 0o644); err != nil {
		t.Fatal(err)
	}
	d := &daemon{cmd: exec.Command(bin, "run", "--config", path), logs: newLogLines(), exited: make(chan error, 1)}
	d.cmd.Env = daemonEnv()
	d.cmd.Stdout, d.cmd.Stderr = d.logs, d.logs
	if err := d.cmd.Start(); err != nil {
		t.Fatalf("start tributary: %v", err)
	}
	go func() { d.exited <- d.cmd.Wait() }()
	t.Cleanup(func() { d.stop(t) })
	select {
	case addr := <-d.logs.serving:
		d.base = "http://" + addr
	case err := <-d.exited:
		d.exited <- err // for stop
		t.Fatalf("tributary exited before serving: %v\n%s", err, d.logs)
	case <-time.After(20 * time.Second):
		t.Fatalf("tributary logged no serving line within 20s:\n%s", d.logs)
	}
	waitFor(t, "/readyz to answer 200", 20*time.Second, func() bool {
		resp, err := http.Get(d.base + "/readyz")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	})
	return d
}

// daemonEnv is the test's environment without TRIBUTARY_* variables,
// which would override the config file (its store, its port, its log
// level and so the serving line).
func daemonEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "TRIBUTARY_") {
			env = append(env, kv)
		}
	}
	return env
}

// stop sends SIGTERM and waits for a clean exit.
func (d *daemon) stop(t *testing.T) {
	if err := d.cmd.Process.Signal(syscall.SIGTERM); err != nil && !errors.Is(err, os.ErrProcessDone) {
		t.Errorf("SIGTERM to tributary: %v", err)
	}
	select {
	case err := <-d.exited:
		if err != nil {
			t.Errorf("tributary exited with %v", err)
		}
	case <-time.After(20 * time.Second):
		_ = d.cmd.Process.Kill()
		t.Errorf("tributary did not exit within 20s of SIGTERM")
	}
	if t.Failed() {
		t.Logf("tributary's logs:\n%s", d.logs)
	}
}

// get fetches path from the daemon with the headers given ("k", "v",
// …), without transparent gzip, and fails t unless it gets an answer.
func (d *daemon) get(t *testing.T, path string, header ...string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, d.base+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	return resp, body
}

// servingAddr finds the address in the daemon's "serving" log line
// (text format, the default).
var servingAddr = regexp.MustCompile(`msg=serving addr=(\S+)`)

// logLines keeps what the daemon writes and reports the address of its
// serving line once.
type logLines struct {
	mu      sync.Mutex
	buf     bytes.Buffer
	serving chan string
	found   bool
}

func newLogLines() *logLines { return &logLines{serving: make(chan string, 1)} }

func (l *logLines) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.buf.Write(p)
	if !l.found {
		if m := servingAddr.FindSubmatch(l.buf.Bytes()); m != nil {
			l.found = true
			l.serving <- string(m[1])
		}
	}
	return len(p), nil
}

func (l *logLines) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// serveFixture serves a file of the command's testdata as a feed, with
// each key of replace in it replaced by its value.
func serveFixture(t *testing.T, file, contentType string, replace map[string]string) *httptest.Server {
	t.Helper()
	body, err := os.ReadFile(filepath.Join("..", "testdata", file))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range replace {
		body = bytes.ReplaceAll(body, []byte(k), []byte(v))
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", contentType)
		w.Write(body)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// waitFor polls cond until it holds, failing t after timeout.
func waitFor(t *testing.T, what string, timeout time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("waited %v for %s", timeout, what)
		}
		time.Sleep(50 * time.Millisecond) // the poll interval of this wait
	}
}
