package main

import (
	"bytes"
	"testing"

	"github.com/mmcdole/gofeed"
)

func TestFeedBody(t *testing.T) {
	tests := []struct {
		i, v     int
		wantType string
	}{
		{0, 0, "rss"}, {1, 0, "atom"}, {2, 3, "rss"}, {7, 1, "atom"},
	}
	for _, tt := range tests {
		body := feedBody(tt.i, tt.v)
		if n := len(body); n < 8<<10 || n > 32<<10 {
			t.Errorf("feed %d: %d bytes, want about 10–30 KB", tt.i, n)
		}
		if !bytes.Equal(body, feedBody(tt.i, tt.v)) {
			t.Errorf("feed %d: not deterministic", tt.i)
		}
		f, err := gofeed.NewParser().Parse(bytes.NewReader(body))
		if err != nil {
			t.Fatalf("feed %d: %v", tt.i, err)
		}
		if f.FeedType != tt.wantType || len(f.Items) != ItemsPerFeed {
			t.Errorf("feed %d: type %s, %d items", tt.i, f.FeedType, len(f.Items))
		}
	}
	// A new version brings exactly v new items.
	old, _ := gofeed.NewParser().Parse(bytes.NewReader(feedBody(4, 0)))
	cur, _ := gofeed.NewParser().Parse(bytes.NewReader(feedBody(4, 2)))
	seen := map[string]bool{}
	for _, it := range old.Items {
		seen[it.GUID] = true
	}
	fresh := 0
	for _, it := range cur.Items {
		if !seen[it.GUID] {
			fresh++
		}
	}
	if fresh != 2 {
		t.Errorf("version 2 has %d new items, want 2", fresh)
	}
}
