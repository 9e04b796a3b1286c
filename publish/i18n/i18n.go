// Package i18n owns the text Tributary shows to people — pages, embeds,
// the subscribe page, /status, the console, the messages of errors an
// editor reads and the CLI's list-page warnings — in one catalog: each
// message once, keyed, its Chinese and English side by side (the
// catalog_*.go files, split by area). It also picks a request's language
// from Accept-Language with golang.org/x/text/language.
//
// It never renders HTML, reads a request or decides what a page shows:
// callers pass a language and a key and get words back. A key the
// catalog lacks reads as itself, so a gap shows on the page rather than
// failing it; the tests catch one before it ships (every message has
// both languages, every key the templates and code name exists).
package i18n

import "time"

// The languages of the catalog. Chinese is the portal's audience and the
// answer for anything else.
const (
	ZH = "zh"
	EN = "en"
)

// HTMLLang is the lang attribute of a page in lang.
func HTMLLang(lang string) string {
	if lang == EN {
		return "en"
	}
	return "zh-CN"
}

// Lang is the catalog in one language, for templates, which call its
// methods: {{.L.T "page.home"}}, {{.L.F "new.items" .Items}}.
type Lang string

// T is key's text (see T).
func (l Lang) T(key string) string { return T(string(l), key) }

// F is key's text as a printf format (see F).
func (l Lang) F(key string, args ...any) string { return F(string(l), key, args...) }

// N is key's text for a count of n as a printf format (see N).
func (l Lang) N(key string, n int, args ...any) string { return N(string(l), key, n, args...) }

// State is the word for a source state (model.State…), the same on every
// page that shows one; a state the catalog does not know shows as its
// code.
func (l Lang) State(state string) string {
	if s, ok := Lookup(string(l), "state."+state); ok {
		return s
	}
	return state
}

// HTMLLang is the lang attribute of a page in l.
func (l Lang) HTMLLang() string { return HTMLLang(string(l)) }

// Ago is at seen from now (see Relative); a zero time is unknown and
// says nothing.
func (l Lang) Ago(at, now time.Time) string {
	if at.IsZero() {
		return ""
	}
	return Relative(string(l), at, now)
}
