package config

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/tributary-rss/tributary/aggregator/model"
)

func TestLoad_Valid(t *testing.T) {
	c, err := Load("testdata/valid.yaml", nil)
	if err != nil {
		t.Fatal(err)
	}
	want := &Config{
		Path:    "testdata/valid.yaml",
		Listen:  "0.0.0.0:9090",
		BaseURL: "https://feeds.example.edu.cn/tributary",
		Redis:   RedisConfig{URL: "redis://cache.internal:6379/2", Prefix: "campus:"},
		Storage: StorageConfig{
			Snapshot:         filepath.Join("testdata", "data", "campus.snapshot"),
			SnapshotInterval: Duration(5 * time.Minute),
		},
		Defaults: Defaults{Schedule: "*/20 * * * *", Timezone: "Asia/Shanghai", MaxItems: 150, Language: "zh-CN", SummaryLength: 140,
			MaxInterval: DefaultMaxInterval},
		Fetch: FetchConfig{Timeout: Duration(45 * time.Second), MaxBodyBytes: 2 << 20, Concurrency: 4, UserAgent: "CampusBot/1.0",
			ConnectTimeout: DefaultConnectTimeout, HeaderTimeout: DefaultHeaderTimeout, PerHost: DefaultPerHost, MaxBackoff: DefaultMaxBackoff,
			MaxItems: DefaultFetchMaxItems, MaxHTMLBytes: DefaultMaxHTMLBytes},
		Scheduler: SchedulerConfig{Shards: DefaultSchedulerShards},
		HTTP: HTTPConfig{CacheMaxAge: DefaultCacheMaxAge, CORSOrigin: DefaultCORSOrigin, RenderCacheBytes: DefaultRenderCacheBytes,
			MaxPageBytes: DefaultMaxPageBytes, RenderConcurrency: DefaultRenderConcurrency},
		Limits: LimitsConfig{TitleLength: DefaultTitleLength, ContentBytes: DefaultContentBytes, HTMLDepth: DefaultHTMLDepth,
			Categories: DefaultMaxCategories, CategoryLength: DefaultCategoryLength},
		UI:        UIConfig{DateFormat: DefaultDateFormat},
		Site:      SiteConfig{Title: DefaultSiteTitle},
		Alerts:    AlertsConfig{Webhook: WebhookConfig{Timeout: DefaultAlertTimeout}, FailingAfter: DefaultFailingAfter},
		Freshness: FreshnessConfig{StaleAfter: DefaultStaleAfter},
		Metrics:   MetricsConfig{PerSourceLimit: DefaultMetricsPerSourceLimit},
		SectionConfigs: []SectionConfig{
			{ID: "news", Title: "资讯", Description: "成员单位新闻汇总", Line: 21, Sources: []SourceConfig{
				{URL: "https://a.example.edu.cn/rss.xml", Title: "示例学院", Schedule: "*/10 * * * *", Line: 25},
				{URL: "https://b.example.edu.cn/feed", ID: "member-b", Timezone: "Asia/Tokyo", Line: 28},
			}},
			{ID: "hot", Title: "热点信息", Language: "en", MaxItems: 30, Line: 31, Sources: []SourceConfig{
				{URL: "https://c.example.com/atom.xml", Schedule: "@every 1h30m", Line: 36},
				{URL: "https://a.example.edu.cn/rss.xml", Line: 38},
			}},
		},
	}
	if !reflect.DeepEqual(c, want) {
		t.Errorf("Load mismatch\n got: %+v\nwant: %+v", c, want)
	}
}

func TestLoad_Defaults(t *testing.T) {
	c, err := Load("testdata/minimal.yaml", nil)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name      string
		got, want any
	}{
		{"listen", c.Listen, "127.0.0.1:8080"},
		{"base_url", c.BaseURL, "http://127.0.0.1:8080"},
		{"redis.url", c.Redis.URL, ""},
		{"redis.prefix", c.Redis.Prefix, "trib:"},
		{"storage.snapshot", c.Storage.Snapshot, filepath.Join("testdata", "tributary.snapshot")},
		{"storage.snapshot_interval", c.Storage.SnapshotInterval, Duration(time.Minute)},
		{"defaults.schedule", c.Defaults.Schedule, "@every 15m"},
		{"defaults.timezone", c.Defaults.Timezone, "Asia/Shanghai"},
		{"defaults.max_items", c.Defaults.MaxItems, 200},
		{"defaults.language", c.Defaults.Language, "zh-CN"},
		{"fetch.timeout", c.Fetch.Timeout, Duration(30 * time.Second)},
		{"fetch.max_body_bytes", c.Fetch.MaxBodyBytes, int64(10 << 20)},
		{"fetch.concurrency", c.Fetch.Concurrency, 8},
		{"fetch.user_agent", c.Fetch.UserAgent, ""},
		{"section title", c.SectionConfigs[0].Title, "news"},
		{"section language", c.Sections()[0].Language, "zh-CN"},
		{"section max_items", c.Sections()[0].MaxItems, 200},
		{"source schedule", c.Sources()[0].Schedule, "@every 15m"},
		{"source location", c.Sources()[0].Location.String(), "Asia/Shanghai"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got != tt.want {
				t.Errorf("got %#v, want %#v", tt.got, tt.want)
			}
		})
	}
}

