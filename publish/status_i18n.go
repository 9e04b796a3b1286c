package publish

import (
	"strconv"
	"strings"
	"time"

	"github.com/tributary-rss/tributary/aggregator/model"
)

// statusText is every string of the /status page in one language. The
// page's language follows the other pages (Options.UILang, Accept-Language,
// ?lang=); these strings are kept apart from uiText because only
// operators read them.
type statusText struct {
	HTMLLang, Title, JSON, Ready, ReadyOK, NotReady, AsOf string
	// Columns, in table order; each card repeats them as labels.
	State, Source, Sections, LastAttempt, LastSuccess, HTTP, ErrorsInRow, LastError, NextDue, Entries string
	FilterState, FilterSection, SortBy, All, Language                                                 string
	NoSources, NoMatch                                                                                string
	// sorts names each of statusSorts.
	sorts map[string]string
	lang  string
}

func statusTextFor(lang string) statusText {
	if lang == langEN {
		return statusText{
			lang: langEN, HTMLLang: "en", Title: "Sources", JSON: "JSON", Ready: "Readiness", ReadyOK: "ok", NotReady: "not ready: ", AsOf: "as of",
			State: "State", Source: "Source", Sections: "Sections", LastAttempt: "Last attempt", LastSuccess: "Last success",
			HTTP: "HTTP", ErrorsInRow: "Errors in a row", LastError: "Last error", NextDue: "Next due", Entries: "Entries",
			FilterState: "State", FilterSection: "Section", SortBy: "Sort by", All: "All", Language: "Language",
			NoSources: "No sources configured.", NoMatch: "No source matches these filters.",
			sorts: map[string]string{
				"state": "state", "name": "name", "next_due": "next due", "errors": "errors", "entries": "entries",
			},
		}
	}
	return statusText{
		lang: langZH, HTMLLang: "zh-CN", Title: "来源状态", JSON: "JSON", Ready: "就绪检查", ReadyOK: "正常", NotReady: "未就绪：", AsOf: "更新于",
		State: "状态", Source: "来源", Sections: "栏目", LastAttempt: "上次抓取", LastSuccess: "上次成功",
		HTTP: "HTTP", ErrorsInRow: "连续错误", LastError: "最近错误", NextDue: "下次抓取", Entries: "条目数",
		FilterState: "状态", FilterSection: "栏目", SortBy: "排序", All: "全部", Language: "语言",
		NoSources: "尚未配置来源。", NoMatch: "没有符合筛选条件的来源。",
		sorts: map[string]string{
			"state": "状态", "name": "名称", "next_due": "下次抓取", "errors": "错误次数", "entries": "条目数",
		},
	}
}

// stateName is the word shown for a model state: the console's, so a
// state reads the same on every operator page.
func (t statusText) stateName(state string) string {
	key := "state." + state
	if n := consoleTextFor(t.lang).T(key); n != key {
		return n
	}
	return state
}

// summary is the line under the title: how many sources are listed.
func (t statusText) summary(shown, total int) string {
	if t.lang == langEN {
		if shown == total {
			return plural(total, "source", "sources")
		}
		return strconv.Itoa(shown) + " of " + plural(total, "source", "sources")
	}
	if shown == total {
		return "共 " + strconv.Itoa(total) + " 个来源"
	}
	return "共 " + strconv.Itoa(total) + " 个来源，显示 " + strconv.Itoa(shown) + " 个"
}

// redirect explains why a source is fetched from another URL.
func (t statusText) redirect(discovered bool) string {
	switch {
	case t.lang == langEN && discovered:
		return "the feed the page advertises"
	case t.lang == langEN:
		return "moved permanently"
	case discovered:
		return "页面声明的订阅源"
	}
	return "已永久迁移"
}

// skipped says how many list-page items were left out for lack of a link.
func (t statusText) skipped(n int) string {
	if t.lang == langEN {
		return plural(n, "list item", "list items") + " without a link skipped"
	}
	return "列表中 " + strconv.Itoa(n) + " 项没有链接，已跳过"
}

// detected says which list detection chose to read the source's page.
func (t statusText) detected(items string) string {
	if t.lang == langEN {
		return "list detected: " + items
	}
	return "自动识别的列表：" + items
}

// warning words what a list page's reading gave to check, as the
// console and the CLI word it (see model.ListWarning).
func (t statusText) warning(w model.ListWarning) string {
	n, total := strconv.Itoa(w.Count), strconv.Itoa(w.Total)
	en := t.lang == langEN
	var s string
	switch {
	case w.Code == model.ListWarnTitleNoMatch && en:
		s = "title selector " + w.Detail + " matched in " + n + " of " + total + " items"
	case w.Code == model.ListWarnTitleNoMatch:
		s = "标题选择器 " + w.Detail + " 在 " + total + " 条中只匹配到 " + n + " 条"
	case w.Code == model.ListWarnDateNoMatch && en:
		s = "date selector " + w.Detail + " matched in " + n + " of " + total + " items"
	case w.Code == model.ListWarnDateNoMatch:
		s = "日期选择器 " + w.Detail + " 在 " + total + " 条中只匹配到 " + n + " 条"
	case w.Code == model.ListWarnSameLink && en:
		s = n + " of " + total + " items share a link and merge (" + w.Detail + ")"
	case w.Code == model.ListWarnSameLink:
		s = total + " 条中有 " + n + " 条指向同一链接，会合并（" + w.Detail + "）"
	case w.Code == model.ListWarnOneItem && en:
		s = "the list has a single item"
	case w.Code == model.ListWarnOneItem:
		s = "列表只有 1 条"
	case w.Code == model.ListWarnNoDates && en:
		s = "no item has a date"
	case w.Code == model.ListWarnNoDates:
		s = "所有条目都没有日期"
	case w.Code == model.ListWarnOddYears && en:
		s = n + " of " + total + " items have a year that looks wrong (" + w.Detail + ")"
	case w.Code == model.ListWarnOddYears:
		s = total + " 条中有 " + n + " 条的年份看起来不对（" + w.Detail + "）"
	default:
		s = w.Code + " " + w.Detail
	}
	if en {
		return "check: " + s
	}
	return "请检查：" + s
}

