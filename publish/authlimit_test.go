package publish

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tributary-rss/tributary/aggregator/config"
	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/aggregator/registry"
	"github.com/tributary-rss/tributary/aggregator/store"
	"github.com/tributary-rss/tributary/aggregator/store/storetest"
)

// testPeer is the header through which a test names the network peer of
// its request: a loopback listener always sees 127.0.0.1, and the limit
// is about who the peer is.
const testPeer = "X-Test-Peer"

// peerFrom serves h with r.RemoteAddr set from the testPeer header, as if
// the request had come from that address.
func peerFrom(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if p := r.Header.Get(testPeer); p != "" {
			r.RemoteAddr = p
			r.Header.Del(testPeer)
		}
		h.ServeHTTP(w, r)
	})
}

// guardedEnv is a console env whose every token-guarded surface is on
// (admin API, audit log, /status, /api/v1/sources, a guarded /metrics),
// served through peerFrom.
func guardedEnv(t *testing.T, edit func(*Options)) (*consoleEnv, *httptest.Server) {
	t.Helper()
	env := newConsoleEnv(t, testBaseURL, func(o *Options) {
		o.Status = &fakeStatus{list: consoleStatuses()}
		o.Metrics = &Metrics{Handler: http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, "up 1\n") }), RequireToken: true}
		if edit != nil {
			edit(o)
		}
	})
	return env, newHTTPTest(t, peerFrom(env.s))
}

// tokenSurfaces are the paths that take the admin token as a bearer
// token.
var tokenSurfaces = []string{"/api/v1/admin/sources", "/admin/audit.json", "/status", "/api/v1/sources", "/metrics"}

// bearer sends GET path with "Authorization: Bearer token" from peer.
func bearer(t *testing.T, ts *httptest.Server, path, token, peer string) *http.Response {
	t.Helper()
	resp, _ := fetch(t, ts, "GET", path, map[string]string{"Authorization": "Bearer " + token, testPeer: peer})
	return resp
}

// TestServer_tokenLimit: 1,000 wrong bearer tokens against each surface
// from one client: the first authFailLimit answer 401, every one after
// them 429 with Retry-After, and so does the right token; another client
// is served meanwhile.
func TestServer_tokenLimit(t *testing.T) {
	const attacker, other = "198.51.100.7:40000", "203.0.113.9:50000"
	for _, path := range tokenSurfaces {
		t.Run(path, func(t *testing.T) {
			env, ts := guardedEnv(t, nil)
			for i := 1; i <= 1000; i++ {
				resp := bearer(t, ts, path, "guess-"+strconv.Itoa(i), attacker)
				want := http.StatusUnauthorized
				if i > authFailLimit {
					want = http.StatusTooManyRequests
				}
				if resp.StatusCode != want {
					t.Fatalf("wrong token %d: %d, want %d", i, resp.StatusCode, want)
				}
				if want == http.StatusTooManyRequests && !retryAfterIn(resp, 1, 901) {
					t.Fatalf("wrong token %d: Retry-After %q, want 1…901 seconds", i, resp.Header.Get("Retry-After"))
				}
			}
			if resp := bearer(t, ts, path, consoleToken, attacker); resp.StatusCode != http.StatusTooManyRequests || !retryAfterIn(resp, 1, 901) {
				t.Errorf("the right token during the lockout: %d Retry-After %q, want 429", resp.StatusCode, resp.Header.Get("Retry-After"))
			}
			if resp := bearer(t, ts, path, consoleToken, other); resp.StatusCode != http.StatusOK {
				t.Errorf("another client with the right token: %d, want 200", resp.StatusCode)
			}
			env.clock.Add(authWindow)
			if resp := bearer(t, ts, path, consoleToken, attacker); resp.StatusCode != http.StatusOK {
				t.Errorf("the right token once the window ended: %d, want 200", resp.StatusCode)
			}
		})
	}
}

