package config

import (
	"fmt"
	"net"
	"strconv"
	"strings"
)

// Redis deployment modes, as RedisConfig.Mode names them.
const (
	RedisEmbedded = "embedded"
	RedisURL      = "url"
	RedisSingle   = "single"
	RedisCluster  = "cluster"
	RedisSentinel = "sentinel"
)

// Mode says which kind of Redis the config selects. It is meaningful on a
// validated config, where at most one of URL and Addrs is set.
func (r RedisConfig) Mode() string {
	switch {
	case r.URL != "":
		return RedisURL
	case len(r.Addrs) == 0:
		return RedisEmbedded
	case r.Cluster:
		return RedisCluster
	case r.MasterName != "":
		return RedisSentinel
	default:
		return RedisSingle
	}
}

// applyAddrsEnv lets TRIBUTARY_REDIS_ADDRS (comma-separated host:port)
// replace redis.addrs. Every element is recorded as coming from the
// variable so messages about one name it.
func applyAddrsEnv(c *Config, getenv func(string) string, fields map[any]fieldInfo, env map[any]string) {
	const name = "TRIBUTARY_REDIS_ADDRS"
	raw := getenv(name)
	if raw == "" {
		return
	}
	var addrs []string
	for a := range strings.SplitSeq(raw, ",") {
		if a = strings.TrimSpace(a); a != "" {
			addrs = append(addrs, a)
		}
	}
	c.Redis.Addrs = addrs
	fields[&c.Redis.Addrs] = fieldInfo{}
	env[&c.Redis.Addrs] = name
	for i := range c.Redis.Addrs {
		fields[&c.Redis.Addrs[i]] = fieldInfo{}
		env[&c.Redis.Addrs[i]] = name
	}
}

// redis checks the redis mapping: where Redis is (url, or addrs with
// cluster or master_name) and the keys that only make sense with addrs.
// No message quotes a password, nor the URL, which may hold one.
func (v *validator) redis(r *RedisConfig) {
	url := v.filled(&r.URL)
	if url {
		v.check(&r.URL, "url", checkRedisURL(r.URL))
	}
	// A list with a bad element was still given: keys needing addrs are
	// fine, only the element is wrong.
	addrs := len(r.Addrs) > 0 || v.failed(&r.Addrs)
	for i := range r.Addrs {
		if !v.failed(&r.Addrs[i]) {
			v.check(&r.Addrs[i], fmt.Sprintf("addrs[%d]", i), checkRedisAddr(r.Addrs[i]))
		}
	}
	cluster := v.set(&r.Cluster) && r.Cluster
	sentinel := v.filled(&r.MasterName)
	switch {
	case url && addrs:
		v.check(&r.Addrs, "addrs", fmt.Errorf("cannot be combined with url (%s): give one or the other", v.at(&r.URL)))
	case cluster && sentinel:
		v.check(&r.Cluster, "cluster", fmt.Errorf("cannot be combined with master_name (%s): Sentinel and Cluster are different deployments", v.at(&r.MasterName)))
	case addrs && len(r.Addrs) > 1 && !cluster && !sentinel:
		v.check(&r.Addrs, "addrs", fmt.Errorf("lists %d addresses: set cluster: true for a Redis Cluster or master_name for Sentinel; a single Redis takes one", len(r.Addrs)))
	}
	if !addrs {
		v.needsAddrs(url, &r.Cluster, "cluster", cluster, "the cluster's nodes")
		v.needsAddrs(url, &r.MasterName, "master_name", sentinel, "the Sentinels")
		v.needsAddrs(url, &r.Username, "username", v.filled(&r.Username), "")
		v.needsAddrs(url, &r.Password, "password", v.filled(&r.Password), "")
		v.needsAddrs(url, &r.DB, "db", v.set(&r.DB), "")
	}
	if v.filled(&r.SentinelPassword) && !sentinel {
		v.check(&r.SentinelPassword, "sentinel_password", fmt.Errorf("needs master_name: it is the Sentinels' password"))
	}
	v.redisTLS(r, v.dir, url || addrs)
	if v.set(&r.DB) {
		switch {
		case r.DB < 0:
			v.check(&r.DB, "db", fmt.Errorf("must be 0 or more, got %d", r.DB))
		case r.DB != 0 && cluster:
			v.check(&r.DB, "db", fmt.Errorf("must be 0 with cluster: a Redis Cluster has only database 0, got %d", r.DB))
		}
	}
}

// needsAddrs reports a key given without addrs. what names the addresses
// the key is about; "" marks a setting a URL can carry itself.
func (v *validator) needsAddrs(url bool, ptr any, key string, given bool, what string) {
	switch {
	case !given:
	case what != "":
		v.check(ptr, key, fmt.Errorf("needs addrs (%s)", what))
	case url:
		v.check(ptr, key, fmt.Errorf("only applies with addrs; with url, put it in the URL"))
	default:
		v.check(ptr, key, fmt.Errorf("needs addrs (the Redis to connect to); without them the embedded store is used"))
	}
}

// at names where a field was given, for messages about another field.
func (v *validator) at(ptr any) string {
	if name, ok := v.env[ptr]; ok {
		return name
	}
	return fmt.Sprintf("line %d", v.line(ptr, 0))
}

// checkRedisAddr wants host:port with a host and a port from 1 to 65535.
func checkRedisAddr(addr string) error {
	host, port, err := net.SplitHostPort(addr)
	if err != nil || host == "" {
		return fmt.Errorf("%q is not host:port", addr)
	}
	if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
		return fmt.Errorf("%q has no valid port number (1-65535)", addr)
	}
	return nil
}
