package fetch

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync"
	"testing"
)

func TestDenyPrivate(t *testing.T) {
	tests := []struct {
		addr, want string
	}{
		{"127.0.0.1", "loopback"},
		{"127.9.9.9", "loopback"},
		{"::1", "loopback"},
		{"::ffff:127.0.0.1", "loopback"}, // IPv4-mapped: judged as IPv4
		{"10.1.2.3", "private"},
		{"172.16.0.1", "private"},
		{"192.168.1.1", "private"},
		{"fd12:3456::1", "private"},
		{"169.254.169.254", "cloud metadata"},
		{"fd00:ec2::254", "private"}, // AWS's IPv6 metadata address is ULA anyway
		{"169.254.1.1", "link-local"},
		{"fe80::1", "link-local"},
		{"0.0.0.0", "unspecified"},
		{"::", "unspecified"},
		{"0.1.2.3", `"this network"`},
		{"100.100.100.200", "shared (carrier NAT)"}, // Alibaba Cloud's metadata service
		{"224.0.0.1", "multicast"},
		{"ff02::1", "multicast"},
		{"255.255.255.255", "broadcast"},
		{"198.18.0.1", "benchmarking"},
		{"64:ff9b::a00:1", "NAT64"},
		{"2002:7f00:1::", "6to4"},
		{"192.0.2.1", "documentation"},
		{"198.51.100.7", "documentation"},
		{"203.0.113.10", "documentation"},
		{"2001:db8::1", "documentation"},
		{"3fff::1", "documentation"},
		{"3fff:fff:ffff::1", "documentation"},
		{"::7f00:1", "IPv4-compatible"},    // 127.0.0.1 written the deprecated way
		{"::a9fe:a9fe", "IPv4-compatible"}, // 169.254.169.254
		{"::808:808", "IPv4-compatible"},
		{"8.8.8.8", ""},
		{"3fff:1000::1", ""}, // just past 3fff::/20
		{"2001:db9::1", ""},
		{"203.119.25.1", ""},
		{"2400:3200::1", ""},
	}
	for _, tt := range tests {
		if got := DenyPrivate(netip.MustParseAddr(tt.addr)); got != tt.want {
			t.Errorf("DenyPrivate(%s) = %q, want %q", tt.addr, got, tt.want)
		}
	}
}

// publicForTest treats 127.0.0.2 as if it were a public address, so a
// loopback test server can stand in for a public site; everything else
// follows DenyPrivate.
func publicForTest(a netip.Addr) string {
	if a == netip.MustParseAddr("127.0.0.2") {
		return ""
	}
	return DenyPrivate(a)
}

// seqResolver answers each lookup of a name with the next address of its
// list (the last one repeating): a DNS server that rebinds.
type seqResolver struct {
	mu      sync.Mutex
	answers []netip.Addr
	calls   int
}

func (r *seqResolver) LookupNetIP(_ context.Context, _, host string) ([]netip.Addr, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	i := min(r.calls, len(r.answers)-1)
	r.calls++
	return []netip.Addr{r.answers[i]}, nil
}

// listenOn starts an httptest server on ip (a loopback address) without
// keep-alive, so every fetch dials anew.
func listenOn(t *testing.T, ip string, h http.HandlerFunc) *httptest.Server {
	t.Helper()
	ln, err := net.Listen("tcp", ip+":0")
	if err != nil {
		t.Skipf("cannot listen on %s: %v", ip, err)
	}
	srv := httptest.NewUnstartedServer(h)
	srv.Listener.Close()
	srv.Listener = ln
	srv.Config.SetKeepAlivesEnabled(false)
	srv.Start()
	t.Cleanup(srv.Close)
	return srv
}

func TestFetcher_restricted(t *testing.T) {
	private := listenOn(t, "127.0.0.1", serveBytes([]byte(tinyRSS), nil))
	var public *httptest.Server
	public = listenOn(t, "127.0.0.2", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/redirect" {
			http.Redirect(w, r, private.URL+"/feed", http.StatusFound)
			return
		}
		serveBytes([]byte(tinyRSS), nil)(w, r)
	})
	_, publicPort, _ := net.SplitHostPort(public.Listener.Addr().String())
	_, privatePort, _ := net.SplitHostPort(private.Listener.Addr().String())

	tests := []struct {
		name    string
		url     string
		answers []string // what feed.test resolves to, lookup by lookup
		fetches int      // fetches made; the last one is checked
		wantErr string   // "" means the last fetch succeeds
	}{
		{name: "public address", url: public.URL + "/feed", fetches: 1},
		{name: "loopback literal", url: private.URL + "/feed", fetches: 1,
			wantErr: "refused to connect to 127.0.0.1: loopback address"},
		{name: "redirect to loopback", url: public.URL + "/redirect", fetches: 1,
			wantErr: "refused to connect to 127.0.0.1: loopback address"},
		{name: "name resolving to metadata", url: "http://feed.test:" + publicPort + "/feed",
			answers: []string{"169.254.169.254"}, fetches: 1,
			wantErr: "refused to connect to feed.test (169.254.169.254): cloud metadata address"},
		{name: "DNS rebinding", url: "http://feed.test:" + privatePort + "/feed",
			answers: []string{"127.0.0.2", "127.0.0.1"}, fetches: 2,
			wantErr: "refused to connect to feed.test (127.0.0.1): loopback address"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := &seqResolver{answers: []netip.Addr{netip.MustParseAddr("127.0.0.2")}}
			if tt.answers != nil {
				res.answers = nil
				for _, a := range tt.answers {
					res.answers = append(res.answers, netip.MustParseAddr(a))
				}
			}
			f := New(Options{Policy: publicForTest, Resolver: res})
			var err error
			for i := range tt.fetches {
				_, err = f.Fetch(context.Background(), Request{URL: tt.url, Restricted: true})
				if i < tt.fetches-1 && errors.Is(err, ErrForbiddenAddress) {
					// The first answer is allowed: only the rebound one may be refused.
					t.Fatalf("fetch %d refused: %v", i+1, err)
				}
			}
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("Fetch: %v", err)
				}
				return
			}
			if err == nil || !errors.Is(err, ErrForbiddenAddress) {
				t.Fatalf("err = %v, want one matching ErrForbiddenAddress", err)
			}
			if got := reason(err); !strings.Contains(got, tt.wantErr) {
				t.Errorf("Reason = %q, want it to contain %q", got, tt.wantErr)
			}
		})
	}
	// The same URLs fetched unrestricted (sources from the config file)
	// reach the loopback server: the operator chose them.
	if _, err := New(Options{}).Fetch(context.Background(), Request{URL: public.URL + "/redirect"}); err != nil {
		t.Errorf("unrestricted fetch: %v", err)
	}
}
