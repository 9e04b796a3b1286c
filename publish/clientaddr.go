package publish

import (
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// maxForwardedHops bounds how many X-Forwarded-For entries are walked: a
// chain of proxies is a handful long, and a client can send thousands.
const maxForwardedHops = 32

// unknownClient stands for a peer whose address is not an IP address (a
// Unix socket): all such peers share one count.
const unknownClient = "unknown"

// clientAddrs finds the address of the client a request comes from. The
// peer of the connection is the client, unless it is a trusted proxy
// (http.trusted_proxies): then X-Forwarded-For is walked from the right,
// past trusted proxies, and the first address that is not one is the
// client. Entries left of it are whatever the client wrote and are never
// believed; nor is any other header (X-Real-IP, Forwarded).
type clientAddrs struct {
	trusted []netip.Prefix
}

// addr is the client's address, or false when the peer's address is not
// an IP address.
func (c clientAddrs) addr(r *http.Request) (netip.Addr, bool) {
	peer, ok := parseHop(r.RemoteAddr)
	if !ok {
		return netip.Addr{}, false
	}
	if !c.trusts(peer) {
		return peer, true
	}
	client := peer
	walkForwarded(r.Header.Values("X-Forwarded-For"), func(hop string) bool {
		a, ok := parseHop(hop)
		if !ok {
			// A proxy of ours never writes this: stop at the last hop
			// known to be real.
			return false
		}
		client = a
		return c.trusts(a)
	})
	return client, true
}

// trusts reports whether a is inside a trusted proxy prefix.
func (c clientAddrs) trusts(a netip.Addr) bool {
	for _, p := range c.trusted {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// walkForwarded calls next with X-Forwarded-For's entries from the
// right-most (the one the nearest proxy appended) leftwards, across
// repeated header lines, while next returns true, for at most
// maxForwardedHops entries.
func walkForwarded(lines []string, next func(hop string) bool) {
	n := 0
	for i := len(lines) - 1; i >= 0; i-- {
		rest := lines[i]
		for {
			hop := rest
			cut := strings.LastIndexByte(rest, ',')
			if cut >= 0 {
				rest, hop = rest[:cut], rest[cut+1:]
			}
			if n++; n > maxForwardedHops || !next(strings.TrimSpace(hop)) {
				return
			}
			if cut < 0 {
				break
			}
		}
	}
}

// parseHop reads an address as RemoteAddr ("host:port") or
// X-Forwarded-For ("host", "host:port", "[v6]:port") gives it, without
// zone and with an IPv4-mapped IPv6 address as IPv4.
func parseHop(s string) (netip.Addr, bool) {
	if host, _, err := net.SplitHostPort(s); err == nil {
		s = host
	}
	a, err := netip.ParseAddr(strings.TrimSuffix(strings.TrimPrefix(s, "["), "]"))
	if err != nil {
		return netip.Addr{}, false
	}
	return a.Unmap().WithZone(""), true
}

// limitKey is whom the limit of token checks counts: an IPv4 client by
// its address, an IPv6 client by its /64, the smallest network a
// subscriber is given (one host can use any of its 2^64 addresses).
func limitKey(a netip.Addr) string {
	if a.Is4() {
		return a.String()
	}
	return netip.PrefixFrom(a, 64).Masked().String()
}

// clientIP is the client's address as the audit log and log lines show
// it (see clientAddrs).
func (s *Server) clientIP(r *http.Request) string {
	if a, ok := s.clients.addr(r); ok {
		return a.String()
	}
	return r.RemoteAddr
}

// clientKey is whom the limit of token checks counts for r (see
// limitKey).
func (s *Server) clientKey(r *http.Request) string {
	if a, ok := s.clients.addr(r); ok {
		return limitKey(a)
	}
	return unknownClient
}