func TestParse_Paths(t *testing.T) {
	tests := []struct {
		name, path, yaml, want string
	}{
		{"relative to the file", "/etc/tributary/t.yaml", "storage:\n  snapshot: state/t.snap\n" + section, "/etc/tributary/state/t.snap"},
		{"absolute kept", "/etc/tributary/t.yaml", "storage:\n  snapshot: /var/lib/t.snap\n" + section, "/var/lib/t.snap"},
		{"default beside the file", "/etc/tributary/t.yaml", section, "/etc/tributary/tributary.snapshot"},
		{"no path", "", section, "tributary.snapshot"},
		{"document markers", "/c/t.yaml", "---\n" + section + "...\n---\n# nothing more\n", "/c/tributary.snapshot"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Parse(tt.path, []byte(tt.yaml), nil)
			if err != nil {
				t.Fatal(err)
			}
			if c.Storage.Snapshot != tt.want {
				t.Errorf("snapshot = %q, want %q", c.Storage.Snapshot, tt.want)
			}
		})
	}
}

func TestParse_BaseURL(t *testing.T) {
	tests := []struct {
		name, yaml, want string
	}{
		{"from listen", "listen: 127.0.0.1:9000\n", "http://127.0.0.1:9000"},
		{"wildcard host", "listen: :9000\n", "http://localhost:9000"},
		{"unspecified IPv4", "listen: 0.0.0.0:9000\n", "http://localhost:9000"},
		{"unspecified IPv6", "listen: \"[::]:9000\"\n", "http://localhost:9000"},
		{"IPv6 loopback", "listen: \"[::1]:9000\"\n", "http://[::1]:9000"},
		{"set, slash trimmed", "base_url: https://feeds.example.com/sub/\n", "https://feeds.example.com/sub"},
		{"set wins over listen", "listen: :9000\nbase_url: https://feeds.example.com\n", "https://feeds.example.com"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Parse("t.yaml", []byte(tt.yaml+section), nil)
			if err != nil {
				t.Fatal(err)
			}
			if c.BaseURL != tt.want {
				t.Errorf("BaseURL = %q, want %q", c.BaseURL, tt.want)
			}
		})
	}
}

