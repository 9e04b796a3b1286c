package store

import (
	"log/slog"
	"os"
	"path/filepath"
)

// removeStaleTemps deletes the temp files of snapshot writes a crash cut
// short ("<path>.tmp-*"). Startup never reads them, but each SIGKILL
// mid-write would otherwise leave one more snapshot-sized file behind.
// Only this process writes the snapshot, so none of them is in use.
func removeStaleTemps(path string, logger *slog.Logger) {
	if path == "" {
		return
	}
	// Glob fails only on a malformed pattern; escape the path's own
	// metacharacters so it cannot.
	stale, _ := filepath.Glob(escapeGlob(path) + ".tmp-*")
	for _, tmp := range stale {
		if err := os.Remove(tmp); err != nil {
			logger.Warn("cannot remove a stale snapshot temp file", "path", tmp, "error", err)
			continue
		}
		logger.Info("removed the temp file of an interrupted snapshot", "path", tmp)
	}
}

// escapeGlob quotes the characters filepath.Match treats specially.
func escapeGlob(s string) string {
	var out []rune
	for _, r := range s {
		switch r {
		case '*', '?', '[', ']', '\\':
			out = append(out, '\\')
		}
		out = append(out, r)
	}
	return string(out)
}