// TestOpsHandler_tokenLimit: a poll-only instance's guarded /metrics is
// under the same limit, counted in the same store.
func TestOpsHandler_tokenLimit(t *testing.T) {
	admin := newConsoleAdmin()
	metrics := &Metrics{Handler: http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, "up 1\n") }), RequireToken: true}
	ts := newHTTPTest(t, peerFrom(NewOpsHandler(Options{Metrics: metrics, AdminToken: consoleToken, Admin: admin})))
	for i := range authFailLimit {
		if resp := bearer(t, ts, "/metrics", "wrong", "198.51.100.7:1"); resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("failure %d: %d", i+1, resp.StatusCode)
		}
	}
	if resp := bearer(t, ts, "/metrics", consoleToken, "198.51.100.7:1"); resp.StatusCode != http.StatusTooManyRequests {
		t.Errorf("the right token after %d failures: %d, want 429", authFailLimit, resp.StatusCode)
	}
	if n, _, _ := admin.AuthFailures(t.Context(), "198.51.100.7"); n != authFailLimit {
		t.Errorf("the store counted %d failures, want %d", n, authFailLimit)
	}
}

// TestServer_tokenLimitIPv6: the clients of one IPv6 /64 share a count;
// another /64 has its own.
func TestServer_tokenLimitIPv6(t *testing.T) {
	_, ts := guardedEnv(t, nil)
	for i := range authFailLimit {
		peer := "[2001:db8:1:2::" + strconv.Itoa(i+1) + "]:40000"
		if resp := bearer(t, ts, "/api/v1/admin/sources", "wrong", peer); resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("failure %d: %d", i+1, resp.StatusCode)
		}
	}
	tests := []struct {
		name, peer string
		code       int
	}{
		{"same /64", "[2001:db8:1:2:ffff:ffff:ffff:fffe]:1", http.StatusTooManyRequests},
		{"neighbouring /64", "[2001:db8:1:3::1]:1", http.StatusOK},
		{"IPv4", "192.0.2.1:1", http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if resp := bearer(t, ts, "/api/v1/admin/sources", consoleToken, tt.peer); resp.StatusCode != tt.code {
				t.Errorf("right token from %s: %d, want %d", tt.peer, resp.StatusCode, tt.code)
			}
		})
	}
}

func retryAfterIn(resp *http.Response, lo, hi int) bool {
	n, err := strconv.Atoi(resp.Header.Get("Retry-After"))
	return err == nil && n >= lo && n <= hi
}

// TestServer_tokenLimitForwarded: behind a trusted proxy the limit counts
// the client X-Forwarded-For names (the right-most entry that is not a
// trusted proxy); entries a client wrote itself change nothing, and from
// any other peer the header is ignored.
func TestServer_tokenLimitForwarded(t *testing.T) {
	const proxy = "10.0.0.2:40000"
	env, ts := guardedEnv(t, func(o *Options) {
		o.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}
	})
	send := func(token, peer, xff string) int {
		t.Helper()
		resp, _ := fetch(t, ts, "GET", "/api/v1/admin/sources", map[string]string{
			"Authorization": "Bearer " + token, testPeer: peer, "X-Forwarded-For": xff})
		return resp.StatusCode
	}
	// Through the proxy: the client spoofs a new left-most address on
	// every try; the proxy appends the real one, and another proxy of
	// ours the one it got.
	for i := range authFailLimit {
		xff := "192.0.2." + strconv.Itoa(i+1) + ", 203.0.113.5, 10.9.9.9"
		if code := send("wrong", proxy, xff); code != http.StatusUnauthorized {
			t.Fatalf("failure %d through the proxy: %d", i+1, code)
		}
	}
	// From an untrusted peer the header is ignored: naming a new client
	// every time does not escape the peer's own count.
	for i := range authFailLimit {
		if code := send("wrong", "198.51.100.7:1", "203.0.113."+strconv.Itoa(100+i)); code != http.StatusUnauthorized {
			t.Fatalf("failure %d from an untrusted peer: %d", i+1, code)
		}
	}
	tests := []struct {
		name, peer, xff string
		code            int
	}{
		{"locked client through the proxy", proxy, "203.0.113.5", http.StatusTooManyRequests},
		{"locked client, spoofed entry on the left", proxy, "198.51.100.99, 203.0.113.5", http.StatusTooManyRequests},
		{"another client through the proxy", proxy, "203.0.113.6", http.StatusOK},
		{"another client naming the locked one on the left", proxy, "203.0.113.5, 203.0.113.7", http.StatusOK},
		{"untrusted peer naming another client", "198.51.100.7:1", "203.0.113.8", http.StatusTooManyRequests},
		{"an unlocked peer naming a locked client", "198.51.100.8:1", "203.0.113.5", http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if code := send(consoleToken, tt.peer, tt.xff); code != tt.code {
				t.Errorf("right token from %s (X-Forwarded-For %q): %d, want %d", tt.peer, tt.xff, code, tt.code)
			}
		})
	}
	clients := map[string]int{}
	recs, _ := env.admin.AuthFailureLog(t.Context(), 10)
	for _, rec := range recs {
		clients[rec.Client] = rec.Count
	}
	if want := map[string]int{"203.0.113.5": authFailLimit, "198.51.100.7": authFailLimit}; !maps.Equal(clients, want) {
		t.Errorf("failures counted for %v, want %v", clients, want)
	}
}

