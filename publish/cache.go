package publish

import (
	"container/list"
	"context"
	"sync"
	"time"
)

// DefaultRenderCacheBytes is the render cache's budget when Options leaves
// it zero, the same as the config default (http.render_cache_bytes): room
// for a few hundred large feeds with their gzip copies.
const DefaultRenderCacheBytes = 64 << 20

// entryOverhead is what one cached render holds besides its two bodies:
// four header maps, the ETags, the key, the list element and the map
// slots. Measured at about 3.3 KiB with TestRenderCache_entryOverhead;
// rounded up so the budget errs on the side of memory.
const entryOverhead = 4 << 10

// cacheKey names one representation of a section. Only parameters that
// change the bytes belong here; unknown query parameters are ignored.
type cacheKey struct {
	section string
	format  format
	limit   int
	source  string
	// before is the encoded cursor; empty is the newest page.
	before string
	// entry is the entry of an article page (formatArticle).
	entry string
	// lang is the UI language of HTML pages and embeds; empty for feeds.
	lang string
	// summary is the embed fragment's summary length in runes.
	summary int
	// langParam is ?lang as the request gave it (empty without one):
	// page links carry it on, so it changes the bytes.
	langParam string
	// theme and lines style the embed fragment.
	theme string
	lines bool
	// embed is the rest of the embed fragment's options (see
	// embed_style.go).
	embed embedStyle
	// year is the current year in the section's zone when dates of the
	// current year have a short form, else 0: renders roll over at New
	// Year.
	year int
	// conf is the tag of the config the render depends on (see
	// conftag.go).
	conf string
}

// renderCache holds renderings within a byte budget shared by every
// section. A rendering is trusted (fresh) until its section is
// invalidated (a change event, or the periodic version re-check), so
// serving from it touches no store. Invalidated renderings stay as a stale
// fallback for when the store is down, counted in the same budget and
// evicted before any fresh one; within each kind the least recently used
// goes first.
//
// Every URL a client can invent that the server accepts (each limit,
// format, language, source and cursor) is a key, so the budget, not the
// number of keys, is what bounds memory. A rendering larger than the whole
// budget is served to the requests that waited for it and not kept.
type renderCache struct {
	// mu is held briefly by every lookup: a hit moves its entry to the
	// front of the LRU list, which a read lock would not allow. That costs
	// nothing measurable: BenchmarkRenderCache_get, hits from two cores,
	// takes 50–110 ns per hit with it and the same with a read-locked
	// lookup that keeps no order, against some 600 ns for the handler's
	// whole hit (BenchmarkServeCached).
	mu      sync.Mutex
	budget  int64
	used    int64
	entries map[cacheKey]*cacheEntry
	// sections indexes entries by section, so Invalidate and the version
	// re-check visit only that section's.
	sections map[string]map[cacheKey]*cacheEntry
	// fresh and stale hold *cacheEntry, most recently used at the front.
	fresh, stale list.List
	// gen counts invalidations per section: a render that started before an
	// Invalidate must not be stored after it.
	gen    map[string]uint64
	flight flight[flightKey, *rendering]
	// gate bounds the renders running at once (nil: no bound).
	gate *renderGate
	// now is the clock against which renders with pins expire (nil:
	// time.Now).
	now func() time.Time
}

type cacheEntry struct {
	rend  *rendering
	size  int64
	stale bool
	elem  *list.Element
}

type flightKey struct {
	key     cacheKey
	version int64
}

// newRenderCache returns a cache holding at most budget bytes of
// renderings (see rendering.size).
func newRenderCache(budget int64) *renderCache {
	return &renderCache{
		budget:   budget,
		entries:  make(map[cacheKey]*cacheEntry),
		sections: make(map[string]map[cacheKey]*cacheEntry),
		gen:      make(map[string]uint64),
	}
}

// get returns the trusted rendering of key, or nil.
func (c *renderCache) get(key cacheKey) *rendering {
	c.mu.Lock()
	defer c.mu.Unlock()
	e := c.entries[key]
	if e == nil || e.stale || e.rend.expired(c.clock) {
		return nil
	}
	c.fresh.MoveToFront(e.elem)
	return e.rend
}

// any returns the rendering of key, trusted or stale, or nil.
func (c *renderCache) any(key cacheKey) *rendering {
	c.mu.Lock()
	defer c.mu.Unlock()
	e := c.entries[key]
	if e == nil {
		return nil
	}
	c.list(e).MoveToFront(e.elem)
	return e.rend
}

// load returns the rendering of key at version, calling render at most once
// for concurrent callers and storing its result. The render waits for a
// slot of the gate until waitUntil at the latest (errRendersBusy); the
// callers waiting on it share that slot.
func (c *renderCache) load(ctx context.Context, key cacheKey, version int64, waitUntil time.Time, render func() (*rendering, error)) (*rendering, error) {
	return c.flight.do(ctx, flightKey{key, version}, func() (*rendering, error) {
		// A caller that missed the cache just before the previous flight
		// stored its result would otherwise render a second time.
		if rend := c.get(key); rend != nil && rend.version == version {
			return rend, nil
		}
		if c.gate != nil {
			if err := c.gate.acquire(ctx, waitUntil); err != nil {
				return nil, err
			}
			defer c.gate.release()
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

// put stores rend unless the section was invalidated since gen, then
// evicts down to the budget. It replaces whatever is cached under the key,
// stale or fresh, even at a higher version: a store that was reset counts
// versions from zero again, and refusing lower versions would then
// re-render on every request. A slow render overwriting a newer one is
// caught by the next version re-check.
func (c *renderCache) put(rend *rendering, gen uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	key := rend.key
	if c.gen[key.section] != gen {
		return
	}
	size := rend.size()
	if size > c.budget {
		return
	}
	if old := c.entries[key]; old != nil {
		c.remove(old)
	}
	e := &cacheEntry{rend: rend, size: size}
	e.elem = c.fresh.PushFront(e)
	c.entries[key] = e
	sec := c.sections[key.section]
	if sec == nil {
		sec = make(map[cacheKey]*cacheEntry)
		c.sections[key.section] = sec
	}
	sec[key] = e
	c.used += size
	// The new entry fits the budget alone and is the freshest, so it is
	// never the one evicted.
	for c.used > c.budget {
		back := c.stale.Back()
		if back == nil {
			back = c.fresh.Back()
		}
		c.remove(back.Value.(*cacheEntry))
	}
}

func (c *renderCache) list(e *cacheEntry) *list.List {
	if e.stale {
		return &c.stale
	}
	return &c.fresh
}

// remove drops e; the caller holds mu.
func (c *renderCache) remove(e *cacheEntry) {
	c.list(e).Remove(e.elem)
	key := e.rend.key
	delete(c.entries, key)
	sec := c.sections[key.section]
	delete(sec, key)
	if len(sec) == 0 {
		delete(c.sections, key.section)
	}
	c.used -= e.size
}

// invalidate stops trusting a section's renderings, keeping them as the
// stale fallback.
func (c *renderCache) invalidate(section string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, e := range c.sections[section] {
		if !e.stale {
			c.fresh.Remove(e.elem)
			e.stale = true
			e.elem = c.stale.PushFront(e)
		}
	}
	c.gen[section]++
}

// outdated reports whether a trusted rendering of section was made at
// another version than the store's current one.
func (c *renderCache) outdated(section string, version int64) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, e := range c.sections[section] {
		if !e.stale && e.rend.version != version {
			return true
		}
	}
	return false
}
