package publish

import (
	"context"
	"net/url"
	"strings"
	"sync/atomic"
	"time"
)

// Routes as the metrics name them: the mux patterns these requests take
// without the fast path.
const (
	routeSection    = "GET /sections/{name}"
	routeAPIEntries = "GET /api/v1/sections/{id}/entries"
)

// fastAnswer finds the answer to req when it asks for a feed or API page
// of a section: from the render cache, or rendered into it on a miss just
// as net/http's handler would. ok is false for anything else (another
// route, a bad parameter, the store down), which net/http then answers.
func (s *Server) fastAnswer(req *fastRequest) (v *variant, notMod bool, route string, ok bool) {
	id, f, route, ok := fastRoute(req.path)
	if !ok {
		return nil, false, "", false
	}
	sec, ok := s.cat().sections[id]
	if !ok {
		return nil, false, "", false
	}
	// Like net/http's URL.Query: a malformed pair is skipped, not an error.
	q, _ := url.ParseQuery(req.rawQuery)
	pq, err := parsePageQuery(q, sec)
	if err != nil {
		return nil, false, "", false
	}
	key := cacheKey{section: sec.ID, format: f, limit: pq.limit, source: pq.source, before: pq.before}
	rend := s.cache.get(key)
	if rend != nil {
		s.opts.Metrics.cacheHit()
	} else {
		ctx, cancel := context.WithTimeout(context.Background(), renderTimeout)
		var stale bool
		var err error
		rend, stale, err = s.rendering(ctx, sec, key, pq)
		cancel()
		if err != nil || stale {
			// net/http answers it again: with a Warning header, or a 503.
			return nil, false, "", false
		}
	}
	v = &rend.plain
	if acceptsGzip(req.acceptEncoding) {
		v = &rend.gz
	}
	return v, notModifiedBy(req.ifNoneMatch, req.ifModifiedSince, v.etag, rend.updated), route, true
}

// fastRoute matches /sections/{id}.{rss,atom,json} and
// /api/v1/sections/{id}/entries.
func fastRoute(path string) (id string, f format, route string, ok bool) {
	if name, found := strings.CutPrefix(path, "/sections/"); found {
		if strings.IndexByte(name, '/') >= 0 {
			return "", "", "", false
		}
		i := strings.LastIndexByte(name, '.')
		if i < 0 {
			return "", "", "", false // the HTML page follows Accept-Language
		}
		f, ok = formatByExt(name[i+1:])
		return name[:i], f, routeSection, ok
	}
	if rest, found := strings.CutPrefix(path, "/api/v1/sections/"); found {
		id, found = strings.CutSuffix(rest, "/entries")
		if !found || id == "" || strings.IndexByte(id, '/') >= 0 {
			return "", "", "", false
		}
		return id, formatAPI, routeAPIEntries, true
	}
	return "", "", "", false
}

// dateLine caches the "Date: …\r\n" header line for the current second.
type dateLine struct {
	p atomic.Pointer[datedLine]
}

type datedLine struct {
	unix int64
	line []byte
}

func (d *dateLine) get(now time.Time) []byte {
	sec := now.Unix()
	if cur := d.p.Load(); cur != nil && cur.unix == sec {
		return cur.line
	}
	line := []byte("Date: " + now.UTC().Format("Mon, 02 Jan 2006 15:04:05 GMT") + "\r\n")
	d.p.Store(&datedLine{unix: sec, line: line})
	return line
}
