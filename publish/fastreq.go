package publish

import (
	"bytes"
)

// fastRequest is what the fast path reads of a request (see fastlisten.go):
// a GET or HEAD with no body, and the few headers a cached feed answer
// depends on.
type fastRequest struct {
	head     bool
	path     string
	rawQuery string
	// acceptEncoding and ifNoneMatch hold every line of the header, as
	// net/http's Header.Values would.
	acceptEncoding  []string
	ifNoneMatch     []string
	ifModifiedSince string
}

// fastParse is the outcome of parseFastRequest.
type fastParse int

const (
	// fastIncomplete: the header block has not fully arrived.
	fastIncomplete fastParse = iota
	// fastOK: a request the fast path may answer.
	fastOK
	// fastDecline: anything else, valid or not. The connection goes to
	// net/http with every byte read so far, which answers it exactly as
	// it would have without the fast path (errors included).
	fastDecline
)

var crlfcrlf = []byte("\r\n\r\n")

// parseFastRequest reads one request head from the start of b. It accepts
// only a strict subset of HTTP/1.1 and declines whatever is outside it, so
// it never has to get an unusual request right: GET or HEAD, an
// origin-form target of visible ASCII, "HTTP/1.1", CRLF line ends, no
// folded lines, exactly one Host, and no header that announces a body or a
// change of protocol (Content-Length, Transfer-Encoding, Expect, Upgrade)
// or the connection's end (Connection with anything but keep-alive). n is
// the length of the head, CRLFCRLF included.
func parseFastRequest(b []byte, req *fastRequest) (n int, res fastParse) {
	end := bytes.Index(b, crlfcrlf)
	if end < 0 {
		return 0, fastIncomplete
	}
	n = end + 4
	head := b[:end+2] // every line keeps its CRLF
	line, rest, _ := bytes.Cut(head, []byte("\r\n"))
	if !parseRequestLine(line, req) {
		return n, fastDecline
	}
	hosts := 0
	for len(rest) > 0 {
		line, rest, _ = bytes.Cut(rest, []byte("\r\n"))
		name, value, ok := splitHeaderLine(line)
		if !ok {
			return n, fastDecline
		}
		switch {
		case asciiEqualFold(name, "host"):
			hosts++
		case asciiEqualFold(name, "accept-encoding"):
			req.acceptEncoding = append(req.acceptEncoding, string(value))
		case asciiEqualFold(name, "if-none-match"):
			req.ifNoneMatch = append(req.ifNoneMatch, string(value))
		case asciiEqualFold(name, "if-modified-since"):
			if req.ifModifiedSince == "" {
				req.ifModifiedSince = string(value)
			}
		case asciiEqualFold(name, "connection"):
			if !asciiEqualFold(value, "keep-alive") {
				return n, fastDecline
			}
		case asciiEqualFold(name, "content-length"), asciiEqualFold(name, "transfer-encoding"),
			asciiEqualFold(name, "expect"), asciiEqualFold(name, "upgrade"):
			return n, fastDecline
		}
	}
	if hosts != 1 {
		return n, fastDecline
	}
	return n, fastOK
}

// parseRequestLine reads "GET /path?query HTTP/1.1".
func parseRequestLine(line []byte, req *fastRequest) bool {
	method, rest, ok := bytes.Cut(line, []byte(" "))
	if !ok {
		return false
	}
	switch string(method) {
	case "GET":
		req.head = false
	case "HEAD":
		req.head = true
	default:
		return false
	}
	target, proto, ok := bytes.Cut(rest, []byte(" "))
	if !ok || string(proto) != "HTTP/1.1" || len(target) == 0 || target[0] != '/' {
		return false
	}
	for _, c := range target {
		// Visible ASCII only; '#' never belongs in a request target.
		if c <= ' ' || c >= 0x7f || c == '#' {
			return false
		}
	}
	path, query, _ := bytes.Cut(target, []byte("?"))
	// A path net/http would unescape or clean is left to net/http.
	if bytes.IndexByte(path, '%') >= 0 || bytes.Contains(path, []byte("//")) || bytes.Contains(path, []byte("/.")) {
		return false
	}
	req.path, req.rawQuery = string(path), string(query)
	return true
}

// splitHeaderLine reads "Name: value": a token name, then optional
// whitespace around a value with no control characters but tab.
func splitHeaderLine(line []byte) (name, value []byte, ok bool) {
	i := bytes.IndexByte(line, ':')
	if i <= 0 {
		return nil, nil, false
	}
	name = line[:i]
	for _, c := range name {
		if !isTokenChar(c) {
			return nil, nil, false
		}
	}
	value = bytes.Trim(line[i+1:], " \t")
	for _, c := range value {
		if (c < ' ' && c != '\t') || c == 0x7f {
			return nil, nil, false
		}
	}
	return name, value, true
}

func isTokenChar(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	switch c {
	case '!', '#', '$', '%', '&', '\'', '*', '+', '-', '.', '^', '_', '`', '|', '~':
		return true
	}
	return false
}

// asciiEqualFold compares b with the lower-case ASCII string s.
func asciiEqualFold(b []byte, s string) bool {
	if len(b) != len(s) {
		return false
	}
	for i := range len(b) {
		c := b[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != s[i] {
			return false
		}
	}
	return true
}
