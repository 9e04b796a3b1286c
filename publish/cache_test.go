package publish

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/tributary-rss/tributary/aggregator/model"
)

// cacheState is what the cache holds, read under its lock.
type cacheState struct {
	used, sum    int64
	n, fresh     int
	staleInOrder []cacheKey // stale keys, most recently used first
}

func (c *renderCache) state() cacheState {
	c.mu.Lock()
	defer c.mu.Unlock()
	st := cacheState{used: c.used, n: len(c.entries), fresh: c.fresh.Len()}
	for _, e := range c.entries {
		st.sum += e.rend.size()
	}
	for el := c.stale.Front(); el != nil; el = el.Next() {
		st.staleInOrder = append(st.staleInOrder, el.Value.(*cacheEntry).rend.key)
	}
	return st
}

// checkAccounting fails unless the cache's byte count is the sum of its
// renders' sizes, within the budget, and its lists hold every entry once.
func checkAccounting(t *testing.T, c *renderCache) cacheState {
	t.Helper()
	st := c.state()
	if st.used != st.sum {
		t.Fatalf("cache counts %d bytes, its renders hold %d", st.used, st.sum)
	}
	if st.used > c.budget {
		t.Fatalf("cache holds %d bytes, over its budget of %d", st.used, c.budget)
	}
	if st.fresh+len(st.staleInOrder) != st.n {
		t.Fatalf("lists hold %d fresh + %d stale entries, the map %d", st.fresh, len(st.staleInOrder), st.n)
	}
	return st
}

// testRendering is a rendering of key with a body of n bytes.
func testRendering(t testing.TB, key cacheKey, version int64, n int) *rendering {
	t.Helper()
	rend, err := newRendering(key, model.SectionMeta{Version: version}, bytes.Repeat([]byte("x"), n), http.Header{})
	if err != nil {
		t.Fatal(err)
	}
	return rend
}

func keyN(section string, limit int) cacheKey {
	return cacheKey{section: section, format: formatRSS, limit: limit}
}

// TestRenderCache_eviction: the budget counts bodies and the per-render
// overhead; stale renders go before fresh ones, and within each the least
// recently used first; a render larger than the budget is not kept.
func TestRenderCache_eviction(t *testing.T) {
	size := testRendering(t, keyN("a", 1), 1, 1000).size()
	tests := []struct {
		name string
		// ops: "put a 1" stores a render of section a, limit 1; "get a 1"
		// reads it as trusted, "get-any a 1" as a fallback; "inv a"
		// invalidates section a; "big a 1" stores one larger than the
		// budget.
		ops  []string
		want []string // the keys held afterwards, as "a 1"
	}{
		{"within budget", []string{"put a 1", "put a 2", "put b 1"}, []string{"a 1", "a 2", "b 1"}},
		{"least recently stored goes", []string{"put a 1", "put a 2", "put b 1", "put b 2"}, []string{"a 2", "b 1", "b 2"}},
		{"a hit saves an entry", []string{"put a 1", "put a 2", "put b 1", "get a 1", "put b 2"}, []string{"a 1", "b 1", "b 2"}},
		{"stale goes first, before an older fresh one", []string{"put a 1", "put b 1", "put b 2", "inv b", "put c 1", "put c 2"}, []string{"a 1", "c 1", "c 2"}},
		{"a stale hit saves an entry", []string{"put a 1", "put b 1", "inv a", "inv b", "get-any a 1", "put c 1", "put c 2"}, []string{"a 1", "c 1", "c 2"}},
		{"stale goes first, oldest stale first", []string{"put a 1", "put b 1", "inv a", "inv b", "put c 1", "put c 2"}, []string{"b 1", "c 1", "c 2"}},
		{"replacing a key counts once", []string{"put a 1", "put a 1", "put a 1", "put a 2"}, []string{"a 1", "a 2"}},
		{"a fresh render replaces its stale one", []string{"put a 1", "inv a", "put a 1"}, []string{"a 1"}},
		{"larger than the budget is not kept", []string{"put a 1", "big a 2"}, []string{"a 1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newRenderCache(3 * size)
			for _, op := range tt.ops {
				var verb, sec string
				var limit int
				fmt.Sscan(op, &verb, &sec, &limit)
				key := keyN(sec, limit)
				switch verb {
				case "put":
					c.put(testRendering(t, key, 1, 1000), c.generation(sec))
				case "big":
					c.put(testRendering(t, key, 1, int(3*size)), c.generation(sec))
				case "get":
					if c.get(key) == nil {
						t.Fatalf("%s: not cached", op)
					}
				case "get-any":
					if c.any(key) == nil {
						t.Fatalf("%s: not cached", op)
					}
				case "inv":
					c.invalidate(sec)
				}
				checkAccounting(t, c)
			}
			var got []string
			for _, w := range tt.want {
				var sec string
				var limit int
				fmt.Sscan(w, &sec, &limit)
				if c.any(keyN(sec, limit)) == nil {
					t.Errorf("%s: not cached", w)
				}
				got = append(got, w)
			}
			if st := c.state(); st.n != len(tt.want) {
				t.Errorf("%d entries cached, want %d (%v)", st.n, len(tt.want), tt.want)
			}
		})
	}
}

