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
	// DateLayout gives Chinese readers 10月17日 and everyone else ISO dates.
	DateLayout string
}

// textFor returns the strings of lang; anything but English is Chinese,
// the portal's audience.
func textFor(lang string) uiText {
	if lang == langEN {
		return uiText{
			HTMLLang: "en", Home: "All sections", Subscribe: "Subscribe",
			Older: "Older →", Newest: "← Newest", NoEntries: "No entries yet.",
			NoSections: "No sections are configured.", Pages: "Pages",
			DateLayout: "2006-01-02",
		}
	}
	return uiText{
		HTMLLang: "zh-CN", Home: "全部栏目", Subscribe: "订阅",
		Older: "更早 →", Newest: "← 最新", NoEntries: "暂无内容。",
		NoSections: "尚未配置栏目。", Pages: "翻页",
		DateLayout: "1月2日",
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
