package storeopen

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/tributary-rss/tributary/aggregator/config"
	"github.com/tributary-rss/tributary/aggregator/scheduler/dueset"
	"github.com/tributary-rss/tributary/aggregator/store"
)

// Open connects to the configured Redis (see NewRedisClient), or starts
// the embedded store (restored from, and snapshotted to,
// storage.snapshot) when neither redis.url nor redis.addrs is set. The
// returned func closes it; for the embedded store it writes the final
// snapshot.
func Open(cfg *config.Config, logger *slog.Logger) (*store.Store, func(), error) {
	redis.SetLogger(redisLogger{logger}) // go-redis only offers a process-wide logger
	if cfg.Redis.Mode() != config.RedisEmbedded {
		client, err := NewRedisClient(cfg.Redis, logger)
		if err != nil {
			return nil, nil, err
		}
		return store.New(client, cfg.Redis.Prefix, logger), func() { client.Close() }, nil
	}
	emb, err := store.StartEmbedded(cfg.Storage.Snapshot, logger)
	if err != nil {
		return nil, nil, fmt.Errorf("embedded store: %w", err)
	}
	if err := emb.RestoreError(); err != nil {
		logger.Error("embedded store: snapshot not restored; starting empty (the bad file is kept aside)", "err", err)
	}
	client := redis.NewClient(emb.ClientOptions())
	snapCtx, stopSnap := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	if cfg.Storage.Snapshot != "" {
		wg.Go(func() { emb.Run(snapCtx, time.Duration(cfg.Storage.SnapshotInterval)) })
	}
	closeFn := func() {
		stopSnap()
		wg.Wait() // the periodic writer must be done before the final snapshot
		client.Close()
		if err := emb.Close(); err != nil {
			logger.Error("embedded store: final snapshot", "err", err)
		}
	}
	logger.Info("using the embedded store", "snapshot", cfg.Storage.Snapshot)
	st := store.New(client, cfg.Redis.Prefix, logger)
	// A snapshot written while a poll ran holds its claim; after a crash
	// no poll holds it, and its source would wait for the claim's deadline.
	if n, err := dueset.New(client, cfg.Redis.Prefix, cfg.Scheduler.Shards).ClearClaims(context.Background()); err != nil {
		logger.Warn("embedded store: release restored poll claims", "err", err)
	} else if n > 0 {
		logger.Info("embedded store: released poll claims restored from the snapshot", "claims", n)
	}
	return st, closeFn, nil
}

// OpenReadOnly is Open for commands that only read. The embedded store
// is restored from the snapshot and never written back, so such a
// command runs beside the daemon that owns the file and cannot overwrite
// its newer snapshot with an older copy.
func OpenReadOnly(cfg *config.Config, logger *slog.Logger) (*store.Store, func(), error) {
	if cfg.Redis.Mode() != config.RedisEmbedded {
		return Open(cfg, logger)
	}
	redis.SetLogger(redisLogger{logger})
	emb, err := store.OpenSnapshot(cfg.Storage.Snapshot, logger)
	if err != nil {
		return nil, nil, fmt.Errorf("embedded store: %w", err)
	}
	client := redis.NewClient(emb.ClientOptions())
	return store.New(client, cfg.Redis.Prefix, logger), func() { client.Close(); emb.Close() }, nil
}

// redisLogger routes go-redis's own messages (dial errors, reconnects)
// through slog instead of its default writes to stderr.
type redisLogger struct{ l *slog.Logger }

func (r redisLogger) Printf(ctx context.Context, format string, v ...any) {
	r.l.WarnContext(ctx, "redis: "+fmt.Sprintf(format, v...))
}
