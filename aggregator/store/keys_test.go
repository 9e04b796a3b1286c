package store_test

import (
	"testing"

	"github.com/tributary-rss/tributary/aggregator/store"
)

// TestKeys pins every key string: they are a contract with data already in
// Redis and with other instances, so a change here must be deliberate.
func TestKeys(t *testing.T) {
	def := store.Keys{Prefix: store.DefaultPrefix}
	custom := store.Keys{Prefix: "tx:"}
	tests := []struct {
		name string
		got  string
		want string
	}{
		{"Entry", def.Entry("ab12"), "trib:entry:ab12"},
		{"SourceEntries", def.SourceEntries("s1"), "trib:source:s1:entries"},
		{"SourceState", def.SourceState("s1"), "trib:source:s1:state"},
		{"SourceLinks", def.SourceLinks("s1"), "trib:source:s1:links"},
		{"SourceStateCounts", def.SourceStateCounts(), "trib:source-states"},
		{"SourceRules", def.SourceRules("s1"), "trib:source:s1:rules"},
		{"SourceArticles", def.SourceArticles("s1"), "trib:source:s1:articles"},
		{"SourceActivity", def.SourceActivity("s1"), "trib:source:s1:activity"},
		{"SectionEntries", def.SectionEntries("news"), "trib:section:{news}:entries"},
		{"SectionDedup", def.SectionDedup("news"), "trib:section:{news}:dedup"},
		{"SectionMeta", def.SectionMeta("news"), "trib:section:news:meta"},
		{"SectionHidden", def.SectionHidden("news"), "trib:section:{news}:hidden"},
		{"SectionPins", def.SectionPins("news"), "trib:section:{news}:pins"},
		{"SectionPending", def.SectionPending("news"), "trib:section:{news}:pending"},
		{"SectionReviewed", def.SectionReviewed("news"), "trib:section:{news}:reviewed"},
		{"SourceLock", def.SourceLock("s1"), "trib:lock:source:s1"},
		{"Events", def.Events(), "trib:events"},
		{"AdminSources", def.AdminSources(), "trib:admin:sources"},
		{"AdminEvents", def.AdminEvents(), "trib:admin:events"},
		{"AuthFailures IPv4", def.AuthFailures("192.0.2.1"), "trib:admin:{authfail}:client:192.0.2.1"},
		{"AuthFailures IPv6 /64", def.AuthFailures("2001:db8:1:2::/64"), "trib:admin:{authfail}:client:2001:db8:1:2::/64"},
		{"AuthFailLog", def.AuthFailLog(), "trib:admin:{authfail}:log"},
		{"AuthFailRecords", def.AuthFailRecords(), "trib:admin:{authfail}:records"},
		{"custom prefix Entry", custom.Entry("ab12"), "tx:entry:ab12"},
		{"custom prefix SectionMeta", custom.SectionMeta("news"), "tx:section:news:meta"},
		{"custom prefix Events", custom.Events(), "tx:events"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got != tt.want {
				t.Errorf("got %q, want %q", tt.got, tt.want)
			}
		})
	}
}

func TestNew_DefaultPrefix(t *testing.T) {
	tests := []struct {
		prefix string
		want   string
	}{
		{"", "trib:"},
		{"other:", "other:"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			got := store.New(nil, tt.prefix, nil).Keys().Prefix
			if got != tt.want {
				t.Errorf("prefix %q: got %q, want %q", tt.prefix, got, tt.want)
			}
		})
	}
}
