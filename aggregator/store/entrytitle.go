package store

import (
	"context"
	"fmt"
)

// EntryTitle returns the title of the stored entry id, and false when no
// entry id is stored (it aged out, or never was). The audit log records
// it with an action on the entry, so the log still names the entry once
// it is gone.
func (s *Store) EntryTitle(ctx context.Context, id string) (string, bool, error) {
	loaded, err := s.loadEntries(ctx, []string{id})
	if err != nil {
		return "", false, fmt.Errorf("read entry %s: %w", id, err)
	}
	if loaded[0] == nil {
		return "", false, nil
	}
	return loaded[0].Title, true, nil
}
