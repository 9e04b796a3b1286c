package main

import (
	"io"
	"log/slog"
	"os"
	"strings"

	"github.com/tributary-rss/tributary/aggregator/config"
)

// newConfigLogger logs to w as the config's log section says: text (the
// default) or JSON, at log.level; $TRIBUTARY_LOG_LEVEL, when set to a
// valid level, overrides the file (handy for one debug run).
func newConfigLogger(w io.Writer, lc config.LogConfig) *slog.Logger {
	level := lc.SlogLevel()
	if env := strings.TrimSpace(os.Getenv("TRIBUTARY_LOG_LEVEL")); env != "" {
		var l slog.Level
		if err := l.UnmarshalText([]byte(env)); err == nil {
			level = l
		}
	}
	opts := &slog.HandlerOptions{Level: level}
	if lc.Format == config.LogFormatJSON {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}
