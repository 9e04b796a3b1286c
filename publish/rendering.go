package publish

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/tributary-rss/tributary/aggregator/model"
)

// cacheControl lets readers and proxies reuse a feed for five minutes, about
// the shortest poll interval worth configuring.
const cacheControl = "public, max-age=300"

// rendering is one rendered representation of a section at one version,
// with a gzip copy made once so gzip responses cost no CPU per request.
type rendering struct {
	key     cacheKey
	version int64
	updated time.Time
	body    []byte
	gz      []byte
	etag    string
	gzETag  string
}

func newRendering(key cacheKey, meta model.SectionMeta, body []byte) (*rendering, error) {
	gz, err := gzipBytes(body)
	if err != nil {
		return nil, fmt.Errorf("gzip %s of section %s: %w", string(key.format), key.section, err)
	}
	// The ETag names everything the bytes depend on, so equal tags mean
	// equal bytes across restarts and instances.
	tag := fmt.Sprintf("%s-v%d-%s-%d", key.section, meta.Version, key.format, key.limit)
	return &rendering{
		key:     key,
		version: meta.Version,
		updated: meta.UpdatedAt,
		body:    body,
		gz:      gz,
		etag:    `"` + tag + `"`,
		gzETag:  `"` + tag + `-gz"`,
	}, nil
}

// gzipBytes compresses b reproducibly: gzip.Writer leaves the header's
// mtime and name empty, so the same input gives the same bytes.
func gzipBytes(b []byte) ([]byte, error) {
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		return nil, err
	}
	if _, err := zw.Write(b); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// writeRendering answers r from rend: negotiation, validators, 304, body.
func writeRendering(w http.ResponseWriter, r *http.Request, rend *rendering, stale bool) {
	useGzip := acceptsGzip(r.Header.Values("Accept-Encoding"))
	etag, body := rend.etag, rend.body
	if useGzip {
		etag, body = rend.gzETag, rend.gz
	}
	h := w.Header()
	h.Set("Cache-Control", cacheControl)
	h.Set("Vary", "Accept-Encoding")
	h.Set("ETag", etag)
	h.Set("X-Content-Type-Options", "nosniff")
	if !rend.updated.IsZero() {
		h.Set("Last-Modified", rend.updated.UTC().Format(http.TimeFormat))
	}
	if stale {
		h.Set("Warning", `110 - "stale: store unavailable"`)
	}
	if rend.key.format == formatHTML {
		setPageSecurityHeaders(h)
	}
	if notModified(r.Header, etag, rend.updated) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	h.Set("Content-Type", rend.key.format.contentType())
	if useGzip {
		h.Set("Content-Encoding", "gzip")
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		_, _ = w.Write(body)
	}
}
