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
	source  string
	// before is the encoded cursor; empty is the newest page.
	before string
	// lang is the UI language of HTML pages and embeds; empty for feeds.
	lang string
	// summary is the embed fragment's summary length in runes.
	summary int
}

// maxKeysPerSection bounds the cache: every ?before cursor is a new key, so
// a crawler walking a section's history must not grow memory without limit.
// Renders beyond it are still made once per flight, just not kept.
const maxKeysPerSection = 512

// renderCache holds the latest rendering per key. A rendering is trusted
// until its section is invalidated (a change event, or the periodic version
// re-check), so serving from it touches no store. Invalidated renderings are
// kept aside as a stale fallback for when the store is down.
type renderCache struct {
	// mu is read-locked on every cache hit; writers are rare.
	mu sync.RWMutex
	// fresh groups keys so Invalidate drops a section in one step.
	fresh map[string]map[cacheKey]*rendering
	stale map[string]map[cacheKey]*rendering
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
		fresh: make(map[string]map[cacheKey]*rendering),
		stale: make(map[string]map[cacheKey]*rendering),
		gen:   make(map[string]uint64),
	}
}

// get returns the trusted rendering of key, or nil.
func (c *renderCache) get(key cacheKey) *rendering {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.fresh[key.section][key]
}

// any returns the rendering of key, trusted or stale, or nil.
func (c *renderCache) any(key cacheKey) *rendering {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if rend := c.fresh[key.section][key]; rend != nil {
		return rend
	}
	return c.stale[key.section][key]
}

// load returns the rendering of key at version, calling render at most once
// for concurrent callers and storing its result.
func (c *renderCache) load(ctx context.Context, key cacheKey, version int64, render func() (*rendering, error)) (*rendering, error) {
	return c.flight.do(ctx, flightKey{key, version}, func() (*rendering, error) {
		// A caller that missed the cache just before the previous flight
		// stored its result would otherwise render a second time.
		if rend := c.get(key); rend != nil && rend.version == version {
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
// re-render on every request. A slow render overwriting a newer one is
// caught by the next version re-check.
func (c *renderCache) put(rend *rendering, gen uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gen[rend.key.section] != gen {
		return
	}
	m := c.fresh[rend.key.section]
	if m == nil {
		m = make(map[cacheKey]*rendering)
		c.fresh[rend.key.section] = m
	}
	if _, ok := m[rend.key]; !ok && len(m) >= maxKeysPerSection {
		return
	}
	m[rend.key] = rend
}

// invalidate stops trusting a section's renderings, keeping them as the
// stale fallback.
func (c *renderCache) invalidate(section string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if m := c.fresh[section]; len(m) > 0 {
		c.stale[section] = m
	}
	delete(c.fresh, section)
	c.gen[section]++
}

// outdated reports whether a trusted rendering of section was made at
// another version than the store's current one.
func (c *renderCache) outdated(section string, version int64) bool {
	c.mu.RLock()
	defer c.mu.RUnlock()
	for _, rend := range c.fresh[section] {
		if rend.version != version {
			return true
		}
	}
	return false
}
