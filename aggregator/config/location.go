package config

import (
	"sync"
	"time"
)

// locations remembers time.LoadLocation's answers by zone name: a config
// of 100,000 sources names a handful of zones, and loading one reads
// and parses its tzdata file (a third of loading such a config went
// there). Bounded: a config cannot name more zones than maxLocations
// before the memo starts over.
var locations = struct {
	sync.Mutex
	m map[string]locationAnswer
}{m: map[string]locationAnswer{}}

type locationAnswer struct {
	loc *time.Location
	err error
}

const maxLocations = 1024

// location is time.LoadLocation(name), remembered.
func location(name string) (*time.Location, error) {
	locations.Lock()
	a, ok := locations.m[name]
	locations.Unlock()
	if ok {
		return a.loc, a.err
	}
	loc, err := time.LoadLocation(name)
	locations.Lock()
	if len(locations.m) >= maxLocations {
		clear(locations.m)
	}
	locations.m[name] = locationAnswer{loc, err}
	locations.Unlock()
	return loc, err
}
