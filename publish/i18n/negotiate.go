package i18n

import (
	"strings"
	"sync"

	"golang.org/x/text/language"
)

// langMatcher ranks our languages against a client's Accept-Language:
// Chinese first (the default when nothing matches), in both scripts, and
// English.
var langMatcher = language.NewMatcher([]language.Tag{language.Chinese, language.TraditionalChinese, language.English})

// Negotiate picks ZH or EN as the Accept-Language values prefer them
// (RFC 9110 section 12.5.4, by x/text/language's matcher); other
// languages do not count, and anything unreadable is Chinese. Answers are
// remembered per header value (a bounded few), so a cached page's hit
// costs a map lookup and no allocation.
func Negotiate(values []string) string {
	if len(values) == 0 {
		return ZH
	}
	if len(values) == 1 {
		langMemo.RLock()
		lang, ok := langMemo.m[values[0]]
		langMemo.RUnlock()
		if ok {
			return lang
		}
	}
	header := strings.Join(values, ",")
	lang := matchLang(header)
	if len(header) <= maxMemoHeader {
		langMemo.Lock()
		if len(langMemo.m) >= maxMemoLangs {
			clear(langMemo.m)
		}
		langMemo.m[header] = lang
		langMemo.Unlock()
	}
	return lang
}

// matchLang is Negotiate's answer for one header value.
func matchLang(header string) string {
	desired, _, err := language.ParseAcceptLanguage(header)
	if err != nil || len(desired) == 0 {
		return ZH
	}
	if _, index, conf := langMatcher.Match(desired...); index == 2 && conf != language.No {
		return EN
	}
	return ZH
}

// langMemo remembers Negotiate's answers by header value. It is cleared
// when full: clients send few distinct values, and whatever a client
// sends costs at most one parse and one bounded entry. It is a cache of
// a pure function, so sharing it between servers changes no answer.
var langMemo = struct {
	sync.RWMutex
	m map[string]string
}{m: map[string]string{}}

const (
	maxMemoLangs  = 512
	maxMemoHeader = 256
)
