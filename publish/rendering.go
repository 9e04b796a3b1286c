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

// rendering is one rendered representation of a section at one version,
// with a gzip copy made once so gzip responses cost no CPU per request, and
// every response header built once so a cache hit only copies slices.
type rendering struct {
	key     cacheKey
	version int64
	updated time.Time
	plain   variant
	gz      variant
}

// variant is one encoding of a rendering: its bytes, its ETag and the
// headers of a 200 and of a 304 answer.
type variant struct {
	body       []byte
	etag       string
	headers    http.Header
	headers304 http.Header
}

// newRendering compresses body and builds the header sets. common holds
// the headers every answer for this format carries (caching, security,
// CORS).
func newRendering(key cacheKey, meta model.SectionMeta, body []byte, common http.Header) (*rendering, error) {
	return newTaggedRendering(key, meta, body, common, etagFor(key, meta.Version))
}

// newStaticRendering is a rendering of bytes fixed for the process's life
// (OPML, the section list, the widget): its ETag is a hash of the bytes.
func newStaticRendering(f format, body []byte, common http.Header) (*rendering, error) {
	tag := contentETag(body)
	return newTaggedRendering(cacheKey{format: f}, model.SectionMeta{}, body, common, tag[1:len(tag)-1])
}

func newTaggedRendering(key cacheKey, meta model.SectionMeta, body []byte, common http.Header, tag string) (*rendering, error) {
	gz, err := gzipBytes(body)
	if err != nil {
		return nil, fmt.Errorf("gzip %s of section %s: %w", string(key.format), key.section, err)
	}
	rend := &rendering{key: key, version: meta.Version, updated: meta.UpdatedAt}
	rend.plain = newVariant(rend, body, `"`+tag+`"`, "", common)
	rend.gz = newVariant(rend, gz, `"`+tag+`-gz"`, "gzip", common)
	return rend, nil
}

// etagFor names everything the bytes depend on, so equal tags mean equal
// bytes across restarts and instances.
func etagFor(key cacheKey, version int64) string {
	tag := fmt.Sprintf("%s-v%d-%s-%d", key.section, version, key.format, key.limit)
	if key.source != "" {
		tag += "-s" + key.source
	}
	if key.before != "" {
		tag += "-b" + key.before
	}
	if key.lang != "" {
		tag += "-" + key.lang
	}
	if key.summary != 0 {
		tag += "-c" + strconv.Itoa(key.summary)
	}
	return tag
}

func newVariant(rend *rendering, body []byte, etag, encoding string, common http.Header) variant {
	h304 := common.Clone()
	h304["Etag"] = []string{etag}
	if !rend.updated.IsZero() {
		h304["Last-Modified"] = []string{rend.updated.UTC().Format(http.TimeFormat)}
	}
	h := h304.Clone()
	h["Content-Type"] = []string{rend.key.format.contentType()}
	h["Content-Length"] = []string{strconv.Itoa(len(body))}
	if encoding != "" {
		h["Content-Encoding"] = []string{encoding}
	}
	return variant{body: body, etag: etag, headers: h, headers304: h304}
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

// warningStale tells clients a render is served while the store is down.
var warningStale = []string{`110 - "stale: store unavailable"`}

// writeRendering answers r from rend: negotiation, validators, 304, body.
// The header slices are shared by every response and never modified: the
// map assignments below replace them, and net/http only reads them.
func writeRendering(w http.ResponseWriter, r *http.Request, rend *rendering, stale bool) {
	v := &rend.plain
	if acceptsGzip(r.Header["Accept-Encoding"]) {
		v = &rend.gz
	}
	h := w.Header()
	src := v.headers
	notMod := notModified(r.Header, v.etag, rend.updated)
	if notMod {
		src = v.headers304
	}
	for k, vals := range src {
		h[k] = vals
	}
	if stale {
		h["Warning"] = warningStale
	}
	if notMod {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		_, _ = w.Write(v.body)
	}
}
