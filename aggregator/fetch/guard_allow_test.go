package fetch

import (
	"context"
	"errors"
	"net/http"
	"net/netip"
	"testing"
)

func TestAllowed(t *testing.T) {
	allow := []netip.AddrPort{netip.MustParseAddrPort("127.0.0.1:8081")}
	tests := []struct {
		addr, port string
		want       bool
	}{
		{"127.0.0.1", "8081", true},
		{"::ffff:127.0.0.1", "8081", true},
		{"127.0.0.1", "8080", false},
		{"127.0.0.2", "8081", false},
		{"::1", "8081", false},
		{"127.0.0.1", "", false},
		{"127.0.0.1", "99999", false},
	}
	for _, tt := range tests {
		if got := Allowed(allow, netip.MustParseAddr(tt.addr), tt.port); got != tt.want {
			t.Errorf("Allowed(%s, %q) = %v, want %v", tt.addr, tt.port, got, tt.want)
		}
	}
	if Allowed(nil, netip.MustParseAddr("127.0.0.1"), "8081") {
		t.Error("nothing allowed allows a listener")
	}
}

// TestFetcher_allowListeners: a restricted fetch reaches a loopback
// listener named in AllowListeners, and nothing else on loopback: not
// another port of that address, not a redirect from it to another.
func TestFetcher_allowListeners(t *testing.T) {
	other := listenOn(t, "127.0.0.1", serveBytes([]byte(tinyRSS), nil))
	allowed := listenOn(t, "127.0.0.1", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/redirect" {
			http.Redirect(w, r, other.URL+"/feed", http.StatusFound)
			return
		}
		serveBytes([]byte(tinyRSS), nil)(w, r)
	})
	f := New(Options{AllowListeners: []netip.AddrPort{netip.MustParseAddrPort(allowed.Listener.Addr().String())}})
	tests := []struct {
		name    string
		url     string
		refused bool
	}{
		{"the allowed listener", allowed.URL + "/feed", false},
		{"another port of its address", other.URL + "/feed", true},
		{"a redirect from it to another port", allowed.URL + "/redirect", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := f.Fetch(context.Background(), Request{URL: tt.url, Restricted: true})
			if refused := errors.Is(err, ErrForbiddenAddress); refused != tt.refused || !tt.refused && err != nil {
				t.Errorf("err = %v, want refused %v", err, tt.refused)
			}
		})
	}
}
