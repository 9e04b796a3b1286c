package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"

	"github.com/tributary-rss/tributary/aggregator/config"
	"github.com/tributary-rss/tributary/aggregator/config/reload"
)

func cmdRun(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfgPath := fs.String("config", "", "config file (default $TRIBUTARY_CONFIG, else ./tributary.yaml)")
	listen := fs.String("listen", "", "HTTP listen address, overrides the config and $TRIBUTARY_LISTEN")
	roleFlag := fs.String("role", "all", "all: poll and serve; poll: poll, serve only /healthz, /readyz, /metrics; serve: serve, never poll")
	fs.Usage = func() {
		fmt.Fprint(stderr, "Usage: tributary run [--config FILE] [--listen ADDR] [--role all|poll|serve]\n\nPolls every configured source and serves the merged section feeds until\nSIGINT or SIGTERM, then finishes in-flight work and exits 0. SIGHUP, or a\nchange of the config file, reloads its sections and sources. With a shared\nRedis, pollers (--role poll) and frontends (--role serve) scale apart.\n\nExamples:\n  tributary run --config deploy/tributary.example.yaml\n  TRIBUTARY_REDIS_URL=redis://127.0.0.1:6379/0 tributary run --listen :8080\n  tributary run --config /etc/tributary/tributary.yaml --role serve\n\nFlags:\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return flagExit(err)
	}
	rl, err := parseRole(*roleFlag)
	if err != nil {
		fmt.Fprintln(stderr, "tributary run:", err)
		return exitUsage
	}
	// --listen goes through the config's own override path, so it is
	// validated and a defaulted base_url follows it.
	getenv := func(k string) string {
		if k == "TRIBUTARY_LISTEN" && *listen != "" {
			return *listen
		}
		return os.Getenv(k)
	}
	cfg, err := config.Load(configPath(*cfgPath), getenv)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return exitError
	}
	logger := newConfigLogger(stderr, cfg.Log)
	hooks := daemonHooks{role: rl, reload: reload.Options{Path: configPath(*cfgPath), Getenv: getenv}}
	if err := runDaemon(ctx, cfg, logger, hooks); err != nil {
		logger.Error("tributary stopped", "err", err)
		return exitError
	}
	return exitOK
}

// newLogger logs text to w at info, or at the level named by
// $TRIBUTARY_LOG_LEVEL (debug, info, warn, error).
func newLogger(w io.Writer) *slog.Logger {
	var level slog.Level
	if err := level.UnmarshalText([]byte(strings.TrimSpace(os.Getenv("TRIBUTARY_LOG_LEVEL")))); err != nil {
		level = slog.LevelInfo
	}
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: level}))
}