func TestClientAddrs_addr(t *testing.T) {
	trusted := clientAddrs{trusted: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("fd00::/8")}}
	many := strings.Repeat("10.1.1.1, ", maxForwardedHops+5) + "10.1.1.2"
	tests := []struct {
		name   string
		c      clientAddrs
		remote string
		hdr    map[string][]string
		want   string
	}{
		{"no proxy trusted", clientAddrs{}, "198.51.100.7:1", map[string][]string{"X-Forwarded-For": {"203.0.113.1"}}, "198.51.100.7"},
		{"untrusted peer", trusted, "198.51.100.7:1", map[string][]string{"X-Forwarded-For": {"203.0.113.1"}}, "198.51.100.7"},
		{"trusted peer", trusted, "10.0.0.2:1", map[string][]string{"X-Forwarded-For": {"203.0.113.1"}}, "203.0.113.1"},
		{"spoofed left-most entries", trusted, "10.0.0.2:1", map[string][]string{"X-Forwarded-For": {"1.2.3.4, 5.6.7.8,203.0.113.1"}}, "203.0.113.1"},
		{"chain of trusted proxies", trusted, "10.0.0.2:1", map[string][]string{"X-Forwarded-For": {"1.2.3.4, 203.0.113.1, 10.0.0.9"}}, "203.0.113.1"},
		{"header on several lines", trusted, "10.0.0.2:1", map[string][]string{"X-Forwarded-For": {"1.2.3.4", "203.0.113.1, 10.0.0.9"}}, "203.0.113.1"},
		{"every hop trusted", trusted, "10.0.0.2:1", map[string][]string{"X-Forwarded-For": {"10.0.0.7"}}, "10.0.0.7"},
		{"trusted peer without the header", trusted, "10.0.0.2:1", nil, "10.0.0.2"},
		{"garbage where the proxy writes", trusted, "10.0.0.2:1", map[string][]string{"X-Forwarded-For": {"203.0.113.1, unknown"}}, "10.0.0.2"},
		{"entry with a port", trusted, "[fd00::1]:1", map[string][]string{"X-Forwarded-For": {"[2001:db8::1]:443"}}, "2001:db8::1"},
		{"IPv4-mapped peer", clientAddrs{}, "[::ffff:198.51.100.7]:1", nil, "198.51.100.7"},
		{"zone dropped", clientAddrs{}, "[fe80::1%eth0]:1", nil, "fe80::1"},
		{"X-Real-IP and Forwarded are not believed", trusted, "10.0.0.2:1",
			map[string][]string{"X-Real-Ip": {"203.0.113.1"}, "Forwarded": {"for=203.0.113.1"}}, "10.0.0.2"},
		{"more hops than walked", trusted, "10.0.0.2:1", map[string][]string{"X-Forwarded-For": {"203.0.113.1, " + many}}, "10.1.1.1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/", nil)
			r.RemoteAddr = tt.remote
			maps.Copy(r.Header, tt.hdr)
			got, ok := tt.c.addr(r)
			if !ok || got.String() != tt.want {
				t.Errorf("addr = %v, %v; want %s", got, ok, tt.want)
			}
		})
	}
	r := httptest.NewRequest("GET", "/", nil)
	r.RemoteAddr = "@"
	if a, ok := trusted.addr(r); ok {
		t.Errorf("a peer that is no IP address: %v", a)
	}
}

