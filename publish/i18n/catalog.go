package i18n

import (
	"fmt"
	"strconv"
	"strings"
)

// Message is one message of the catalog, in both languages.
type Message struct {
	ZH, EN string
	// One is the English for a count of exactly one ("1 source", where EN
	// says "%d sources"); only messages looked up with N have it. Chinese
	// words every count alike.
	One string
}

// catalog is every message by key. Keys group by area with a prefix
// ("page.", "sub.", "status.", "nav.", "msg.", …); each area's messages
// are in a catalog_*.go file of their own.
var catalog = merge(pageMessages, subscribeMessages, articleMessages, statusMessages, timeMessages,
	consoleMessages, addMessages, codeMessages, warningMessages, freshnessMessages, moderationMessages, reviewMessages)

// merge joins the areas' tables. A key in two areas is a mistake that
// would let one silently win, so it stops the program at start-up (and
// every test run with it).
func merge(areas ...map[string]Message) map[string]Message {
	out := map[string]Message{}
	for _, area := range areas {
		for k, m := range area {
			if _, dup := out[k]; dup {
				panic("i18n: message " + k + " is defined twice")
			}
			out[k] = m
		}
	}
	return out
}

// Lookup is key's text in lang, and whether the catalog has it. Any
// language but English reads Chinese.
func Lookup(lang, key string) (string, bool) {
	m, ok := catalog[key]
	if !ok {
		return "", false
	}
	if lang == EN {
		return m.EN, true
	}
	return m.ZH, true
}

// T is key's text in lang, or key itself when the catalog has no such
// message.
func T(lang, key string) string {
	if s, ok := Lookup(lang, key); ok {
		return s
	}
	return key
}

// F is key's text in lang used as a printf format.
func F(lang, key string, args ...any) string {
	return fmt.Sprintf(T(lang, key), args...)
}

// N is F for a message that counts n things: in English a count of one
// takes the message's One form.
func N(lang, key string, n int, args ...any) string {
	if m, ok := catalog[key]; ok && lang == EN && n == 1 && m.One != "" {
		return fmt.Sprintf(m.One, args...)
	}
	return F(lang, key, args...)
}

// Fill is key's text in lang with its blanks (%[1]s, %[2]s, …) filled
// from args, and whether the catalog has the key. It serves messages
// whose arguments come from elsewhere as strings (model's message codes
// and list warnings): an argument the text does not use is dropped and
// one it lacks reads as empty, so a producer adding an argument breaks
// no page.
func Fill(lang, key string, args []string) (string, bool) {
	format, ok := Lookup(lang, key)
	if !ok {
		return "", false
	}
	return fillArgs(format, args), true
}

// fillArgs fills format's %[n]s with args (see Fill).
func fillArgs(format string, args []string) string {
	var b strings.Builder
	for {
		i := strings.Index(format, "%[")
		if i < 0 {
			b.WriteString(format)
			return b.String()
		}
		j := strings.Index(format[i:], "]s")
		n, err := strconv.Atoi(format[i+2 : i+max(j, 2)])
		if j < 0 || err != nil {
			b.WriteString(format)
			return b.String()
		}
		b.WriteString(format[:i])
		if n >= 1 && n <= len(args) {
			b.WriteString(args[n-1])
		}
		format = format[i+j+2:]
	}
}
