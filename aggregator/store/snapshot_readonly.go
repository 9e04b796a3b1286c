package store

import (
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"time"
)

// OpenSnapshot starts an embedded store holding the keys of the snapshot
// at path (none when it does not exist yet) that never writes a snapshot:
// for commands that only read, such as `tributary sources`, which may
// run beside the daemon that owns the file. A corrupt snapshot is an
// error here, and is left where it is for the daemon to deal with.
func OpenSnapshot(path string, logger *slog.Logger) (*Embedded, error) {
	e, err := StartEmbedded("", logger)
	if err != nil {
		return nil, err
	}
	data, err := os.ReadFile(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return e, nil
	case err != nil:
		e.Close()
		return nil, fmt.Errorf("read snapshot: %w", err)
	}
	body, err := decodeSnapshot(data)
	if err == nil {
		err = restoreKeys(e.mr, body, time.Now())
	}
	if err != nil {
		e.Close()
		return nil, fmt.Errorf("read snapshot %s: %w", path, err)
	}
	return e, nil
}
