package publish

import (
	"context"
	"sync"
)

// cacheKey names one representation of a section. Only parameters that
// change the bytes belong here; unknown query parameters are ignored.
type cacheKey struct {
	section string
	format  format
	limit   int
}

// renderCache holds the latest rendering per key. Its size is bounded by
// sections × formats × distinct limits (at most MaxItems each).
type renderCache struct {
	mu sync.Mutex
	// bySection groups keys so Invalidate drops a section in one step.
	bySection map[string]map[cacheKey]*rendering
	// gen counts invalidations per section: a render that started before an
	// Invalidate must not be stored after it.
	gen    map[string]uint64
	flight flight[flightKey, *rendering]
}

type flightKey struct {
	key     cacheKey
	version int64
}

func newRenderCache() *renderCache {
	return &renderCache{
		bySection: make(map[string]map[cacheKey]*rendering),
		gen:       make(map[string]uint64),
	}
}

// get returns the rendering of key at version, or nil.
func (c *renderCache) get(key cacheKey, version int64) *rendering {
	rend := c.any(key)
	if rend == nil || rend.version != version {
		return nil
	}
	return rend
}

// any returns the rendering of key at whatever version it was made, or nil.
func (c *renderCache) any(key cacheKey) *rendering {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.bySection[key.section][key]
}

// load returns the rendering of key at version, calling render at most once
// for concurrent callers and storing its result.
func (c *renderCache) load(ctx context.Context, key cacheKey, version int64, render func() (*rendering, error)) (*rendering, error) {
	return c.flight.do(ctx, flightKey{key, version}, func() (*rendering, error) {
		// A caller that missed the cache just before the previous flight
		// stored its result would otherwise render a second time.
		if rend := c.get(key, version); rend != nil {
			return rend, nil
		}
		gen := c.generation(key.section)
		rend, err := render()
		if err != nil {
			return nil, err
		}
		c.put(rend, gen)
		return rend, nil
	})
}

func (c *renderCache) generation(section string) uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.gen[section]
}

// put stores rend unless the section was invalidated since gen. It replaces
// whatever version is cached, even a higher one: a store that was reset
// counts versions from zero again, and refusing lower versions would then
// re-render on every request. A slow render overwriting a newer one only
// costs one more render.
func (c *renderCache) put(rend *rendering, gen uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gen[rend.key.section] != gen {
		return
	}
	m := c.bySection[rend.key.section]
	if m == nil {
		m = make(map[cacheKey]*rendering)
		c.bySection[rend.key.section] = m
	}
	m[rend.key] = rend
}

func (c *renderCache) invalidate(section string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.bySection, section)
	c.gen[section]++
}
