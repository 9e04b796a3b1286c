package config

import (
	"strings"
	"testing"
)

// A mis-indented line is reported at its own line, not where the block
// around it starts (yaml.v3's context mark).
func TestParse_misindentedLine(t *testing.T) {
	tests := []struct {
		name, yaml, want string
	}{
		{"list item one space right", "listen: 127.0.0.1:8080\nsections:\n  - id: news\n    sources:\n      - url: https://a.example/feed\n       - url: https://b.example/feed\n        title: B\n",
			"t.yaml:6: did not find expected '-' indicator"},
		{"list item left of its key", "listen: 127.0.0.1:8080\nsections:\n  - id: news\n    title: News\n    sources:\n   - url: https://b.example/feed\n",
			"t.yaml:6: did not find expected '-' indicator"},
		{"key one space left", "listen: 127.0.0.1:8080\nsections:\n  - id: news\n    title: News\n    description: x\n   sources:\n      - url: https://b.example/feed\n",
			"t.yaml:6: did not find expected '-' indicator"},
		{"key under a list item left", "listen: 127.0.0.1:8080\nsections:\n  - id: news\n    sources:\n      - url: https://a.example/feed\n     title: A\n# a comment\n",
			"t.yaml:6: did not find expected key"},
		{"key too far right", "listen: 127.0.0.1:8080\nsections:\n  - id: news\n    sources:\n      - url: https://a.example/feed\n          title: A\n",
			"t.yaml:6: mapping values are not allowed in this context"},
		{"error on the last line of a long file", strings.Repeat("# padding\n", 40) + "sections:\n  - id: news\n    sources:\n      - url: https://a.example/feed\n     title: A\n",
			"t.yaml:45: did not find expected key"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("t.yaml", []byte(tt.yaml), nil)
			if err == nil || err.Error() != tt.want {
				t.Errorf("Parse = %v, want %q", err, tt.want)
			}
		})
	}
}
