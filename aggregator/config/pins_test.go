package config

import "testing"

// TestSections_PinsInFeeds: sections[].pins_in_feeds reaches the section,
// false unless set.
func TestSections_PinsInFeeds(t *testing.T) {
	const file = `sections:
  - id: news
    pins_in_feeds: true
    sources:
      - url: https://a.example.org/feed
  - id: hot
    sources:
      - url: https://b.example.org/feed
`
	c, err := Parse("pins.yaml", []byte(file), nil)
	if err != nil {
		t.Fatal(err)
	}
	secs := c.Sections()
	tests := []struct {
		id   string
		want bool
	}{{"news", true}, {"hot", false}}
	for i, tt := range tests {
		if secs[i].ID != tt.id || secs[i].PinsInFeeds != tt.want {
			t.Errorf("section %d = %s pins_in_feeds %t, want %s %t", i, secs[i].ID, secs[i].PinsInFeeds, tt.id, tt.want)
		}
	}
}
