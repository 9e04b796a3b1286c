// Package console keeps the admin console's state in Redis: sessions
// (by the hash of their id), the audit log, and the count and aggregate
// records of failed admin-token checks that every instance's limit reads.
// Its keys are built by store.Keys, beside every other key.
//
// It never touches entries, sources or the schedule.
package console

import (
	"log/slog"

	"github.com/redis/go-redis/v9"

	"github.com/tributary-rss/tributary/aggregator/store"
)

// Store reads and writes the console's state. It is safe for concurrent
// use; it holds no state beyond the client.
type Store struct {
	client redis.UniversalClient
	keys   store.Keys
	logger *slog.Logger
}

// New returns a Store using client with keys; a nil logger discards logs.
func New(client redis.UniversalClient, keys store.Keys, logger *slog.Logger) *Store {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &Store{client: client, keys: keys, logger: logger}
}

// truncateUTF8 cuts s to at most n bytes without splitting a rune, marking
// the cut with an ellipsis.
func truncateUTF8(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && s[cut]&0xC0 == 0x80 {
		cut--
	}
	return s[:cut] + "…"
}
