package publish

import (
	"net/http"
	"strconv"
	"strings"
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

// negotiateLang picks zh or en by the highest q value (RFC 9110 section
// 12.5.4); ties go to the first listed. Other languages do not count.
func negotiateLang(values []string) string {
	best, bestQ := langZH, 0.0
	for _, v := range values {
		for v != "" {
			var part string
			part, v, _ = strings.Cut(v, ",")
			tag, q := parseLangRange(part)
			if lang := langOf(tag); lang != "" && q > bestQ {
				best, bestQ = lang, q
			}
		}
	}
	return best
}

// langOf is langZH for a zh or zh-* tag, langEN for en or en-*, else
// empty. Tags are case-insensitive (RFC 4647 section 2); comparing with
// EqualFold rather than lowering the tag keeps a cached page's hit free of
// allocations.
func langOf(tag string) string {
	if len(tag) < 2 || len(tag) > 2 && tag[2] != '-' {
		return ""
	}
	switch {
	case strings.EqualFold(tag[:2], "zh"):
		return langZH
	case strings.EqualFold(tag[:2], "en"):
		return langEN
	}
	return ""
}

func parseLangRange(part string) (tag string, q float64) {
	tag, params, _ := strings.Cut(part, ";")
	tag = strings.TrimSpace(tag)
	q = 1
	if name, val, ok := strings.Cut(strings.TrimSpace(params), "="); ok && strings.TrimSpace(name) == "q" {
		f, err := strconv.ParseFloat(strings.TrimSpace(val), 64)
		if err != nil {
			return tag, 0
		}
		q = f
	}
	return tag, q
}

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
