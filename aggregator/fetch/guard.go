package fetch

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"time"
)

// ErrForbiddenAddress matches an *AddressError: a restricted fetch tried
// to connect to an address its policy forbids.
var ErrForbiddenAddress = errors.New("forbidden address")

// AddressError says a restricted fetch would have connected to Addr,
// which its policy forbids for the reason Why ("loopback", "private", …).
type AddressError struct {
	Host string
	Addr netip.Addr
	Why  string
}

func (e *AddressError) Error() string {
	if e.Host != "" && e.Host != e.Addr.String() {
		return fmt.Sprintf("refused to connect to %s (%s): %s address", e.Host, e.Addr, e.Why)
	}
	return fmt.Sprintf("refused to connect to %s: %s address", e.Addr, e.Why)
}

// Is makes errors.Is(err, ErrForbiddenAddress) true.
func (e *AddressError) Is(target error) bool { return target == ErrForbiddenAddress }

// AddrPolicy returns a non-empty reason when a restricted fetch must not
// connect to addr.
type AddrPolicy func(addr netip.Addr) (why string)

// Resolver looks host names up; *net.Resolver is one.
type Resolver interface {
	LookupNetIP(ctx context.Context, network, host string) ([]netip.Addr, error)
}

// forbiddenPrefixes are ranges no public feed lives in, beyond what the
// netip predicates below name: shared address space (carrier NAT),
// "this network", IETF protocol assignments, benchmarking, documentation,
// reserved, and the IPv6 prefixes that can embed any IPv4 address.
var forbiddenPrefixes = []struct {
	prefix netip.Prefix
	why    string
}{
	{netip.MustParsePrefix("0.0.0.0/8"), "\"this network\""},
	{netip.MustParsePrefix("100.64.0.0/10"), "shared (carrier NAT)"},
	{netip.MustParsePrefix("192.0.0.0/24"), "IETF protocol"},
	{netip.MustParsePrefix("198.18.0.0/15"), "benchmarking"},
	{netip.MustParsePrefix("240.0.0.0/4"), "reserved"},
	// Documentation ranges (RFC 5737, RFC 3849, RFC 9637) are never
	// routed on the Internet: an answer inside one is a resolver that
	// points somewhere on the local network.
	{netip.MustParsePrefix("192.0.2.0/24"), "documentation"},
	{netip.MustParsePrefix("198.51.100.0/24"), "documentation"},
	{netip.MustParsePrefix("203.0.113.0/24"), "documentation"},
	{netip.MustParsePrefix("2001:db8::/32"), "documentation"},
	{netip.MustParsePrefix("3fff::/20"), "documentation"},
	// IPv4-compatible addresses (RFC 4291 section 2.5.5.1, deprecated):
	// ::7f00:1 is 127.0.0.1 to a stack that still tunnels them, and
	// netip's Unmap leaves them as IPv6, so the IPv4 checks above miss
	// them. :: and ::1 in this range are caught as unspecified and
	// loopback first.
	{netip.MustParsePrefix("::/96"), "IPv4-compatible"},
	{netip.MustParsePrefix("64:ff9b::/96"), "NAT64"},
	{netip.MustParsePrefix("64:ff9b:1::/48"), "NAT64"},
	{netip.MustParsePrefix("2002::/16"), "6to4"},
	{netip.MustParsePrefix("2001::/32"), "Teredo"},
	{netip.MustParsePrefix("fd00:ec2::254/128"), "cloud metadata"},
}

// DenyPrivate is the policy for sources added through the admin API:
// only public unicast addresses. It refuses loopback, private (RFC 1918,
// IPv6 ULA), link-local (which holds the 169.254.169.254 metadata
// service of most clouds), multicast, unspecified and the special ranges
// above. IPv4-mapped IPv6 addresses are judged as the IPv4 address they
// carry.
func DenyPrivate(addr netip.Addr) string {
	a := addr.Unmap()
	switch {
	case !a.IsValid():
		return "invalid"
	case a.IsLoopback():
		return "loopback"
	case a == netip.MustParseAddr("169.254.169.254"):
		return "cloud metadata"
	case a.IsPrivate():
		return "private"
	case a.IsLinkLocalUnicast():
		return "link-local"
	case a.IsUnspecified():
		return "unspecified"
	case a.IsMulticast(), a.IsLinkLocalMulticast(), a.IsInterfaceLocalMulticast():
		return "multicast"
	case a == netip.AddrFrom4([4]byte{255, 255, 255, 255}):
		return "broadcast"
	}
	for _, p := range forbiddenPrefixes {
		if p.prefix.Contains(a) {
			return p.why
		}
	}
	return ""
}

// guardedDialer resolves the host itself, checks every address against
// the policy and then dials the address it checked, never the name: the
// check and the connection see the same address, so DNS rebinding (a name
// that resolves to a public address once and to 127.0.0.1 the next time)
// cannot slip past it. Every redirect hop dials anew, so redirects are
// checked too.
type guardedDialer struct {
	dialer   *net.Dialer
	resolver Resolver
	policy   AddrPolicy
	// allow are the listeners let through whatever policy says (see
	// Options.AllowListeners).
	allow []netip.AddrPort
}

func (g *guardedDialer) DialContext(ctx context.Context, network, address string) (net.Conn, error) {
	host, port, err := net.SplitHostPort(address)
	if err != nil {
		return nil, err
	}
	addrs, err := g.resolve(ctx, host)
	if err != nil {
		return nil, err
	}
	// One forbidden answer refuses them all: a name that mixes public and
	// private addresses is either misconfigured or an attack.
	for _, a := range addrs {
		if why := g.policy(a); why != "" && !Allowed(g.allow, a, port) {
			return nil, &net.OpError{Op: "dial", Net: network, Err: &AddressError{Host: host, Addr: a, Why: why}}
		}
	}
	var first error
	for _, a := range addrs {
		conn, err := g.dialer.DialContext(ctx, network, net.JoinHostPort(a.String(), port))
		if err == nil {
			return conn, nil
		}
		if first == nil {
			first = err
		}
		if ctx.Err() != nil {
			break
		}
	}
	return nil, first
}

func (g *guardedDialer) resolve(ctx context.Context, host string) ([]netip.Addr, error) {
	if a, err := netip.ParseAddr(host); err == nil {
		return []netip.Addr{a}, nil
	}
	addrs, err := g.resolver.LookupNetIP(ctx, "ip", host)
	if err != nil {
		return nil, err
	}
	if len(addrs) == 0 {
		return nil, &net.DNSError{Err: "no addresses", Name: host, IsNotFound: true}
	}
	return addrs, nil
}

// newGuardedDialer returns the dialer of restricted fetches.
func newGuardedDialer(connect time.Duration, resolver Resolver, policy AddrPolicy) *guardedDialer {
	if resolver == nil {
		resolver = net.DefaultResolver
	}
	if policy == nil {
		policy = DenyPrivate
	}
	return &guardedDialer{
		dialer:   &net.Dialer{Timeout: connect, KeepAlive: 30 * time.Second},
		resolver: resolver,
		policy:   policy,
	}
}
