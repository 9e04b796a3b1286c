package publish

import (
	"net/http"
	"strings"
	"sync"

	"golang.org/x/text/language"
)

// UI languages of pages and embeds.
const (
	langZH = "zh"
	langEN = "en"
)

// uiText is every string a page or embed shows, in one language.
type uiText struct {
	// HTMLLang is the lang attribute of pages.
	HTMLLang   string
	Home       string
	Subscribe  string
	Older      string
	Newest     string
	NoEntries  string
	NoSections string
	Pages      string
	// More links a headline list (widget, iframe, index) to the section.
	More string
	// EntryCount is a printf format of a section's entry count.
	EntryCount string
	// Latest labels a section's newest headlines on the index.
	Latest string
	// Pinned marks an entry an editor pinned to the top of a section.
	Pinned string
	// Error pages: a title per kind of failure and the way back.
	NotFound, NotFoundHint, BadRequest, ServerError, Unavailable, BackHome string
	// Sub is the subscribe page's text and the link to it (see
	// subscribe_i18n.go).
	Sub subscribeText
}

// textFor returns the strings of lang; anything but English is Chinese,
// the portal's audience.
func textFor(lang string) uiText {
	if lang == langEN {
		return uiText{
			HTMLLang: "en", Home: "All sections", Subscribe: "Subscribe",
			Older: "Older →", Newest: "← Newest", NoEntries: "No entries yet.",
			NoSections: "No sections are configured.", Pages: "Pages",
			More: "More »", EntryCount: "%d entries", Latest: "Latest", Pinned: "Pinned",
			NotFound: "Page not found", NotFoundHint: "There is no section or page at this address.",
			BadRequest: "Bad request", ServerError: "Something went wrong",
			Unavailable: "Temporarily unavailable; please try again later", BackHome: "Back to all sections",
			Sub: subscribeTextFor(langEN),
		}
	}
	return uiText{
		HTMLLang: "zh-CN", Home: "全部栏目", Subscribe: "订阅",
		Older: "更早 →", Newest: "← 最新", NoEntries: "暂无内容。",
		NoSections: "尚未配置栏目。", Pages: "翻页",
		More: "更多 »", EntryCount: "共 %d 条", Latest: "最新", Pinned: "置顶",
		NotFound: "页面不存在", NotFoundHint: "此地址没有对应的栏目或页面。",
		BadRequest: "请求有误", ServerError: "出错了",
		Unavailable: "服务暂时不可用，请稍后再试", BackHome: "返回全部栏目",
		Sub: subscribeTextFor(langZH),
	}
}

// uiLang is the configured UI language, else the one Accept-Language
// prefers among ours, else Chinese.
func (s *Server) uiLang(r *http.Request) string {
	if s.opts.UILang != "" {
		return s.opts.UILang
	}
	return negotiateLang(r.Header.Values("Accept-Language"))
}

// langMatcher ranks our languages against a client's Accept-Language:
// Chinese first (the default when nothing matches), in both scripts, and
// English.
var langMatcher = language.NewMatcher([]language.Tag{language.Chinese, language.TraditionalChinese, language.English})

// negotiateLang picks zh or en as Accept-Language prefers them (RFC 9110
// section 12.5.4, by x/text/language's matcher); other languages do not
// count, and anything unreadable is Chinese. Answers are remembered per
// header value (a bounded few), so a cached page's hit costs a map
// lookup and no allocation.
func negotiateLang(values []string) string {
	if len(values) == 0 {
		return langZH
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

// matchLang is negotiateLang's answer for one header value.
func matchLang(header string) string {
	desired, _, err := language.ParseAcceptLanguage(header)
	if err != nil || len(desired) == 0 {
		return langZH
	}
	if _, index, conf := langMatcher.Match(desired...); index == 2 && conf != language.No {
		return langEN
	}
	return langZH
}

// langMemo remembers negotiateLang's answers by header value. It is
// cleared when full: clients send few distinct values, and whatever a
// client sends costs at most one parse and one bounded entry.
var langMemo = struct {
	sync.RWMutex
	m map[string]string
}{m: map[string]string{}}

const (
	maxMemoLangs  = 512
	maxMemoHeader = 256
)

// cutText shortens s to at most n runes, ending in "…" when cut; n <= 0
// keeps it whole.
func cutText(s string, n int) string {
	if n <= 0 {
		return s
	}
	i := 0
	for pos := range s {
		if i == n {
			return strings.TrimSpace(s[:pos]) + "…"
		}
		i++
	}
	return s
}
