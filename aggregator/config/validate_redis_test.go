package config

import (
	"crypto/tls"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestParse_Redis(t *testing.T) {
	tests := []struct {
		name, yaml string
		env        map[string]string
		want       []string // whole "t.yaml:line: message" lines; nil means valid
		wantMode   string
		wantAddrs  []string
	}{
		{name: "embedded", wantMode: RedisEmbedded},
		{name: "url", yaml: "redis:\n  url: redis://cache:6379/2\n", wantMode: RedisURL},
		{name: "single addr", yaml: "redis:\n  addrs: [cache:6379]\n  username: trib\n  password: s3cret\n  db: 3\n",
			wantMode: RedisSingle, wantAddrs: []string{"cache:6379"}},
		{name: "cluster", yaml: "redis:\n  addrs:\n    - 10.0.0.1:7000\n    - 10.0.0.2:7000\n  cluster: true\n  db: 0\n",
			wantMode: RedisCluster, wantAddrs: []string{"10.0.0.1:7000", "10.0.0.2:7000"}},
		{name: "one seed cluster", yaml: "redis:\n  addrs: [cfg.example.internal:6379]\n  cluster: true\n",
			wantMode: RedisCluster, wantAddrs: []string{"cfg.example.internal:6379"}},
		{name: "sentinel", yaml: "redis:\n  addrs: [s1:26379, s2:26379, '[::1]:26379']\n  master_name: mymaster\n  sentinel_password: pw\n  db: 1\n",
			wantMode: RedisSentinel, wantAddrs: []string{"s1:26379", "s2:26379", "[::1]:26379"}},
		{name: "cluster false is plain", yaml: "redis:\n  addrs: [cache:6379]\n  cluster: false\n", wantMode: RedisSingle, wantAddrs: []string{"cache:6379"}},
		{name: "addrs from env", env: map[string]string{"TRIBUTARY_REDIS_ADDRS": " a:7000, b:7001 ,,c:7002"}, yaml: "redis:\n  cluster: true\n",
			wantMode: RedisCluster, wantAddrs: []string{"a:7000", "b:7001", "c:7002"}},
		{name: "env addrs replace the file's", env: map[string]string{"TRIBUTARY_REDIS_ADDRS": "new:6379"}, yaml: "redis:\n  addrs: [old:6379]\n",
			wantMode: RedisSingle, wantAddrs: []string{"new:6379"}},

		{name: "url and addrs", yaml: "redis:\n  url: redis://:pw@cache:6379\n  addrs: [cache:6379]\n",
			want: []string{"t.yaml:3: addrs: cannot be combined with url (line 2): give one or the other"}},
		{name: "env url and file addrs", env: map[string]string{"TRIBUTARY_REDIS_URL": "redis://cache:6379"}, yaml: "redis:\n  addrs: [cache:6379]\n",
			want: []string{"t.yaml:2: addrs: cannot be combined with url (TRIBUTARY_REDIS_URL): give one or the other"}},
		{name: "env addrs and file url", env: map[string]string{"TRIBUTARY_REDIS_ADDRS": "cache:6379"}, yaml: "redis:\n  url: redis://cache:6379\n",
			want: []string{"t.yaml: TRIBUTARY_REDIS_ADDRS: cannot be combined with url (line 2): give one or the other"}},
		{name: "cluster and master_name", yaml: "redis:\n  addrs: [a:1, b:2]\n  master_name: mymaster\n  cluster: true\n",
			want: []string{"t.yaml:4: cluster: cannot be combined with master_name (line 3): Sentinel and Cluster are different deployments"}},
		{name: "cluster without addrs", yaml: "redis:\n  cluster: true\n",
			want: []string{"t.yaml:2: cluster: needs addrs (the cluster's nodes)"}},
		{name: "cluster with url", yaml: "redis:\n  url: redis://cache:6379\n  cluster: true\n",
			want: []string{"t.yaml:3: cluster: needs addrs (the cluster's nodes)"}},
		{name: "master_name without addrs", yaml: "redis:\n  master_name: mymaster\n",
			want: []string{"t.yaml:2: master_name: needs addrs (the Sentinels)"}},
		{name: "several addrs, no mode", yaml: "redis:\n  addrs: [a:1, b:2]\n",
			want: []string{"t.yaml:2: addrs: lists 2 addresses: set cluster: true for a Redis Cluster or master_name for Sentinel; a single Redis takes one"}},
		{name: "addr without port", yaml: "redis:\n  addrs:\n    - cache\n    - 'cache:'\n    - :6379\n  cluster: true\n",
			want: []string{`t.yaml:3: addrs[0]: "cache" is not host:port`, `t.yaml:4: addrs[1]: "cache:" has no valid port number (1-65535)`,
				`t.yaml:5: addrs[2]: ":6379" is not host:port`}},
		{name: "addr port out of range", yaml: "redis:\n  addrs: [cache:0, 'cache:65536', cache:http]\n  cluster: true\n",
			want: []string{`t.yaml:2: addrs[0]: "cache:0" has no valid port number (1-65535)`,
				`t.yaml:2: addrs[1]: "cache:65536" has no valid port number (1-65535)`,
				`t.yaml:2: addrs[2]: "cache:http" has no valid port number (1-65535)`}},
		{name: "bad env addr", env: map[string]string{"TRIBUTARY_REDIS_ADDRS": "a:1,b"}, yaml: "redis:\n  cluster: true\n",
			want: []string{`t.yaml: TRIBUTARY_REDIS_ADDRS: "b" is not host:port`}},
		{name: "addrs not a list", yaml: "redis:\n  addrs: a:1\n  cluster: true\n",
			want: []string{`t.yaml:2: addrs: expected a list, got "a:1"`}},
		{name: "addr not a string", yaml: "redis:\n  addrs:\n    - host: a\n  cluster: true\n",
			want: []string{`t.yaml:3: addrs[0]: expected a string, got a mapping`}},
		{name: "db with cluster", yaml: "redis:\n  addrs: [a:1]\n  cluster: true\n  db: 2\n",
			want: []string{"t.yaml:4: db: must be 0 with cluster: a Redis Cluster has only database 0, got 2"}},
		{name: "negative db", yaml: "redis:\n  addrs: [a:1]\n  db: -1\n",
			want: []string{"t.yaml:3: db: must be 0 or more, got -1"}},
		{name: "cluster not a bool", yaml: "redis:\n  addrs: [a:1]\n  cluster: yes please\n",
			want: []string{`t.yaml:3: cluster: expected true or false, got "yes please"`}},
		{name: "password with url", yaml: "redis:\n  url: redis://cache:6379\n  password: hunter2\n",
			want: []string{"t.yaml:3: password: only applies with addrs; with url, put it in the URL"}},
		{name: "username and db with url", yaml: "redis:\n  url: redis://cache:6379\n  username: u\n  db: 1\n",
			want: []string{"t.yaml:3: username: only applies with addrs; with url, put it in the URL",
				"t.yaml:4: db: only applies with addrs; with url, put it in the URL"}},
		{name: "password for the embedded store", yaml: "redis:\n  password: hunter2\n",
			want: []string{"t.yaml:2: password: needs addrs (the Redis to connect to); without them the embedded store is used"}},
		{name: "env password for the embedded store", env: map[string]string{"TRIBUTARY_REDIS_PASSWORD": "hunter2"},
			want: []string{"t.yaml: TRIBUTARY_REDIS_PASSWORD: needs addrs (the Redis to connect to); without them the embedded store is used"}},
		{name: "sentinel_password without sentinel", yaml: "redis:\n  addrs: [a:1]\n  sentinel_password: hunter2\n",
			want: []string{"t.yaml:3: sentinel_password: needs master_name: it is the Sentinels' password"}},

		{name: "tls", yaml: "redis:\n  addrs: [a:1]\n  tls:\n    enabled: true\n    ca_file: testdata/tls/ca.pem\n    cert_file: testdata/tls/client.pem\n    key_file: testdata/tls/client.key\n    server_name: redis.internal\n",
			wantMode: RedisSingle, wantAddrs: []string{"a:1"}},
		{name: "tls with rediss url", yaml: "redis:\n  url: rediss://cache:6380/0\n  tls:\n    ca_file: testdata/tls/ca.pem\n", wantMode: RedisURL},
		{name: "tls files while tls is off", yaml: "redis:\n  addrs: [a:1]\n  tls:\n    ca_file: testdata/tls/ca.pem\n    server_name: r\n",
			want: []string{"t.yaml:4: tls.ca_file: needs tls.enabled: true (or a rediss:// url): TLS is off",
				"t.yaml:5: tls.server_name: needs tls.enabled: true (or a rediss:// url): TLS is off"}},
		{name: "tls explicitly off with a file", yaml: "redis:\n  url: redis://cache:6379\n  tls:\n    enabled: false\n    cert_file: testdata/tls/client.pem\n",
			want: []string{"t.yaml:5: tls.cert_file: needs tls.enabled: true (or a rediss:// url): TLS is off"}},
		{name: "tls for the embedded store", yaml: "redis:\n  tls:\n    enabled: true\n",
			want: []string{"t.yaml:3: tls.enabled: needs addrs or url (the Redis to connect to); without them the embedded store is used"}},
		{name: "tls ca_file missing", yaml: "redis:\n  addrs: [a:1]\n  tls:\n    enabled: true\n    ca_file: testdata/tls/nope.pem\n",
			want: []string{"t.yaml:5: tls.ca_file: cannot read testdata/tls/nope.pem: no such file or directory"}},
		{name: "tls ca_file not PEM", yaml: "redis:\n  addrs: [a:1]\n  tls:\n    enabled: true\n    ca_file: testdata/tls/not-pem.pem\n",
			want: []string{"t.yaml:5: tls.ca_file: testdata/tls/not-pem.pem holds no PEM certificate"}},
		{name: "tls cert without key", yaml: "redis:\n  addrs: [a:1]\n  tls:\n    enabled: true\n    cert_file: testdata/tls/client.pem\n",
			want: []string{"t.yaml:5: tls.cert_file: needs key_file: a client certificate comes with its key"}},
		{name: "tls key without cert", yaml: "redis:\n  addrs: [a:1]\n  tls:\n    enabled: true\n    key_file: testdata/tls/client.key\n",
			want: []string{"t.yaml:5: tls.key_file: needs cert_file: a client key comes with its certificate"}},
		{name: "tls key of another certificate", yaml: "redis:\n  addrs: [a:1]\n  tls:\n    enabled: true\n    cert_file: testdata/tls/client.pem\n    key_file: testdata/tls/other.key\n",
			want: []string{"t.yaml:5: tls.cert_file: with key_file: tls: private key does not match public key"}},
		{name: "tls bad server_name", yaml: "redis:\n  addrs: [a:1]\n  tls:\n    enabled: true\n    server_name: 'redis:6379'\n",
			want: []string{`t.yaml:5: tls.server_name: "redis:6379" is not a host name`}},
		{name: "tls unknown key", yaml: "redis:\n  addrs: [a:1]\n  tls:\n    enabled: true\n    insecure_skip_verify: true\n",
			want: []string{"t.yaml:5: unknown key \"insecure_skip_verify\" in tls; allowed keys: enabled, ca_file, cert_file, key_file, server_name"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			getenv := func(k string) string { return tt.env[k] }
			c, err := Parse("t.yaml", []byte(tt.yaml+section), getenv)
			if tt.want != nil {
				if err == nil {
					t.Fatalf("no error, want %q", tt.want)
				}
				got := strings.Split(err.Error(), "\n")
				if !slices.Equal(got, tt.want) {
					t.Fatalf("errors:\n%s\nwant:\n%s", err, strings.Join(tt.want, "\n"))
				}
				if strings.Contains(err.Error(), "hunter2") || strings.Contains(err.Error(), ":pw@") {
					t.Errorf("error echoes a password: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if c.Redis.Mode() != tt.wantMode || !slices.Equal(c.Redis.Addrs, tt.wantAddrs) {
				t.Errorf("mode %q addrs %q, want %q %q", c.Redis.Mode(), c.Redis.Addrs, tt.wantMode, tt.wantAddrs)
			}
		})
	}
}

func TestParse_RedisCredentials(t *testing.T) {
	yaml := "redis:\n  addrs: [s1:26379]\n  master_name: mymaster\n  username: trib\n  password: file-pw\n  sentinel_password: s-pw\n  db: 4\n" + section
	c, err := Parse("t.yaml", []byte(yaml), func(k string) string {
		return map[string]string{"TRIBUTARY_REDIS_PASSWORD": "env-pw"}[k]
	})
	if err != nil {
		t.Fatal(err)
	}
	want := RedisConfig{Addrs: []string{"s1:26379"}, MasterName: "mymaster", Username: "trib", Password: "env-pw",
		SentinelPassword: "s-pw", DB: 4, Prefix: DefaultRedisPrefix}
	got := c.Redis
	if !slices.Equal(got.Addrs, want.Addrs) || got.MasterName != want.MasterName || got.Username != want.Username ||
		got.Password != want.Password || got.SentinelPassword != want.SentinelPassword || got.DB != want.DB || got.Prefix != want.Prefix {
		t.Errorf("redis = %+v, want %+v", got, want)
	}
}

func TestParse_RedisTLS(t *testing.T) {
	yaml := "redis:\n  addrs: [10.0.0.5:6380]\n  tls:\n    enabled: true\n    ca_file: testdata/tls/ca.pem\n" +
		"    cert_file: testdata/tls/client.pem\n    key_file: testdata/tls/client.key\n    server_name: redis.internal\n" + section
	dir := t.TempDir()
	c, err := Parse(filepath.Join(dir, "t.yaml"), []byte(strings.ReplaceAll(yaml, "testdata/", mustAbs(t, "testdata")+"/")), nil)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := c.Redis.ClientTLS()
	if err != nil {
		t.Fatal(err)
	}
	if cfg == nil || cfg.RootCAs == nil || len(cfg.Certificates) != 1 || cfg.ServerName != "redis.internal" ||
		cfg.MinVersion != tls.VersionTLS12 || cfg.InsecureSkipVerify {
		t.Errorf("ClientTLS = %+v", cfg)
	}

	// Relative paths are read from the config file's directory.
	for _, f := range []string{"ca.pem", "client.pem", "client.key"} {
		data, err := os.ReadFile(filepath.Join("testdata", "tls", f))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, f), data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	c, err = Parse(filepath.Join(dir, "t.yaml"), []byte(strings.ReplaceAll(yaml, "testdata/tls/", "")), nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.Redis.TLS.CAFile != filepath.Join(dir, "ca.pem") || c.Redis.TLS.KeyFile != filepath.Join(dir, "client.key") {
		t.Errorf("paths not resolved against the config's directory: %+v", c.Redis.TLS)
	}

	// TLS off: no configuration; a rediss:// URL alone turns it on.
	for _, tc := range []struct {
		yaml string
		on   bool
	}{
		{"redis:\n  addrs: [a:1]\n", false},
		{"redis:\n  url: redis://a:1\n", false},
		{"redis:\n  url: rediss://a:1\n", true},
	} {
		c, err := Parse("t.yaml", []byte(tc.yaml+section), nil)
		if err != nil {
			t.Fatal(err)
		}
		cfg, err := c.Redis.ClientTLS()
		if err != nil || (cfg != nil) != tc.on {
			t.Errorf("%q: ClientTLS = %v, %v; want TLS %v", tc.yaml, cfg, err, tc.on)
		}
	}
}

func mustAbs(t *testing.T, p string) string {
	t.Helper()
	abs, err := filepath.Abs(p)
	if err != nil {
		t.Fatal(err)
	}
	return abs
}
