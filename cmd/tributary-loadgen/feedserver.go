package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"hash/fnv"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"time"
)

// feedServer serves the synthetic feeds. It runs in a child process so the
// CPU time and memory measured in the parent are the pipeline's alone.
type feedServer struct {
	mu         sync.RWMutex
	bodies     [][]byte
	versions   []int
	validators bool
	// only304 answers every feed 304 Not Modified and builds no bodies:
	// the scheduler harness measures the steady state of N unchanged
	// sources, and 100k bodies would take gigabytes.
	only304 bool
	n       int
}

func newFeedServer(n int, only304 bool) *feedServer {
	s := &feedServer{versions: make([]int, n), validators: true, only304: only304, n: n}
	if only304 {
		return s
	}
	s.bodies = make([][]byte, n)
	for i := range n {
		s.bodies[i] = feedBody(i, 0)
	}
	return s
}

func (s *feedServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/control" {
		s.control(w, r)
		return
	}
	i, err := strconv.Atoi(strings.TrimPrefix(r.URL.Path, "/feed/"))
	if s.only304 {
		if err != nil || i < 0 || i >= s.n {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("ETag", fmt.Sprintf(`"%d-0"`, i))
		w.WriteHeader(http.StatusNotModified)
		return
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err != nil || i < 0 || i >= len(s.bodies) {
		http.NotFound(w, r)
		return
	}
	etag := fmt.Sprintf(`"%d-%d"`, i, s.versions[i])
	if s.validators {
		if r.Header.Get("If-None-Match") == etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", etag)
		w.Header().Set("Last-Modified", time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(s.versions[i])*time.Hour).Format(http.TimeFormat))
	}
	ctype := "application/rss+xml; charset=utf-8"
	if i%2 == 1 {
		ctype = "application/atom+xml; charset=utf-8"
	}
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Content-Length", strconv.Itoa(len(s.bodies[i])))
	_, _ = w.Write(s.bodies[i])
}

// control sets the validators mode and changes a share of the feeds:
// /control?validators=on|off&change=0.1&round=3.
func (s *feedServer) control(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	share, _ := strconv.ParseFloat(q.Get("change"), 64)
	round := q.Get("round")
	s.mu.Lock()
	defer s.mu.Unlock()
	s.validators = q.Get("validators") != "off"
	changed := 0
	for i := range s.bodies {
		if share > 0 && pick(i, round) < share {
			s.versions[i]++
			s.bodies[i] = feedBody(i, s.versions[i])
			changed++
		}
	}
	fmt.Fprintf(w, "%d\n", changed)
}

// pick maps (feed, round) to [0, 1) so each round changes a different share.
func pick(i int, round string) float64 {
	h := fnv.New64a()
	fmt.Fprintf(h, "%d/%s", i, round)
	return float64(h.Sum64()%10000) / 10000
}

// serveMain is the child: it prints its address and serves until stdin
// closes (the parent exited).
func serveMain(args []string) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	n := fs.Int("n", 1000, "feeds")
	only304 := fs.Bool("only304", false, "answer every feed 304 Not Modified")
	if err := fs.Parse(args); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: newFeedServer(*n, *only304), ReadHeaderTimeout: 10 * time.Second}
	fmt.Println(ln.Addr().String())
	go func() {
		_, _ = io.Copy(io.Discard, os.Stdin)
		_ = srv.Close()
	}()
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// feedChild is the running child process.
type feedChild struct {
	cmd   *exec.Cmd
	stdin io.Closer
	addr  string
}

func startFeedChild(ctx context.Context, n int, extra ...string) (*feedChild, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, err
	}
	cmd := exec.CommandContext(ctx, exe, append([]string{"serve", "-n", strconv.Itoa(n)}, extra...)...)
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start feed server: %w", err)
	}
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		_ = cmd.Process.Kill()
		return nil, fmt.Errorf("feed server address: %w", err)
	}
	return &feedChild{cmd: cmd, stdin: stdin, addr: strings.TrimSpace(line)}, nil
}

func (c *feedChild) control(validators bool, change float64, round int) (int, error) {
	mode := map[bool]string{true: "on", false: "off"}[validators]
	resp, err := http.Get(fmt.Sprintf("http://%s/control?validators=%s&change=%g&round=%d", c.addr, mode, change, round))
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return strconv.Atoi(strings.TrimSpace(string(b)))
}

func (c *feedChild) stop() {
	_ = c.stdin.Close()
	_ = c.cmd.Wait()
}
