package config

import (
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
