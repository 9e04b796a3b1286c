// Package urlsecret decides which parts of a URL an operator wrote are
// credentials, and removes them for outputs anyone may read. It owns the
// rule (which query parameter names carry a secret) so that every public
// output, and every payload that leaves the daemon, applies the same one.
// It never changes what is fetched: the daemon always requests the URL as
// configured. It imports only the standard library, so both the poll side
// (aggregator/...) and publish may use it.
package urlsecret

import "strings"

// credentialWords are the words a parameter name carries a credential
// with, once normalized (see normalize): keys, tokens, secrets,
// signatures, passwords, authorization, sessions, tickets. A name is
// secret when it contains one, wherever: "app_secret", "private_token",
// "access_key", "X-Amz-Signature", "oauth_verifier" (auth),
// "jsessionid" (session), "PHPSESSID" (sessid).
//
// Containment errs on the side of hiding: "keyword", "monkey" and
// "passage" contain key or pass, and lose their values in public outputs.
// That costs nothing but a less informative public URL.
var credentialWords = [...]string{
	"token", "secret", "key", "sig", "pass", "pwd",
	"auth", "session", "ticket", "credential",
	"sessid", // PHPSESSID
}

// exactNames are secret names no credential word covers.
var exactNames = [...]string{"sid"}

// prefixAmz starts the names of AWS signature V4 query parameters
// (X-Amz-Credential, X-Amz-Date, X-Amz-Security-Token…), normalized: a
// presigned URL is a credential as a whole.
const prefixAmz = "xamz"

// maxDecodeRounds bounds the percent-decoding of a name. A name still
// changing after that many rounds is treated as secret: nobody encodes a
// parameter name nine times except to hide it.
const maxDecodeRounds = 8

// Params decides which query parameter names carry a credential: the
// built-in rule plus the names an operator adds. The zero value applies
// the built-in rule alone. It is immutable and safe for concurrent use.
type Params struct {
	exact    map[string]bool
	prefixes []string
}

// NewParams is the built-in rule plus extra, each a name ("sid2") or a
// prefix ("x-goog-*"). Extra names are normalized like the names they are
// compared with, so "my_tok" also matches "My-Tok" and "my%5Ftok".
func NewParams(extra []string) Params {
	var p Params
	for _, raw := range extra {
		name, isPrefix := strings.CutSuffix(strings.TrimSpace(raw), "*")
		name = normalize(name)
		switch {
		case name == "":
		case isPrefix:
			p.prefixes = append(p.prefixes, name)
		default:
			if p.exact == nil {
				p.exact = make(map[string]bool, len(extra))
			}
			p.exact[name] = true
		}
	}
	return p
}

// Secret reports whether a query parameter named name (as written in the
// URL, percent-encoded or not) carries a credential.
func (p Params) Secret(name string) bool {
	decoded, stable := decodeAll(name)
	if !stable {
		return true
	}
	n := normalize(decoded)
	if p.exact[n] || strings.HasPrefix(n, prefixAmz) {
		return true
	}
	for _, w := range credentialWords {
		if strings.Contains(n, w) {
			return true
		}
	}
	for _, w := range exactNames {
		if n == w {
			return true
		}
	}
	for _, prefix := range p.prefixes {
		if strings.HasPrefix(n, prefix) {
			return true
		}
	}
	return false
}

// normalize is a decoded name lower-cased with everything but ASCII
// letters and digits removed: brackets ("token[]"), separators ("-", "_",
// ".", "+", spaces) and control or non-ASCII characters alike. Servers
// differ in which of them they ignore or fold; removing them all finds
// the credential word whichever they do.
func normalize(name string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(name) {
		if ('a' <= r && r <= 'z') || ('0' <= r && r <= '9') {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// decodeAll percent-decodes s until it stops changing, at most
// maxDecodeRounds times; stable is false when it was still changing.
// "%2574oken" is "%74oken" once decoded and "token" twice: a name is
// judged by what it decodes to, however many times it was encoded.
func decodeAll(s string) (decoded string, stable bool) {
	for range maxDecodeRounds {
		next := percentDecode(s)
		if next == s {
			return s, true
		}
		s = next
	}
	return s, percentDecode(s) == s
}

// percentDecode decodes every valid %XX escape of s and leaves anything
// else as it is. Unlike url.QueryUnescape it does not give up on a stray
// "%": "%zz%74oken" still decodes to "%zztoken".
func percentDecode(s string) string {
	if !strings.Contains(s, "%") {
		return s
	}
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
			b = append(b, unhex(s[i+1])<<4|unhex(s[i+2]))
			i += 2
			continue
		}
		b = append(b, s[i])
	}
	return string(b)
}

func isHex(c byte) bool {
	return ('0' <= c && c <= '9') || ('a' <= c && c <= 'f') || ('A' <= c && c <= 'F')
}

func unhex(c byte) byte {
	switch {
	case '0' <= c && c <= '9':
		return c - '0'
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10
	default:
		return c - 'A' + 10
	}
}
