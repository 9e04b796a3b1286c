package publish

import (
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestConsole_forgedFlash: a flash cookie the console did not sign for
// this browser's session (set by a sibling subdomain, or on plain HTTP)
// shows nothing, signed in or not.
func TestConsole_forgedFlash(t *testing.T) {
	const lure = "re-enter your admin token at https://evil.example/admin"
	payload := base64.RawURLEncoding.EncodeToString([]byte(`{"e":true,"t":"` + lure + `"}`))
	env := newConsoleEnv(t, testBaseURL, nil)
	signedIn := env.client(t)
	signedIn.mustSignIn()
	sessionID := signedIn.cookies[sessionCookie].Value
	tok := env.s.adminToken()
	other := &adminToken{set: true}
	other.hash[0] = 1
	tests := []struct {
		name, value string
	}{
		{"unsigned", payload},
		{"signature of nothing", payload + "."},
		{"signed for another session", payload + "." + flashMAC(tok, "another-session", payload)},
		{"signed under another admin token", payload + "." + flashMAC(other, sessionID, payload)},
		{"signature of another message", payload + "." + flashMAC(tok, sessionID,
			base64.RawURLEncoding.EncodeToString([]byte(`{"t":"Saved"}`)))},
	}
	for _, tt := range tests {
		for _, page := range []struct {
			b    *browserish
			path string
		}{{env.client(t), "/admin/signin"}, {signedIn, "/admin/"}} {
			t.Run(tt.name+" "+page.path, func(t *testing.T) {
				page.b.cookies[flashCookie] = &http.Cookie{Name: flashCookie, Value: tt.value}
				resp, body := page.b.get(page.path)
				if resp.StatusCode != http.StatusOK {
					t.Fatalf("%d", resp.StatusCode)
				}
				if strings.Contains(body, "evil.example") {
					t.Errorf("the forged flash message is shown:\n%s", body)
				}
				if _, kept := page.b.cookies[flashCookie]; kept {
					t.Error("the forged flash cookie was not cleared")
				}
			})
		}
	}
	// The signed-out flash is for no session: it shows on the sign-in page.
	unsigned := payload + "." + flashMAC(tok, "", payload)
	b := env.client(t)
	b.cookies[flashCookie] = &http.Cookie{Name: flashCookie, Value: unsigned}
	if _, body := b.get("/admin/signin"); !strings.Contains(body, "evil.example") {
		t.Error("a flash message signed by the server for no session is not shown")
	}
}

// TestConsole_flashCookie: the flash of a form's answer shows on the next
// page, once; its cookie is scoped and protected as the session's is.
func TestConsole_flashCookie(t *testing.T) {
	tests := []struct {
		name, base string
		secure     bool
		path       string
	}{
		{"http base_url", "http://feeds.example.org", false, "/admin"},
		{"https base_url with a path", "https://portal.example.org/feeds", true, "/feeds/admin"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := newConsoleEnv(t, tt.base, nil)
			b := env.client(t)
			csrf := b.mustSignIn()
			resp, _ := b.do("POST", "/admin/sources/s1/pause", url.Values{"csrf": {csrf}})
			var ck *http.Cookie
			for _, c := range resp.Cookies() {
				if c.Name == flashCookie {
					ck = c
				}
			}
			if ck == nil {
				t.Fatal("no flash cookie")
			}
			if !ck.HttpOnly || ck.SameSite != http.SameSiteStrictMode || ck.Secure != tt.secure || ck.Path != tt.path || ck.MaxAge != 60 ||
				!strings.Contains(ck.Value, ".") {
				t.Errorf("flash cookie %+v: want HttpOnly, SameSite=Strict, Secure=%v, Path=%s, a minute, signed", ck, tt.secure, tt.path)
			}
			if _, body := b.get("/admin/sources/s1?lang=en"); !strings.Contains(body, `class="flash`) {
				t.Errorf("the flash message is not shown:\n%s", body)
			}
			if _, body := b.get("/admin/sources/s1?lang=en"); strings.Contains(body, `class="flash`) {
				t.Error("the flash message is shown twice")
			}
		})
	}
}
