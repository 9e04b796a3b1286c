// Package store owns everything Tributary keeps in Redis: the key schema
// (keys.go), ingesting normalized entries into entry keys and source and
// section indexes, reading sections back newest first, per-source polling
// state and the section-changed event channel (the due set that schedules
// polls across instances is package scheduler/dueset's). It also owns the
// embedded default backend, an in-process miniredis persisted to a snapshot
// file.
//
// Every operation touches one key per command or transaction, and a script
// only keys that share a hash tag (a section's set and its dedup hash, both
// tagged {section id}), so the same code runs against a single
// redis-server, miniredis or Redis Cluster.
// Consistency comes from ordering instead of transactions: an entry is
// written before it is indexed, an index is trimmed before its entries are
// deleted, and readers skip index members whose entry is missing.
//
// The package never fetches, parses or renders feeds and never imports the
// fetch or publish packages; it only stores what it is given. Section
// policy — which entries a section admits, dedup keys, age and size limits,
// the rules fingerprint — is decided by package curate; the store applies
// those decisions in its scripts.
package store

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/redis/go-redis/v9"
)

// Store reads and writes Tributary's data in Redis. It is safe for
// concurrent use; it holds no state beyond the client.
type Store struct {
	client  redis.UniversalClient
	keys    Keys
	logger  *slog.Logger
	section *redis.Script
	// writes carries the polls' state writes (see groupCommit).
	writes *groupCommit
}

// New returns a Store using client with keys starting with prefix
// (DefaultPrefix when empty). A nil logger discards logs.
func New(client redis.UniversalClient, prefix string, logger *slog.Logger) *Store {
	if prefix == "" {
		prefix = DefaultPrefix
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &Store{
		client:  client,
		keys:    Keys{Prefix: prefix},
		logger:  logger,
		section: redis.NewScript(sectionIndexScript),
		writes:  &groupCommit{},
	}
}

// Client returns the Redis client the store uses.
func (s *Store) Client() redis.UniversalClient {
	return s.client
}

// Keys returns the key schema the store uses.
func (s *Store) Keys() Keys {
	return s.keys
}

// Ping checks that Redis answers.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.client.Ping(ctx).Err(); err != nil {
		return fmt.Errorf("ping redis: %w", err)
	}
	return nil
}
