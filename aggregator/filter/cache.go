package filter

import (
	"strconv"
	"strings"
	"sync"
)

// Cache compiles each distinct pair of lists once and hands out the shared
// *Filter afterwards, so a poll loop can ask for a source's and a section's
// filter on every poll without recompiling. It is safe for concurrent use;
// the zero value is ready.
type Cache struct {
	mu      sync.Mutex
	filters map[string]*Filter
}

// Filter returns the compiled filter for the lists; see Compile.
func (c *Cache) Filter(include, exclude []string) (*Filter, error) {
	if len(include) == 0 && len(exclude) == 0 {
		return nil, nil
	}
	key := cacheKey(include, exclude)
	c.mu.Lock()
	defer c.mu.Unlock()
	if f, ok := c.filters[key]; ok {
		return f, nil
	}
	f, err := Compile(include, exclude)
	if err != nil {
		return nil, err
	}
	if c.filters == nil {
		c.filters = map[string]*Filter{}
	}
	c.filters[key] = f
	return f, nil
}

// cacheKey quotes every pattern, so distinct lists never share a key.
func cacheKey(include, exclude []string) string {
	var b strings.Builder
	for _, p := range include {
		b.WriteString(strconv.Quote(p))
	}
	b.WriteByte('|')
	for _, p := range exclude {
		b.WriteString(strconv.Quote(p))
	}
	return b.String()
}
