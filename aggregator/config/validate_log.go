package config

import (
	"fmt"
	"log/slog"
)

// Log formats accepted by log.format.
const (
	LogFormatText = "text"
	LogFormatJSON = "json"
)

// DefaultLogLevel is used when log.level is empty.
const DefaultLogLevel = "info"

// LogConfig configures the daemon's log/slog output.
type LogConfig struct {
	// Format is "text" (the default: logfmt-like lines for a terminal or
	// journald) or "json" (one object per line, for log shippers).
	Format string `yaml:"format"`
	// Level is debug, info, warn or error (default info). At debug every
	// poll logs a line; failures log at warn.
	Level string `yaml:"level"`
}

// SlogLevel is Level as a slog.Level; an empty Level is info.
func (l LogConfig) SlogLevel() slog.Level {
	var level slog.Level
	if err := level.UnmarshalText([]byte(l.Level)); err != nil {
		return slog.LevelInfo
	}
	return level
}

func (v *validator) logging(l *LogConfig) {
	if v.filled(&l.Format) && l.Format != LogFormatText && l.Format != LogFormatJSON {
		v.check(&l.Format, "format", fmt.Errorf(`must be "text" or "json", got %q`, l.Format))
	}
	if v.filled(&l.Level) {
		var level slog.Level
		if err := level.UnmarshalText([]byte(l.Level)); err != nil {
			v.check(&l.Level, "level", fmt.Errorf("must be debug, info, warn or error, got %q", l.Level))
		}
	}
}