func TestLimitKey(t *testing.T) {
	tests := []struct{ addr, want string }{
		{"198.51.100.7", "198.51.100.7"},
		{"2001:db8:1:2::1", "2001:db8:1:2::/64"},
		{"2001:db8:1:2:ffff:ffff:ffff:ffff", "2001:db8:1:2::/64"},
		{"2001:db8:1:3::1", "2001:db8:1:3::/64"},
	}
	for _, tt := range tests {
		t.Run(tt.addr, func(t *testing.T) {
			if got := limitKey(netip.MustParseAddr(tt.addr)); got != tt.want {
				t.Errorf("limitKey = %q, want %q", got, tt.want)
			}
		})
	}
}

// TestServer_tokenLimitStoreDown: while the store does not answer, each
// instance counts on its own: a guessing client is still locked out, the
// others are not; a table full of clients makes the newcomers share one
// count rather than go uncounted.
func TestServer_tokenLimitStoreDown(t *testing.T) {
	env, ts := guardedEnv(t, nil)
	env.admin.authDown = errors.New("store down")
	env.s.limiter.max = 3
	const path = "/api/v1/admin/sources"
	for i := range authFailLimit {
		if resp := bearer(t, ts, path, "wrong", "198.51.100.7:1"); resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("failure %d: %d", i+1, resp.StatusCode)
		}
	}
	if resp := bearer(t, ts, path, consoleToken, "198.51.100.7:1"); resp.StatusCode != http.StatusTooManyRequests || !retryAfterIn(resp, 900, 901) {
		t.Errorf("the right token after %d failures: %d Retry-After %q, want 429", authFailLimit, resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	if resp := bearer(t, ts, path, consoleToken, "203.0.113.1:1"); resp.StatusCode != http.StatusOK {
		t.Errorf("another client: %d, want 200", resp.StatusCode)
	}
	// Fill the table (198.51.100.7 is in it), then let newcomers guess.
	for _, peer := range []string{"203.0.113.2:1", "203.0.113.3:1"} {
		bearer(t, ts, path, "wrong", peer)
	}
	for i := range authFailLimit {
		peer := "192.0.2." + strconv.Itoa(i+1) + ":1"
		if resp := bearer(t, ts, path, "wrong", peer); resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("newcomer %d: %d", i+1, resp.StatusCode)
		}
	}
	if resp := bearer(t, ts, path, "wrong", "192.0.2.99:1"); resp.StatusCode != http.StatusTooManyRequests {
		t.Errorf("a newcomer once newcomers used up their shared count: %d, want 429", resp.StatusCode)
	}
	if resp := bearer(t, ts, path, consoleToken, "203.0.113.2:1"); resp.StatusCode != http.StatusOK {
		t.Errorf("a client in the table with one failure: %d, want 200", resp.StatusCode)
	}
	// The store answers again: its count decides.
	env.admin.mu.Lock()
	env.admin.authDown = nil
	env.admin.mu.Unlock()
	if resp := bearer(t, ts, path, consoleToken, "192.0.2.99:1"); resp.StatusCode != http.StatusOK {
		t.Errorf("a newcomer once the store answers: %d, want 200", resp.StatusCode)
	}
}