// articles is the article-fetching line of a source with content.fetch.
func (t statusText) articles(a model.ArticleStatus) string {
	if t.lang == langEN {
		return "articles: " + a.String()
	}
	s := "正文：成功 " + strconv.Itoa(a.OK) + " 篇"
	if a.Failed > 0 {
		s += "，失败 " + strconv.Itoa(a.Failed) + " 篇"
		if a.LastError != "" {
			s += "：" + a.LastError
		}
	}
	if a.Pending > 0 {
		s += "，待抓取 " + strconv.Itoa(a.Pending) + " 篇"
	}
	return s
}

// dateIssue is one line about items whose date could not be used; Example
// is shown after Text as raw source text (escaped by the template).
type dateIssue struct {
	Text, ExampleLabel, Example string
}

// dateIssues describes d, or nothing when every item had a usable date.
// The example goes with the first line: it is an unreadable date when
// there is one, else a future one.
func (t statusText) dateIssues(d model.DateIssues) []dateIssue {
	var out []dateIssue
	if d.Undated > 0 {
		if t.lang == langEN {
			out = append(out, dateIssue{Text: plural(d.Undated, "item", "items") + " without a usable date"})
		} else {
			out = append(out, dateIssue{Text: strconv.Itoa(d.Undated) + " 条没有可用的日期"})
		}
	}
	if d.Future > 0 {
		if t.lang == langEN {
			out = append(out, dateIssue{Text: plural(d.Future, "item", "items") + " dated in the future"})
		} else {
			out = append(out, dateIssue{Text: strconv.Itoa(d.Future) + " 条的日期在未来"})
		}
	}
	if len(out) > 0 && d.Example != "" {
		out[0].ExampleLabel, out[0].Example = "e.g.", d.Example
		if t.lang != langEN {
			out[0].ExampleLabel = "例如"
		}
	}
	return out
}

// relative is t seen from now: "3 minutes ago", "in 5 minutes",
// "3 分钟前", "5 分钟后". The largest whole unit is used, rounded down,
// so a page never claims more time has passed than has.
func (t statusText) relative(at, now time.Time) string {
	return relativeTime(t.lang, at, now)
}

// relativeTime is at seen from now in lang, for every operator page (the
// status page and the console).
func relativeTime(lang string, at, now time.Time) string {
	d := now.Sub(at)
	future := d < 0
	if future {
		d = -d
	}
	if d < time.Minute {
		switch {
		case lang == langEN && future:
			return "in less than a minute"
		case lang == langEN:
			return "just now"
		case future:
			return "不到 1 分钟后"
		}
		return "刚刚"
	}
	n, unit := relativeUnit(d)
	if lang == langEN {
		s := plural(n, unit, unit+"s")
		if future {
			return "in " + s
		}
		return s + " ago"
	}
	s := strconv.Itoa(n) + " " + map[string]string{"minute": "分钟", "hour": "小时", "day": "天"}[unit]
	if future {
		return s + "后"
	}
	return s + "前"
}

// relativeUnit splits d (at least a minute) into a count of its largest
// whole unit.
func relativeUnit(d time.Duration) (int, string) {
	switch {
	case d < time.Hour:
		return int(d / time.Minute), "minute"
	case d < 24*time.Hour:
		return int(d / time.Hour), "hour"
	}
	return int(d / (24 * time.Hour)), "day"
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

// zonedTime formats t in loc with its zone: "2026-12-02 10:15 CST". A
// zone without a letter abbreviation (the tz database writes "+04" for
// many) is shown as its offset, "+04:00", so the label is never a bare
// number of hours.
func zonedTime(t time.Time, loc *time.Location) string {
	date, clock := zonedParts(t, loc)
	return date + " " + clock
}

// zonedParts is zonedTime in two parts, "2026-12-02" and "10:15 CST", so
// that a narrow column wraps a time between them and nowhere else: a
// no-break space holds the zone to the clock.
func zonedParts(t time.Time, loc *time.Location) (date, clock string) {
	t = t.In(loc)
	return t.Format("2006-01-02"), t.Format("15:04") + "\u00a0" + zoneLabel(t, loc)
}

// zoneLabel names loc's zone at t as operator pages show it: its
// abbreviation ("CST"), or its offset ("+04:00") where the tz database has
// no letters for it.
func zoneLabel(t time.Time, loc *time.Location) string {
	t = t.In(loc)
	zone := t.Format("MST")
	if strings.HasPrefix(zone, "+") || strings.HasPrefix(zone, "-") {
		zone = t.Format("-07:00")
	}
	return zone
}

// silence says for how long a stale source has published nothing: "40
// 天未更新" or "stale, 40 days", "从未更新" or "stale, never updated".
func (t statusText) silence(days int, hasEntry bool) string {
	switch {
	case t.lang == langEN && !hasEntry:
		return "stale, never updated"
	case t.lang == langEN:
		return "stale, " + plural(days, "day", "days")
	case !hasEntry:
		return "从未更新"
	}
	return strconv.Itoa(days) + " 天未更新"
}