func TestParse_Env(t *testing.T) {
	file := "listen: 127.0.0.1:8080\nredis:\n  url: redis://file:6379/0\n" + section
	tests := []struct {
		name        string
		env         map[string]string
		wantListen  string
		wantBaseURL string
		wantRedis   string
		wantErr     string
	}{
		{"no overrides", nil, "127.0.0.1:8080", "http://127.0.0.1:8080", "redis://file:6379/0", ""},
		{"listen", map[string]string{"TRIBUTARY_LISTEN": ":9999"}, ":9999", "http://localhost:9999", "redis://file:6379/0", ""},
		{"redis url", map[string]string{"TRIBUTARY_REDIS_URL": "rediss://env:6380/1"}, "127.0.0.1:8080", "http://127.0.0.1:8080", "rediss://env:6380/1", ""},
		{"empty means unset", map[string]string{"TRIBUTARY_LISTEN": "", "TRIBUTARY_REDIS_URL": ""}, "127.0.0.1:8080", "http://127.0.0.1:8080", "redis://file:6379/0", ""},
		{"bad listen", map[string]string{"TRIBUTARY_LISTEN": "nope"}, "", "", "", `t.yaml: TRIBUTARY_LISTEN: "nope" is not host:port`},
		{"bad redis url", map[string]string{"TRIBUTARY_REDIS_URL": "http://:pw@x:1"}, "", "", "", `t.yaml: TRIBUTARY_REDIS_URL: scheme must be redis or rediss, got "http"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			getenv := func(k string) string { return tt.env[k] }
			c, err := Parse("t.yaml", []byte(file), getenv)
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("err = %v, want %s", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if c.Listen != tt.wantListen || c.BaseURL != tt.wantBaseURL || c.Redis.URL != tt.wantRedis {
				t.Errorf("got listen %q base_url %q redis %q, want %q %q %q",
					c.Listen, c.BaseURL, c.Redis.URL, tt.wantListen, tt.wantBaseURL, tt.wantRedis)
			}
		})
	}
}

func TestLoad_Errors(t *testing.T) {
	dir := t.TempDir()
	big := filepath.Join(dir, "big.yaml")
	if err := os.WriteFile(big, []byte("# "+strings.Repeat("x", MaxFileBytes)+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(dir, "missing.yaml")
	tests := []struct {
		name, path, want string
		is               error
	}{
		{"missing file", missing, missing + ": no such file or directory", fs.ErrNotExist},
		{"directory", dir, dir + ": is a directory", nil},
		{"too big", big, big + ": file is larger than 4194304 bytes", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Load(tt.path, nil)
			if err == nil {
				t.Fatalf("Load succeeded: %+v", c)
			}
			if err.Error() != tt.want {
				t.Errorf("err = %q, want %q", err, tt.want)
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("errors.Is(err, %v) = false", tt.is)
			}
		})
	}
}

func TestLoad_InvalidFile(t *testing.T) {
	c, err := Load("testdata/invalid.yaml", nil)
	assertProblems(t, c, err, "testdata/invalid.yaml", []string{
		`2: unknown key "lisen" at the top level; allowed keys: listen, base_url, redis, storage, defaults, fetch, scheduler, http, ui, websub, site, log, admin, limits, metrics, alerts, freshness, include, sections`,
		`4: max_items: expected an integer, got "lots"`,
		`5: timezone: "Mars/Olympus" is not a known IANA time zone`,
		`7: id: "News!" must be lower-case letters, digits and hyphens, starting with a letter or digit`,
		`9: url: "ftp://example.com/feed.xml" must be an absolute http or https URL with a host`,
		`10: invalid schedule "TZ=0": a time zone prefix needs a schedule after it, e.g. "CRON_TZ=Asia/Shanghai 0 8 * * *"`,
		`12: section "news" has no sources`,
		`13: id: duplicate section id "news" (first at line 11)`,
		`16: url: https://example.com/a.xml is listed twice in section "news" (first at line 15)`,
	})
}

// TestLoad_Bomb checks a billion-laughs document (10^9 strings once
// expanded) is refused at its first alias instead of being expanded.
func TestLoad_Bomb(t *testing.T) {
	type result struct {
		c   *Config
		err error
	}
	done := make(chan result, 1)
	go func() {
		c, err := Load("testdata/bomb.yaml", nil)
		done <- result{c, err}
	}()
	select {
	case r := <-done:
		assertProblems(t, r.c, r.err, "testdata/bomb.yaml", []string{"2: YAML aliases are not allowed (*a): write the value out"})
	case <-time.After(10 * time.Second):
		t.Fatal("Load did not return within 10s")
	}
}

func TestConfig_Sources(t *testing.T) {
	c, err := Load("testdata/valid.yaml", nil)
	if err != nil {
		t.Fatal(err)
	}
	a := "https://a.example.edu.cn/rss.xml"
	cURL := "https://c.example.com/atom.xml"
	want := []model.Source{
		{ID: model.SourceID(a), URL: a, Title: "示例学院", Schedule: "*/10 * * * *", SectionIDs: []string{"news", "hot"},
			ConfigFile: "testdata/valid.yaml", ConfigLine: 25, StaleAfter: model.DefaultStaleAfter}, // its first listing
		{ID: "member-b", URL: "https://b.example.edu.cn/feed", Schedule: "*/20 * * * *", SectionIDs: []string{"news"},
			ConfigFile: "testdata/valid.yaml", ConfigLine: 28, StaleAfter: model.DefaultStaleAfter},
		{ID: model.SourceID(cURL), URL: cURL, Schedule: "@every 1h30m", SectionIDs: []string{"hot"},
			ConfigFile: "testdata/valid.yaml", ConfigLine: 36, StaleAfter: model.DefaultStaleAfter},
	}
	wantZones := []string{"Asia/Shanghai", "Asia/Tokyo", "Asia/Shanghai"}
	wantOffsets := []int{8 * 3600, 9 * 3600, 8 * 3600}
	got := c.Sources()
	if len(got) != len(want) {
		t.Fatalf("got %d sources, want %d: %+v", len(got), len(want), got)
	}
	for i := range want {
		t.Run(want[i].URL, func(t *testing.T) {
			loc := got[i].Location
			if loc == nil {
				t.Fatal("Location is nil")
			}
			if loc.String() != wantZones[i] {
				t.Errorf("Location = %s, want %s", loc, wantZones[i])
			}
			if _, off := time.Date(2024, 1, 15, 12, 0, 0, 0, loc).Zone(); off != wantOffsets[i] {
				t.Errorf("offset = %d, want %d", off, wantOffsets[i])
			}
			g := got[i]
			g.Location = nil
			if !reflect.DeepEqual(g, want[i]) {
				t.Errorf("got  %+v\nwant %+v", g, want[i])
			}
		})
	}
}

