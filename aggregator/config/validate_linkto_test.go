package config

import (
	"strings"
	"testing"

	"github.com/tributary-rss/tributary/aggregator/model"
)

func TestParse_LinkTo(t *testing.T) {
	const sources = "    sources:\n      - url: https://example.org/a.xml\n"
	tests := []struct {
		name, value string
		want        string // the section's LinkTo after loading
		err         string // error substring with its line; empty means valid
	}{
		{"unset", "", model.LinkToOriginal, ""},
		{"original", "original", model.LinkToOriginal, ""},
		{"source is original", "source", model.LinkToOriginal, ""},
		{"portal", "portal", model.LinkToPortal, ""},
		{"upper case", "Portal", "", `t.yaml:3: link_to: "Portal" is not a link target: use "original"`},
		{"a URL", "https://portal.example.org/", "", `t.yaml:3: link_to: "https://portal.example.org/" is not a link target`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := "sections:\n  - id: a\n"
			if tt.value != "" {
				doc += "    link_to: " + tt.value + "\n"
			}
			doc += sources
			c, err := Parse("t.yaml", []byte(doc), nil)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("error %v, want one containing %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatalf("unexpected error: %v", err)
			}
			if got := c.Sections()[0].LinkTo; got != tt.want {
				t.Errorf("LinkTo = %q, want %q", got, tt.want)
			}
		})
	}
}
