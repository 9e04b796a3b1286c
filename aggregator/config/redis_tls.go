package config

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// RedisTLS configures TLS to Redis. A rediss:// URL turns it on too.
type RedisTLS struct {
	// Enabled connects to every address (node or Sentinel) with TLS.
	Enabled bool `yaml:"enabled"`
	// CAFile is a PEM bundle of the CAs to trust instead of the system's
	// (a private CA, as managed Redis services and self-run ones use). A
	// relative path is resolved against the config file's directory.
	CAFile string `yaml:"ca_file"`
	// CertFile and KeyFile are a client certificate, for a Redis that
	// requires one (tls-auth-clients yes).
	CertFile string `yaml:"cert_file"`
	KeyFile  string `yaml:"key_file"`
	// ServerName is the name to verify the server's certificate against
	// instead of each address' host (addresses given as IPs, or a
	// Cluster whose nodes announce IPs).
	ServerName string `yaml:"server_name"`
}

// TLSOn reports whether connections to Redis use TLS.
func (r RedisConfig) TLSOn() bool {
	return r.TLS.Enabled || strings.HasPrefix(strings.ToLower(r.URL), "rediss://")
}

// ClientTLS is the TLS configuration for the Redis client, nil when TLS is
// off. Certificates are always verified: there is no switch to skip it. An
// empty ServerName is left for go-redis, which verifies each address' host
// (and a rediss:// URL's host).
func (r RedisConfig) ClientTLS() (*tls.Config, error) {
	if !r.TLSOn() {
		return nil, nil
	}
	cfg := &tls.Config{MinVersion: tls.VersionTLS12, ServerName: r.TLS.ServerName}
	if r.TLS.CAFile != "" {
		pool, err := loadCAs(r.TLS.CAFile)
		if err != nil {
			return nil, fmt.Errorf("redis.tls.ca_file: %w", err)
		}
		cfg.RootCAs = pool
	}
	if r.TLS.CertFile != "" || r.TLS.KeyFile != "" {
		cert, err := tls.LoadX509KeyPair(r.TLS.CertFile, r.TLS.KeyFile)
		if err != nil {
			return nil, fmt.Errorf("redis.tls.cert_file/key_file: %w", err)
		}
		cfg.Certificates = []tls.Certificate{cert}
	}
	return cfg, nil
}

// loadCAs reads a PEM bundle that must hold at least one certificate.
func loadCAs(path string) (*x509.CertPool, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("cannot read %s: %w", path, unwrapPath(err))
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(data) {
		return nil, fmt.Errorf("%s holds no PEM certificate", path)
	}
	return pool, nil
}

// redisTLS checks the tls mapping: files that exist and parse, a client
// certificate given whole, and no TLS settings while TLS is off. Relative
// paths are made absolute against dir first.
func (v *validator) redisTLS(r *RedisConfig, dir string, where bool) {
	t := &r.TLS
	for _, p := range []*string{&t.CAFile, &t.CertFile, &t.KeyFile} {
		if v.filled(p) && !filepath.IsAbs(*p) {
			*p = filepath.Join(dir, *p)
		}
	}
	if !r.TLSOn() {
		for _, f := range []struct {
			ptr *string
			key string
		}{{&t.CAFile, "ca_file"}, {&t.CertFile, "cert_file"}, {&t.KeyFile, "key_file"}, {&t.ServerName, "server_name"}} {
			if v.filled(f.ptr) {
				v.check(f.ptr, "tls."+f.key, errors.New("needs tls.enabled: true (or a rediss:// url): TLS is off"))
			}
		}
		return
	}
	if t.Enabled && !where {
		v.check(&t.Enabled, "tls.enabled", errors.New("needs addrs or url (the Redis to connect to); without them the embedded store is used"))
		return
	}
	if v.filled(&t.CAFile) {
		if _, err := loadCAs(t.CAFile); err != nil {
			v.check(&t.CAFile, "tls.ca_file", err)
		}
	}
	cert, key := v.filled(&t.CertFile), v.filled(&t.KeyFile)
	switch {
	case cert && !key:
		v.check(&t.CertFile, "tls.cert_file", errors.New("needs key_file: a client certificate comes with its key"))
	case key && !cert:
		v.check(&t.KeyFile, "tls.key_file", errors.New("needs cert_file: a client key comes with its certificate"))
	case cert && key:
		if _, err := tls.LoadX509KeyPair(t.CertFile, t.KeyFile); err != nil {
			v.check(&t.CertFile, "tls.cert_file", fmt.Errorf("with key_file: %w", err))
		}
	}
	if v.filled(&t.ServerName) && strings.ContainsAny(t.ServerName, " /:") {
		v.check(&t.ServerName, "tls.server_name", fmt.Errorf("%q is not a host name", t.ServerName))
	}
}