func TestConfig_SourcesMerge(t *testing.T) {
	// The id, schedule and time zone of a shared URL may be written in any
	// one of its listings.
	yaml := `sections:
  - id: news
    sources:
      - url: https://example.com/shared.xml
      - url: https://example.com/only-news.xml
  - id: hot
    sources:
      - url: https://example.com/shared.xml
        id: shared
        schedule: "@every 5m"
        timezone: UTC
`
	c, err := Parse("t.yaml", []byte(yaml), nil)
	if err != nil {
		t.Fatal(err)
	}
	src := c.Sources()
	if len(src) != 2 {
		t.Fatalf("got %d sources, want 2: %+v", len(src), src)
	}
	s := src[0]
	if s.ID != "shared" || s.Schedule != "@every 5m" || s.Location.String() != "UTC" ||
		!reflect.DeepEqual(s.SectionIDs, []string{"news", "hot"}) {
		t.Errorf("shared source = %+v", s)
	}
	secs := c.Sections()
	wantNews := []string{"shared", model.SourceID("https://example.com/only-news.xml")}
	if !reflect.DeepEqual(secs[0].SourceIDs, wantNews) || !reflect.DeepEqual(secs[1].SourceIDs, []string{"shared"}) {
		t.Errorf("section source ids = %v, %v; want %v, [shared]", secs[0].SourceIDs, secs[1].SourceIDs, wantNews)
	}
}

func TestConfig_Sections(t *testing.T) {
	c, err := Load("testdata/valid.yaml", nil)
	if err != nil {
		t.Fatal(err)
	}
	a := model.SourceID("https://a.example.edu.cn/rss.xml")
	// Sections without a timezone of their own take defaults.timezone.
	shanghai, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	want := []model.Section{
		{ID: "news", Title: "资讯", Description: "成员单位新闻汇总", Language: "zh-CN", MaxItems: 150, SourceIDs: []string{a, "member-b"}, Location: shanghai,
			StaleAfter: model.DefaultStaleAfter, LinkTo: model.LinkToOriginal},
		{ID: "hot", Title: "热点信息", Language: "en", MaxItems: 30,
			SourceIDs: []string{model.SourceID("https://c.example.com/atom.xml"), a}, Location: shanghai, StaleAfter: model.DefaultStaleAfter, LinkTo: model.LinkToOriginal},
	}
	if got := c.Sections(); !reflect.DeepEqual(got, want) {
		t.Errorf("Sections mismatch\n got: %+v\nwant: %+v", got, want)
	}
}

func TestLoad_ExampleConfig(t *testing.T) {
	const path = "../../deploy/tributary.example.yaml"
	c, err := Load(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	for _, s := range c.Sections() {
		ids[s.ID] = true
		if len(s.SourceIDs) == 0 {
			t.Errorf("section %s has no sources", s.ID)
		}
	}
	for _, id := range []string{"news", "hot"} {
		if !ids[id] {
			t.Errorf("example has no section %q", id)
		}
	}
	shared := false
	for _, s := range c.Sources() {
		if s.Location == nil {
			t.Errorf("source %s has no location", s.URL)
		}
		if err := ValidateSchedule(s.Schedule); err != nil {
			t.Errorf("source %s: %v", s.URL, err)
		}
		shared = shared || len(s.SectionIDs) > 1
	}
	if !shared {
		t.Error("example should show one URL shared by two sections")
	}
	if c.Redis.URL != "" || c.Redis.Prefix != DefaultRedisPrefix {
		t.Errorf("example redis = %+v, want the embedded store with the default prefix", c.Redis)
	}
}
