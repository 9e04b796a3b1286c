package config

import (
	"slices"
	"strings"
	"testing"

	"github.com/tributary-rss/tributary/aggregator/model"
)

func TestParse_Review(t *testing.T) {
	tests := []struct {
		name    string
		doc     string
		review  bool
		trusted []string // the section's TrustedSourceIDs
		err     string   // error substring with its line; empty means valid
	}{
		{"unset", "sections:\n  - id: a\n    sources:\n      - url: https://example.org/a.xml\n", false, nil, ""},
		{"review with a trusted listing",
			"sections:\n  - id: a\n    review: true\n    sources:\n      - url: https://example.org/a.xml\n        id: a1\n        trusted: true\n      - url: https://example.org/b.xml\n        id: b1\n",
			true, []string{"a1"}, ""},
		{"review without trusted", "sections:\n  - id: a\n    review: true\n    sources:\n      - url: https://example.org/a.xml\n", true, nil, ""},
		{"trusted false without review", "sections:\n  - id: a\n    sources:\n      - url: https://example.org/a.xml\n        trusted: false\n", false, nil, ""},
		{"trusted without review",
			"sections:\n  - id: a\n    sources:\n      - url: https://example.org/a.xml\n        trusted: true\n", false, nil,
			`t.yaml:5: trusted: section "a" does not set review: true`},
		{"review not a bool", "sections:\n  - id: a\n    review: maybe\n    sources:\n      - url: https://example.org/a.xml\n", false, nil,
			`t.yaml:3: review: expected true or false, got "maybe"`},
		{"trusted not a bool", "sections:\n  - id: a\n    review: true\n    sources:\n      - url: https://example.org/a.xml\n        trusted: 1\n", false, nil,
			`t.yaml:6: trusted: expected true or false, got "1"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Parse("t.yaml", []byte(tt.doc), nil)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("error %v, want one containing %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatalf("unexpected error: %v", err)
			}
			sec := c.Sections()[0]
			if sec.Review != tt.review || !slices.Equal(sec.TrustedSourceIDs, tt.trusted) {
				t.Errorf("section review %t trusted %q, want %t %q", sec.Review, sec.TrustedSourceIDs, tt.review, tt.trusted)
			}
		})
	}
}

// TestSources_TrustIsPerSection: a URL trusted in one review section and
// listed plainly in another is trusted in the first only.
func TestSources_TrustIsPerSection(t *testing.T) {
	doc := "sections:\n  - id: a\n    review: true\n    sources:\n      - url: https://example.org/a.xml\n        trusted: true\n" +
		"  - id: b\n    review: true\n    sources:\n      - url: https://example.org/a.xml\n"
	c, err := Parse("t.yaml", []byte(doc), nil)
	if err != nil {
		t.Fatal(err)
	}
	id := model.SourceID("https://example.org/a.xml")
	secs := c.Sections()
	if !slices.Equal(secs[0].TrustedSourceIDs, []string{id}) || len(secs[1].TrustedSourceIDs) != 0 {
		t.Errorf("trusted a=%q b=%q, want [%s] and none", secs[0].TrustedSourceIDs, secs[1].TrustedSourceIDs, id)
	}
}
