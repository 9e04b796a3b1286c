package store_test

import (
	"testing"

	"github.com/tributary-rss/tributary/aggregator/store"
)

// TestKeys_console pins the console's key strings (see TestKeys).
func TestKeys_console(t *testing.T) {
	k := store.Keys{Prefix: store.DefaultPrefix}
	tests := []struct{ name, got, want string }{
		{"AdminSession", k.AdminSession("ab12"), "trib:admin:session:ab12"},
		{"AdminAudit", k.AdminAudit(), "trib:admin:audit"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got != tt.want {
				t.Errorf("got %q, want %q", tt.got, tt.want)
			}
		})
	}
}
