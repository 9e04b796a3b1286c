// Command tributary-httpbench serves one 100-entry section from the render
// cache, for measuring the serving hot path against a bare net/http
// handler and nginx (see publish/loadtest/run.sh). With -bare it serves
// the same answers, headers and bytes, from a handler that does nothing
// but copy them from memory: the floor net/http sets for these answers.
// It also writes the exact bytes it serves, plain and gzip, to -out so
// nginx can serve the same bytes from static files.
//
// It is a load-test tool, not part of the daemon: no store, no polling.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/publish"
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "tributary-httpbench:", err)
		os.Exit(1)
	}
}

func run(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("tributary-httpbench", flag.ContinueOnError)
	listen := fs.String("listen", "127.0.0.1:8089", "listen address")
	out := fs.String("out", "", "directory to write the served bytes to (news.rss, news.rss.gz)")
	fixture := fs.String("fixture", "publish/testdata/news100.json", "the section to serve (the publish tests' fixture format)")
	bare := fs.Bool("bare", false, "serve the same answers from a bare net/http handler instead of Tributary")
	base := fs.String("base", "http://feeds.example.test", "base URL of self links (the same for every instance, so all serve the same bytes)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	r, err := loadReader(*fixture)
	if err != nil {
		return err
	}
	srv := publish.NewServer(r, publish.Options{
		BaseURL: *base, Sections: []model.Section{r.section}, Version: "bench",
		Logger: slog.New(slog.NewTextHandler(os.Stderr, nil)),
	})
	path := fmt.Sprintf("/sections/%s.rss?limit=%d", r.section.ID, len(r.entries))
	var handler http.Handler = srv
	if *bare {
		if handler, err = newBareHandler(srv, path); err != nil {
			return err
		}
	}
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		return err
	}
	hs := &http.Server{Handler: handler, ReadHeaderTimeout: 5 * time.Second, IdleTimeout: 120 * time.Second}
	go func() { _ = hs.Serve(ln) }()
	if *out != "" {
		if err := saveBodies(ln.Addr().String(), path, *out); err != nil {
			return err
		}
	}
	fmt.Fprintf(stdout, "serving http://%s%s\n", ln.Addr(), path)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	<-ctx.Done()
	return hs.Close()
}

// newBareHandler asks srv for path once per encoding and returns a handler
// answering every request with those answers' headers and bodies, picking
// gzip when Accept-Encoding mentions it.
func newBareHandler(srv http.Handler, path string) (http.Handler, error) {
	type answer struct {
		header http.Header
		body   []byte
	}
	var plain, gz answer
	for _, v := range []struct {
		enc string
		a   *answer
	}{{"identity", &plain}, {"gzip", &gz}} {
		req := httptest.NewRequest(http.MethodGet, path, nil)
		req.Header.Set("Accept-Encoding", v.enc)
		w := httptest.NewRecorder()
		srv.ServeHTTP(w, req)
		if w.Code != http.StatusOK {
			return nil, fmt.Errorf("render %s (%s): status %d", path, v.enc, w.Code)
		}
		*v.a = answer{w.Header().Clone(), w.Body.Bytes()}
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a := &plain
		if strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
			a = &gz
		}
		h := w.Header()
		for k, v := range a.header {
			h[k] = v
		}
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write(a.body)
	}), nil
}

// saveBodies fetches the plain and gzip renderings, which also warms the
// cache, and writes them for nginx.
func saveBodies(addr, path, dir string) error {
	for _, v := range []struct{ enc, file string }{{"identity", "news.rss"}, {"gzip", "news.rss.gz"}} {
		req, _ := http.NewRequest(http.MethodGet, "http://"+addr+path, nil)
		req.Header.Set("Accept-Encoding", v.enc)
		resp, err := http.DefaultTransport.RoundTrip(req)
		if err != nil {
			return err
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil || resp.StatusCode != http.StatusOK {
			return fmt.Errorf("warm %s: status %d, %v", v.enc, resp.StatusCode, err)
		}
		if err := os.WriteFile(filepath.Join(dir, v.file), body, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// memReader is a fixed section in memory.
type memReader struct {
	section model.Section
	meta    model.SectionMeta
	entries []model.Entry
}

// loadReader reads a section, its meta and its entries (newest first)
// from a JSON file.
func loadReader(path string) (*memReader, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("fixture: %w", err)
	}
	var fx struct {
		Section model.Section     `json:"section"`
		Meta    model.SectionMeta `json:"meta"`
		Entries []model.Entry     `json:"entries"`
	}
	if err := json.Unmarshal(data, &fx); err != nil {
		return nil, fmt.Errorf("fixture %s: %w", path, err)
	}
	if len(fx.Entries) == 0 || fx.Section.ID == "" {
		return nil, fmt.Errorf("fixture %s: no section or no entries", path)
	}
	return &memReader{section: fx.Section, meta: fx.Meta, entries: fx.Entries}, nil
}

func (r *memReader) SectionPage(_ context.Context, _ string, q model.PageQuery) (model.Page, error) {
	return model.Page{Entries: r.entries[:min(q.Limit, len(r.entries))]}, nil
}

func (r *memReader) SectionMeta(context.Context, string) (model.SectionMeta, error) {
	return r.meta, nil
}

func (r *memReader) SectionMetas(_ context.Context, ids []string) (map[string]model.SectionMeta, error) {
	out := make(map[string]model.SectionMeta, len(ids))
	for _, id := range ids {
		out[id] = r.meta
	}
	return out, nil
}
