package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"embed"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"os"
	"path"
	"strings"
	"text/template"

	"github.com/tributary-rss/tributary/aggregator/config"
	"github.com/tributary-rss/tributary/publish"
)

// demoFiles are the sample sources: a portal's member feeds in UTF-8 and
// GBK (one declaring it in the XML prolog, one only in Content-Type), an
// Atom feed, a JSON Feed and an English RSS feed.
//
//go:embed demo
var demoFiles embed.FS

// demoContentTypes is what the demo server sends per file. member-c's
// charset is given only here, as many Chinese CMSs do.
var demoContentTypes = map[string]string{
	"member-a.xml":     "application/rss+xml; charset=utf-8",
	"member-b-gbk.xml": "application/xml",
	"member-c-gbk.xml": "text/xml; charset=gb2312",
	"hot.atom":         "application/atom+xml",
	"world.json":       "application/feed+json",
	"tech.xml":         "application/rss+xml",
	// A member feed the config leaves out, for the console's add flow.
	"member-d.xml": "application/rss+xml; charset=utf-8",
	// A school with no feed: a CMS list page and its article pages.
	"school.html":   "text/html; charset=utf-8",
	"school-1.html": "text/html; charset=utf-8",
	"school-2.html": "text/html; charset=utf-8",
}

func cmdDemo(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	fs.SetOutput(stderr)
	listen := fs.String("listen", "127.0.0.1:8080", "HTTP listen address of the daemon")
	fs.Usage = func() {
		fmt.Fprint(stderr, "Usage: tributary demo [--listen ADDR]\n\nStarts sample sources on a loopback port and the daemon against them,\nwith the embedded store: merged sections appear within seconds, no\nnetwork or Redis needed. Pages are in Chinese. The console (token\nprinted at start) may add the sample server's feeds, such as\nmember-d.xml, and no other local address.\n\nExample:\n  tributary demo --listen 127.0.0.1:8080\n\nFlags:\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return flagExit(err)
	}
	origin, stopSources, err := startDemoSources()
	if err != nil {
		fmt.Fprintln(stderr, "demo:", err)
		return exitError
	}
	defer stopSources()
	cfg, err := demoConfig(origin, *listen)
	if err != nil {
		fmt.Fprintln(stderr, "demo:", err)
		return exitError
	}
	// The console is part of what a newcomer tries: the demo turns it on
	// with a token of its own, printed once, good for this run only.
	if cfg.Admin.Token, err = demoToken(); err != nil {
		fmt.Fprintln(stderr, "demo:", err)
		return exitError
	}
	logger := newLogger(stderr)
	hooks := daemonHooks{onListen: func(addr net.Addr) {
		base := "http://" + addr.String()
		fmt.Fprintf(stdout, "Tributary demo: sample sources at %s\n\n  sections   %s/\n", origin, base)
		for _, s := range cfg.SectionConfigs {
			fmt.Fprintf(stdout, "  %-10s %s/sections/%s.atom  (.rss .json)\n", s.ID, base, s.ID)
		}
		fmt.Fprintf(stdout, "\n  console    %s/admin  (sign in with the token %s; /status needs it too)\n", base, cfg.Admin.Token)
		fmt.Fprintf(stdout, "  try        adding %s/member-d.xml in the console (添加来源): the demo's sources may be added, no other local address\n", origin)
		fmt.Fprintln(stdout, "\nPress Ctrl-C to stop.")
	}}
	if err := runDaemon(ctx, cfg, logger, hooks); err != nil {
		logger.Error("demo stopped", "err", err)
		return exitError
	}
	return exitOK
}

// demoToken is a random admin token for one demo run.
func demoToken() (string, error) {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("admin token: %w", err)
	}
	return "demo-" + hex.EncodeToString(b), nil
}

// startDemoSources serves the embedded sample feeds on a free loopback port.
func startDemoSources() (origin string, stop func(), err error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, fmt.Errorf("sample sources: %w", err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{file}", func(w http.ResponseWriter, r *http.Request) {
		name := r.PathValue("file")
		ct, ok := demoContentTypes[name]
		if !ok {
			http.NotFound(w, r)
			return
		}
		body, err := demoFiles.ReadFile(path.Join("demo", name))
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", ct)
		w.Write(body)
	})
	srv := publish.NewHTTPServer(mux)
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			fmt.Fprintln(os.Stderr, "demo sources:", err)
		}
	}()
	return "http://" + ln.Addr().String(), func() { srv.Close() }, nil
}

// listenerOf is the address and port of an http://IP:PORT origin.
func listenerOf(origin string) (netip.AddrPort, error) {
	u, err := url.Parse(origin)
	if err != nil {
		return netip.AddrPort{}, fmt.Errorf("sample sources: %w", err)
	}
	ap, err := netip.ParseAddrPort(u.Host)
	if err != nil {
		return netip.AddrPort{}, fmt.Errorf("sample sources at %s: %w", origin, err)
	}
	return ap, nil
}

// demoConfig renders the demo config and loads it through the normal
// validator, so the demo exercises the same path as a real config.
func demoConfig(origin, listen string) (*config.Config, error) {
	raw, err := demoFiles.ReadFile("demo/demo.yaml.tmpl")
	if err != nil {
		return nil, err
	}
	tmpl, err := template.New("demo").Parse(string(raw))
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := tmpl.Execute(&buf, map[string]string{"Origin": origin, "Listen": listen}); err != nil {
		return nil, err
	}
	cfg, err := config.Parse("demo.yaml", buf.Bytes(), func(k string) string {
		if strings.HasPrefix(k, "TRIBUTARY_") {
			return "" // the demo ignores the operator's environment
		}
		return os.Getenv(k)
	})
	if err != nil {
		return nil, err
	}
	cfg.Storage.Snapshot = "" // the demo keeps nothing between runs
	// The console's add flow refuses loopback addresses (the SSRF
	// guard), and every sample lives on loopback: the demo lets sources
	// added through the console or the admin API reach its own sample
	// server, that address and port only. It is no allow_private: any
	// other loopback or private listener is still refused.
	ap, err := listenerOf(origin)
	if err != nil {
		return nil, err
	}
	cfg.Fetch.AllowListeners = []netip.AddrPort{ap}
	return cfg, nil
}
