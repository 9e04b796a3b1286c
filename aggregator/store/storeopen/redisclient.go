package storeopen

import (
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net/url"

	"github.com/redis/go-redis/v9"

	"github.com/tributary-rss/tributary/aggregator/config"
)

// NewRedisClient returns a client for the Redis the config names: redis.url,
// or redis.addrs as one Redis, a Cluster (redis.cluster) or a
// Sentinel-managed master (redis.master_name). It must not be called for
// the embedded store. It logs the mode chosen, never a password.
func NewRedisClient(r config.RedisConfig, logger *slog.Logger) (redis.UniversalClient, error) {
	if r.URL != "" {
		opt, err := redis.ParseURL(r.URL)
		var urlErr *url.Error
		if errors.As(err, &urlErr) {
			// net/url quotes the whole URL, password and all.
			return nil, fmt.Errorf("redis.url: not a valid URL")
		}
		if err != nil {
			return nil, fmt.Errorf("redis.url: %w", err)
		}
		if err := withTLS(&opt.TLSConfig, r); err != nil {
			return nil, err
		}
		logger.Info("using redis", "mode", config.RedisURL, "addr", opt.Addr, "db", opt.DB, "tls", opt.TLSConfig != nil)
		return redis.NewClient(opt), nil
	}
	if len(r.Addrs) == 0 {
		return nil, fmt.Errorf("redis: neither url nor addrs is set")
	}
	opt := universalOptions(r)
	if err := withTLS(&opt.TLSConfig, r); err != nil {
		return nil, err
	}
	logger.Info("using redis", "mode", r.Mode(), "addrs", r.Addrs, "master_name", r.MasterName,
		"username", r.Username, "password_set", r.Password != "", "db", r.DB, "tls", opt.TLSConfig != nil)
	return redis.NewUniversalClient(opt), nil
}

// withTLS applies redis.tls to the client's TLS configuration. A rediss://
// URL's own configuration keeps its server name (the URL's host) unless
// tls.server_name replaces it.
func withTLS(dst **tls.Config, r config.RedisConfig) error {
	cfg, err := r.ClientTLS()
	if err != nil || cfg == nil {
		return err
	}
	if *dst != nil && cfg.ServerName == "" {
		cfg.ServerName = (*dst).ServerName
	}
	*dst = cfg
	return nil
}

// universalOptions maps the config onto go-redis's UniversalOptions so that
// NewUniversalClient picks the configured kind of client: MasterName gives
// a Sentinel-backed failover client, IsClusterMode a ClusterClient even for
// a single seed address, and otherwise the one address a plain client
// (validation refuses several addresses without cluster or master_name,
// which go-redis would silently treat as a Cluster).
func universalOptions(r config.RedisConfig) *redis.UniversalOptions {
	opt := &redis.UniversalOptions{
		Addrs:    r.Addrs,
		Username: r.Username,
		Password: r.Password,
	}
	switch r.Mode() {
	case config.RedisCluster:
		opt.IsClusterMode = true
	case config.RedisSentinel:
		opt.MasterName = r.MasterName
		opt.SentinelPassword = r.SentinelPassword
		opt.DB = r.DB
	default:
		opt.DB = r.DB
	}
	return opt
}
