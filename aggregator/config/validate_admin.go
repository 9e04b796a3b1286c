package config

import (
	"fmt"
	"unicode"
)

// MinAdminTokenLen is the shortest admin token accepted: the token is the
// only thing between the internet and adding sources, so a short one that
// can be guessed is refused rather than trusted.
const MinAdminTokenLen = 16

// AdminConfig turns on the admin API (/api/v1/admin/…).
type AdminConfig struct {
	// Token is the bearer token the admin API requires; empty (the
	// default) turns the admin API off. TRIBUTARY_ADMIN_TOKEN overrides
	// it, so it need not be written into the file.
	Token string `yaml:"token"`
	// AllowPrivate lets sources added through the admin API reach
	// loopback, private, link-local and cloud metadata addresses. Off by
	// default: whoever holds the token must not be able to make the daemon
	// probe the network it runs in (SSRF).
	AllowPrivate bool `yaml:"allow_private"`
}

func (v *validator) admin(a *AdminConfig) {
	if v.filled(&a.Token) {
		v.check(&a.Token, "token", checkAdminToken(a.Token))
	}
}

// checkAdminToken never quotes the token back: messages end up in logs.
func checkAdminToken(tok string) error {
	if len(tok) < MinAdminTokenLen {
		return fmt.Errorf("must be at least %d characters (got %d); generate one with `openssl rand -hex 32`", MinAdminTokenLen, len(tok))
	}
	for _, r := range tok {
		if r > unicode.MaxASCII || !unicode.IsPrint(r) || r == ' ' {
			return fmt.Errorf("must be printable ASCII without spaces (it is sent in an Authorization header)")
		}
	}
	return nil
}

// CheckFeedURL reports whether raw is usable as a source URL: absolute
// http or https with a host. The admin API uses it for sources added at
// run time.
func CheckFeedURL(raw string) error { return checkFeedURL(raw) }

// CheckID reports whether id is a valid section or source id.
func CheckID(id string) error { return checkID(id) }

// CheckTimezone reports whether name is a known IANA zone.
func CheckTimezone(name string) error { return checkTimezone(name) }
