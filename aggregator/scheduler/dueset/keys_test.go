package dueset_test

import (
	"strconv"
	"testing"

	"github.com/tributary-rss/tributary/aggregator/scheduler/dueset"
)

// TestKeys pins the key strings: operators' Redis data and the key table
// of docs/operating.md name them.
func TestKeys(t *testing.T) {
	k := dueset.Keys{Prefix: "trib:", Shards: 1}
	four := dueset.Keys{Prefix: "trib:", Shards: 4}
	for _, tt := range []struct{ name, got, want string }{
		{"Due", k.Due(0), "trib:{sched}:due"},
		{"Claims", k.Claims(0), "trib:{sched}:claims"},
		{"Edits", k.Edits(0), "trib:{sched}:edits"},
		{"PollRequest", k.PollRequest("s1"), "trib:{sched}:pollreq:s1"},
		{"Layout", k.Layout(), "trib:{sched}:shards"},
		{"Due of shard 3 of 4", four.Due(3), "trib:{sched:3}:due"},
		{"Claims of shard 0 of 4", four.Claims(0), "trib:{sched:0}:claims"},
		{"Edits of shard 2 of 4", four.Edits(2), "trib:{sched:2}:edits"},
		{"PollRequest of s1 (shard 1 of 4)", four.PollRequest("s1"), "trib:{sched:1}:pollreq:s1"},
	} {
		if tt.got != tt.want {
			t.Errorf("%s = %q, want %q", tt.name, tt.got, tt.want)
		}
	}
}

// A source's shard is a function of its id alone: the same on every
// instance and across restarts, and spread over every shard.
func TestKeys_Shard(t *testing.T) {
	k := dueset.Keys{Prefix: "trib:", Shards: 8}
	count := make([]int, 8)
	for i := range 8000 {
		id := "src-" + strconv.Itoa(i)
		s := k.Shard(id)
		if s != k.Shard(id) || s < 0 || s >= 8 {
			t.Fatalf("Shard(%q) = %d: not stable or out of range", id, s)
		}
		count[s]++
	}
	for i, n := range count {
		if n < 800 || n > 1200 {
			t.Errorf("shard %d holds %d of 8000 sources, want about 1000: %v", i, n, count)
		}
	}
	if s := (dueset.Keys{Shards: 1}).Shard("anything"); s != 0 {
		t.Errorf("one shard: Shard = %d, want 0", s)
	}
}