// TestRenderCache_generation: a render that started before an Invalidate
// is not stored after it, and invalidated renders stay as stale fallback.
func TestRenderCache_generation(t *testing.T) {
	c := newRenderCache(DefaultRenderCacheBytes)
	key := keyN("a", 1)
	c.put(testRendering(t, key, 1, 10), c.generation("a"))
	gen := c.generation("a") // a render starts
	c.invalidate("a")        // the section changes meanwhile
	c.put(testRendering(t, key, 2, 10), gen)
	if c.get(key) != nil {
		t.Error("a render started before the invalidation is trusted")
	}
	if rend := c.any(key); rend == nil || rend.version != 1 {
		t.Errorf("stale fallback %v, want version 1", rend)
	}
	checkAccounting(t, c)
}

// TestServer_renderCacheBudget fills a small render cache with thousands
// of distinct valid URLs, every kind a client can vary (format, limit,
// source, language, summary and cursors taken from next links), with an
// invalidation now and then: the cache's byte count never exceeds the
// budget, always equals the sum of the sizes of the renders it holds, and
// the number of renders held is what the budget allows, not the number of
// URLs asked for.
func TestServer_renderCacheBudget(t *testing.T) {
	const budget = 256 << 10
	fx := loadFixture100(t)
	fx.Entries = fx.Entries[:40]
	fx.Section.MaxItems = len(fx.Entries)
	srcs := []string{"a1b2c3d4e5f60718", "0f1e2d3c4b5a6978"}
	fx.Section.SourceIDs = srcs
	for i := range fx.Entries {
		fx.Entries[i].SourceID = srcs[i%2]
	}
	s := NewServer(newFakeReader(fx), Options{BaseURL: testBaseURL, Sections: []model.Section{fx.Section}, RenderCacheBytes: budget})

	type target struct {
		f     format
		path  string
		query url.Values
		lang  string
	}
	var targets []target
	for _, f := range []struct {
		f    format
		path string
	}{
		{formatRSS, "/sections/news.rss"}, {formatAtom, "/sections/news.atom"}, {formatJSON, "/sections/news.json"},
		{formatAPI, "/api/v1/sections/news/entries"}, {formatHTML, "/sections/news"}, {formatEmbed, "/embed/news.html"},
	} {
		for limit := 1; limit <= len(fx.Entries); limit++ {
			for _, src := range []string{"", srcs[0], srcs[1]} {
				q := url.Values{"limit": {strconv.Itoa(limit)}}
				if src != "" {
					q.Set("source", src)
				}
				switch f.f {
				case formatHTML:
					targets = append(targets, target{f.f, f.path, q, "en"}, target{f.f, f.path, q, "zh"})
				case formatEmbed:
					q.Set("summary", strconv.Itoa(limit))
					targets = append(targets, target{f.f, f.path, q, ""})
				default:
					targets = append(targets, target{f.f, f.path, q, ""})
				}
			}
		}
	}

	seen := map[string]bool{}
	maxEntries := 0
	serve := func(uri, lang string) []byte {
		t.Helper()
		req := httptest.NewRequest(http.MethodGet, uri, nil)
		if lang != "" {
			req.Header.Set("Accept-Language", lang)
		}
		w := httptest.NewRecorder()
		s.ServeHTTP(w, req)
		if w.Code != http.StatusOK {
			t.Fatalf("GET %s: %d %s", uri, w.Code, w.Body.Bytes())
		}
		seen[uri+" "+lang] = true
		st := checkAccounting(t, s.cache)
		maxEntries = max(maxEntries, st.n)
		if len(seen)%500 == 0 {
			s.Invalidate("news") // the section changed: all of it goes stale
		}
		return w.Body.Bytes()
	}
	for _, tg := range targets {
		uri := tg.path + "?" + tg.query.Encode()
		body := serve(uri, tg.lang)
		// Walk the next links of the smaller pages: every cursor is real.
		limit, _ := strconv.Atoi(tg.query.Get("limit"))
		for range 40 {
			next := nextLink(t, tg.f, body)
			if next == "" || limit > 10 {
				break
			}
			u, err := url.Parse(next)
			if err != nil {
				t.Fatal(err)
			}
			body = serve(u.RequestURI(), tg.lang)
		}
	}
	st := checkAccounting(t, s.cache)
	t.Logf("%d distinct URLs; at most %d renders held (%d at the end, %d bytes of %d)", len(seen), maxEntries, st.n, st.used, budget)
	if len(seen) < 2000 {
		t.Fatalf("only %d distinct URLs asked for", len(seen))
	}
	if maxEntries > budget/entryOverhead || maxEntries > len(seen)/10 {
		t.Errorf("held up to %d renders for %d URLs; the budget allows at most %d", maxEntries, len(seen), budget/entryOverhead)
	}
	if st.used < budget/2 {
		t.Errorf("cache ended at %d bytes of %d: eviction dropped more than it had to", st.used, budget)
	}
}