// TestConsole_auditFailures: failed token checks on every surface make
// one aggregate record per client, shown on the audit page and in
// audit.json beside the real records, which they never replace.
func TestConsole_auditFailures(t *testing.T) {
	env, ts := guardedEnv(t, nil)
	env.admin.Audit(t.Context(), model.AuditRecord{Time: consoleNow.Add(-time.Hour), Action: "source.add", Target: "s1", Client: "10.0.0.1", Via: "api", Result: "ok"})
	for i, path := range tokenSurfaces {
		env.clock.Add(time.Second)
		bearer(t, ts, path, "wrong", "198.51.100.7:1")
		bearer(t, ts, path, "wrong", "[2001:db8:1:2::"+strconv.Itoa(i+1)+"]:1")
	}
	resp, body := fetch(t, ts, "GET", "/admin/audit.json", map[string]string{"Authorization": "Bearer " + consoleToken, testPeer: "203.0.113.1:1"})
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("audit.json: %d %s", resp.StatusCode, body)
	}
	var got struct{ Records []model.AuditRecord }
	if err := json.Unmarshal(body, &got); err != nil {
		t.Fatal(err)
	}
	want := []string{
		"auth.failed 198.51.100.7 api,audit,operator,metrics ×5",
		"auth.failed 2001:db8:1:2::/64 api,audit,operator,metrics ×5",
		"source.add 10.0.0.1 api ×0",
	}
	var have []string
	for _, r := range got.Records {
		have = append(have, fmt.Sprintf("%s %s %s ×%d", r.Action, r.Client, r.Via, r.Count))
	}
	slices.Sort(have)
	if !slices.Equal(have, want) {
		t.Errorf("audit.json records:\n%s\nwant\n%s", strings.Join(have, "\n"), strings.Join(want, "\n"))
	}
	b := env.client(t)
	b.mustSignIn()
	if _, page := b.get("/admin/audit?lang=en"); !strings.Contains(page, "5 wrong tokens in this window") || !strings.Contains(page, "2001:db8:1:2::/64") {
		t.Errorf("the audit page does not show the aggregates:\n%s", page)
	}
}

// BenchmarkServer_checkToken measures the token check on a real
// redis-server: the right token (one store read, no write), a client
// locked out (memory only) and a wrong token (one script), beside the
// bare comparison of the token.
func BenchmarkServer_checkToken(b *testing.B) {
	cfg, err := config.Parse("portal.yaml", []byte(moderationConfig), nil)
	if err != nil {
		b.Fatal(err)
	}
	st := store.New(storetest.NewClient(b, storetest.StartRedis(b)), "", nil)
	s := NewServer(nil, Options{BaseURL: testBaseURL, Admin: registry.New(st, cfg, registry.Options{}), AdminToken: consoleToken})
	from := func(peer string) *http.Request {
		r := httptest.NewRequest("GET", "/api/v1/admin/sources", nil)
		r.RemoteAddr = peer
		return r
	}
	b.Run("compare only", func(b *testing.B) {
		for b.Loop() {
			tokenIs(consoleToken, s.adminToken().hash)
		}
	})
	b.Run("right token", func(b *testing.B) {
		r := from("203.0.113.1:1")
		for b.Loop() {
			if s.checkToken(r, "api", consoleToken, true).verdict != tokenOK {
				b.Fatal("refused")
			}
		}
	})
	b.Run("locked client", func(b *testing.B) {
		r := from("198.51.100.7:1")
		for range authFailLimit {
			s.checkToken(r, "api", "wrong", true)
		}
		for b.Loop() {
			if s.checkToken(r, "api", consoleToken, true).verdict != tokenLocked {
				b.Fatal("not locked")
			}
		}
	})
	b.Run("wrong token", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			// A new client every authFailLimit-1 failures: none is locked.
			n := i / (authFailLimit - 1)
			s.checkToken(from(fmt.Sprintf("10.%d.%d.%d:1", n>>16&255, n>>8&255, n&255)), "api", "wrong", true)
		}
	})
}
