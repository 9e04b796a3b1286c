package fetch

import (
	"net/netip"
	"strconv"
)

// Allowed reports whether addr and port (a port number as written in a
// URL or a dial address) are exactly one of the listeners in allow. Only
// a listener named in full passes: another port of an allowed address,
// or the same port on another address, is judged by the policy as usual.
func Allowed(allow []netip.AddrPort, addr netip.Addr, port string) bool {
	if len(allow) == 0 {
		return false
	}
	n, err := strconv.ParseUint(port, 10, 16)
	if err != nil {
		return false
	}
	want := netip.AddrPortFrom(addr.Unmap(), uint16(n))
	for _, ap := range allow {
		if netip.AddrPortFrom(ap.Addr().Unmap(), ap.Port()) == want {
			return true
		}
	}
	return false
}
