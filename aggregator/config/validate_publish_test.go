package config

import (
	"strings"
	"testing"
	"time"
)

const publishBase = "sections:\n  - id: news\n    sources:\n      - url: https://example.org/feed.xml\n"

func TestParse_Publishing(t *testing.T) {
	tests := []struct {
		name, yaml string
		want       string // error substring; empty means valid
	}{
		{"defaults", "", ""},
		{"all set", "http:\n  cache_max_age: 90s\n  cors_origin: https://www.example.edu.cn\nui:\n  lang: en\nwebsub:\n  hub: https://pubsubhubbub.appspot.com/\n", ""},
		{"zero max age", "http:\n  cache_max_age: 0s\n", "cache_max_age: must be more than zero"},
		{"origin with path", "http:\n  cors_origin: https://example.org/x\n", "cors_origin: must be"},
		{"origin no scheme", "http:\n  cors_origin: example.org\n", "cors_origin: must be"},
		{"bad lang", "ui:\n  lang: fr\n", `lang: must be "zh" or "en"`},
		{"relative hub", "websub:\n  hub: /hub\n", "hub: must be an absolute http or https URL"},
		{"unknown key", "ui:\n  theme: dark\n", "theme"},
		{"render bounds", "http:\n  max_page_bytes: 1048576\n  render_concurrency: 2\n", ""},
		{"zero page bytes", "http:\n  max_page_bytes: 0\n", "max_page_bytes: must be at least 1"},
		{"negative renders", "http:\n  render_concurrency: -1\n", "render_concurrency: must be at least 1"},
		{"proxies", "http:\n  trusted_proxies: [10.0.0.0/8, \"fd00::/8\", 127.0.0.1]\n", ""},
		{"bad proxy", "http:\n  trusted_proxies: [10.0.0.0/33]\n", `trusted_proxies: "10.0.0.0/33" is not a CIDR prefix`},
		{"proxy name", "http:\n  trusted_proxies: [proxy.example.org]\n", `trusted_proxies: "proxy.example.org" is not an address`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("t.yaml", []byte(tt.yaml+publishBase), nil)
			if tt.want == "" {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %v, want one containing %q", err, tt.want)
			}
		})
	}
}

func TestParse_PublishingDefaults(t *testing.T) {
	c, err := Parse("t.yaml", []byte(publishBase), nil)
	if err != nil {
		t.Fatal(err)
	}
	if time.Duration(c.HTTP.CacheMaxAge) != 5*time.Minute || c.HTTP.CORSOrigin != "*" || c.UI.Lang != "" || c.WebSub.Hub != "" {
		t.Errorf("defaults: %+v %+v %+v", c.HTTP, c.UI, c.WebSub)
	}
	if c.HTTP.MaxPageBytes != DefaultMaxPageBytes || c.HTTP.RenderConcurrency != DefaultRenderConcurrency ||
		len(c.HTTP.TrustedProxies) != 0 || c.Fetch.MaxHTMLBytes != DefaultMaxHTMLBytes {
		t.Errorf("bound defaults: %+v %+v", c.HTTP, c.Fetch)
	}
	c, err = Parse("t.yaml", []byte("http:\n  cache_max_age: 90s\nui:\n  lang: en\n"+publishBase), nil)
	if err != nil {
		t.Fatal(err)
	}
	if time.Duration(c.HTTP.CacheMaxAge) != 90*time.Second || c.UI.Lang != "en" {
		t.Errorf("set values: %+v %+v", c.HTTP, c.UI)
	}
}

func TestParseTrustedProxy(t *testing.T) {
	tests := []struct{ in, want string }{
		{"10.1.2.3/8", "10.0.0.0/8"},
		{"192.0.2.7", "192.0.2.7/32"},
		{"::ffff:192.0.2.7", "192.0.2.7/32"},
		{"2001:db8::1/64", "2001:db8::/64"},
	}
	for _, tt := range tests {
		p, err := ParseTrustedProxy(tt.in)
		if err != nil || p.String() != tt.want {
			t.Errorf("ParseTrustedProxy(%q) = %v, %v; want %s", tt.in, p, err, tt.want)
		}
	}
}
