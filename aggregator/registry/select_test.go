package registry

import (
	"slices"
	"testing"

	"github.com/tributary-rss/tributary/aggregator/model"
)

func TestSelect(t *testing.T) {
	sections := []model.Section{{ID: "news"}, {ID: "hot"}, {ID: "empty"}}
	sources := []model.Source{
		{ID: "a", URL: "https://a.example/feed", SectionIDs: []string{"news"}},
		{ID: "b", URL: "https://b.example/feed", SectionIDs: []string{"news", "hot"}},
		{ID: "c", URL: "https://c.example/feed", SectionIDs: []string{"hot"}},
	}
	tests := []struct {
		section, url string
		want         []string // ids
		wantErr      string
	}{
		{want: []string{"a", "b", "c"}},
		{section: "hot", want: []string{"b", "c"}},
		{url: "https://a.example/feed", want: []string{"a"}},
		{section: "hot", url: "https://b.example/feed", want: []string{"b"}},
		{section: "hot", url: "https://a.example/feed", wantErr: `no source matches (section "hot", source "https://a.example/feed")`},
		{section: "empty", wantErr: `no source matches (section "empty", source "")`},
		{section: "sport", wantErr: `no section "sport"`},
	}
	for _, tt := range tests {
		got, err := Select(sources, sections, tt.section, tt.url)
		if tt.wantErr != "" {
			if err == nil || err.Error() != tt.wantErr {
				t.Errorf("Select(%q, %q) = %v, want %q", tt.section, tt.url, err, tt.wantErr)
			}
			continue
		}
		var ids []string
		for _, s := range got {
			ids = append(ids, s.ID)
		}
		if err != nil || !slices.Equal(ids, tt.want) {
			t.Errorf("Select(%q, %q) = %v, %v; want %v", tt.section, tt.url, ids, err, tt.want)
		}
	}
}
