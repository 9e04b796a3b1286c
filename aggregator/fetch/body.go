package fetch

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// ErrBodyTooLarge is wrapped by Fetch's error when the body, as received or
// after decompression, is larger than the limit. The message says which
// limit was hit and its size.
var ErrBodyTooLarge = errors.New("body too large")

// gzipMagic starts every gzip stream (RFC 1952 §2.3.1).
const gzipMagic = "\x1f\x8b"

// readBody reads at most limit bytes of resp's body, decompressing gzip.
// It never holds more than limit+1 bytes of either form in memory.
func readBody(resp *http.Response, limit int64) ([]byte, error) {
	if resp.ContentLength > limit {
		return nil, &LimitError{Limit: limit, Detail: fmt.Sprintf("content-length %d exceeds the %d-byte limit", resp.ContentLength, limit)}
	}
	wire := &countingReader{r: io.LimitReader(resp.Body, limit+1)}
	if isGzipEncoded(resp.Header.Get("Content-Encoding")) {
		return gunzip(wire, limit, func() bool { return wire.n > limit })
	}
	b, err := io.ReadAll(wire)
	if err != nil {
		return nil, fmt.Errorf("read body: %w", err)
	}
	if wire.n > limit {
		return nil, &LimitError{Limit: limit, Detail: fmt.Sprintf("more than %d bytes on the wire", limit)}
	}
	// Some servers store feeds gzipped and send them without
	// Content-Encoding; the magic number makes that cheap to recognise.
	if bytes.HasPrefix(b, []byte(gzipMagic)) {
		return gunzip(bytes.NewReader(b), limit, func() bool { return false })
	}
	return b, nil
}

// gunzip decompresses r, reading at most limit+1 decompressed bytes.
// wireExceeded reports whether r was cut short by the wire limit, which
// explains a truncated gzip stream better than the gzip error does.
func gunzip(r io.Reader, limit int64, wireExceeded func() bool) ([]byte, error) {
	tooLargeOnWire := func() error {
		return &LimitError{Limit: limit, Detail: fmt.Sprintf("more than %d bytes on the wire", limit)}
	}
	zr, err := gzip.NewReader(r)
	if err != nil {
		if wireExceeded() {
			return nil, tooLargeOnWire()
		}
		return nil, fmt.Errorf("gzip: %w", err)
	}
	b, err := io.ReadAll(io.LimitReader(zr, limit+1))
	switch {
	case wireExceeded():
		return nil, tooLargeOnWire()
	case err != nil:
		return nil, fmt.Errorf("gzip: %w", err)
	case int64(len(b)) > limit:
		return nil, &LimitError{Limit: limit, Decompressed: true, Detail: fmt.Sprintf("more than %d bytes after gzip decompression", limit)}
	}
	return b, nil
}

func isGzipEncoded(contentEncoding string) bool {
	ce := strings.ToLower(strings.TrimSpace(contentEncoding))
	return ce == "gzip" || ce == "x-gzip"
}

// countingReader counts the bytes read through it.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}