// TestRenderCache_entryOverhead checks that entryOverhead covers what a
// cached render holds besides its bodies: renders of one-byte bodies with
// realistic keys and headers, kept in a cache, measured on the heap.
func TestRenderCache_entryOverhead(t *testing.T) {
	const n = 2000
	headers := buildHeaders(Options{CacheMaxAge: DefaultCacheMaxAge, CORSOrigin: DefaultCORSOrigin})[formatRSS]
	meta := model.SectionMeta{Version: 12, UpdatedAt: time.Date(2025, 10, 17, 8, 30, 0, 0, time.UTC)}
	keys := make([]cacheKey, n)
	for i := range keys {
		keys[i] = cacheKey{section: "news-of-the-faculty", format: formatRSS, limit: 50, source: "a1b2c3d4e5f60718",
			before: encodeCursor(model.Cursor{Score: 1760688000000 + int64(i), ID: "5d41402abc4b2a76"})}
	}
	c := newRenderCache(DefaultRenderCacheBytes)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	var bodies int64
	for _, key := range keys {
		rend, err := newRendering(key, meta, []byte("x"), headers)
		if err != nil {
			t.Fatal(err)
		}
		bodies += int64(cap(rend.plain.body) + cap(rend.gz.body))
		c.put(rend, 0)
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	per := (int64(after.HeapAlloc) - int64(before.HeapAlloc) - bodies) / n
	t.Logf("a cached render holds %d bytes besides its bodies", per)
	if per > entryOverhead {
		t.Errorf("a cached render holds %d bytes besides its bodies; entryOverhead counts %d", per, entryOverhead)
	}
	runtime.KeepAlive(c)
}

// TestServer_renderLargerThanBudget: a render larger than the whole
// budget is served to every request, and rendered again for the next,
// rather than kept.
func TestServer_renderLargerThanBudget(t *testing.T) {
	fx := loadFixture(t)
	r := newFakeReader(fx)
	s := NewServer(r, Options{BaseURL: testBaseURL, Sections: []model.Section{fx.Section}, RenderCacheBytes: 1 << 10})
	ts := newHTTPTest(t, s)
	for i := range 2 {
		if resp, body := get(t, ts, "/sections/news.atom"); resp.StatusCode != http.StatusOK || len(body) < 1<<10 {
			t.Fatalf("request %d: status %d, %d bytes", i, resp.StatusCode, len(body))
		}
	}
	if n := r.entriesCalls.Load(); n != 2 {
		t.Errorf("%d renders for two requests, want 2 (nothing kept)", n)
	}
	if st := checkAccounting(t, s.cache); st.n != 0 {
		t.Errorf("%d renders kept, want 0", st.n)
	}
}

// BenchmarkRenderCache_get is a cache hit from every core at once, on a
// cache holding a few hundred renders.
func BenchmarkRenderCache_get(b *testing.B) {
	c := newRenderCache(DefaultRenderCacheBytes)
	keys := make([]cacheKey, 256)
	for i := range keys {
		keys[i] = keyN("news", i+1)
		c.put(testRendering(b, keys[i], 1, 100), 0)
	}
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			if c.get(keys[i%len(keys)]) == nil {
				b.Fatal("miss")
			}
			i++
		}
	})
}
