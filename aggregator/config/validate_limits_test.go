package config

import (
	"strings"
	"testing"
)

func TestParse_Limits(t *testing.T) {
	tests := []struct {
		name, yaml string
		want       string // error substring; empty means valid
	}{
		{"defaults", "", ""},
		{"all set", "limits:\n  title_length: 200\n  content_bytes: 65536\n  html_depth: 40\n  categories: 5\n  category_length: 30\n" +
			"fetch:\n  max_items: 300\nhttp:\n  render_cache_bytes: 1048576\n  secret_params: [sid, x-amz-*]\n", ""},
		{"zero title", "limits:\n  title_length: 0\n", "title_length: must be at least 1"},
		{"negative depth", "limits:\n  html_depth: -1\n", "html_depth: must be at least 1"},
		{"zero max items", "fetch:\n  max_items: 0\n", "max_items: must be at least 1"},
		{"zero cache", "http:\n  render_cache_bytes: 0\n", "render_cache_bytes: must be at least 1"},
		{"bad secret param", "http:\n  secret_params: [\"a=b\"]\n", `secret_params: "a=b" is not a query parameter name`},
		{"secret param of separators only", "http:\n  secret_params: [\"_-*\"]\n", `secret_params: "_-*" has no letter or digit`},
		{"metrics token without admin", "metrics:\n  require_token: true\n", "require_token: needs admin.token"},
		{"metrics token with admin", "metrics:\n  require_token: true\nadmin:\n  token: 0123456789abcdef0123\n", ""},
		{"per-source series for more sources", "metrics:\n  per_source_limit: 200000\n", ""},
		{"zero per-source series", "metrics:\n  per_source_limit: 0\n", "per_source_limit: must be at least 1"},
		{"unknown limit", "limits:\n  body: 3\n", "body"},
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
