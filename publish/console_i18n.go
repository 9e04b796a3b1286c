package publish

import (
	"fmt"
	"strconv"
	"time"
)

// consoleText is the console's strings in one language, looked up by key
// from templates ({{.L.T "key"}}) and handlers. A missing key shows as
// itself; a test checks that every key the templates and handlers use
// exists in both languages.
type consoleText struct {
	lang string
	m    map[string]string
}

func consoleTextFor(lang string) consoleText {
	if lang == langEN {
		return consoleText{lang: langEN, m: consoleEN}
	}
	return consoleText{lang: langZH, m: consoleZH}
}

// T is the string of key.
func (t consoleText) T(key string) string {
	if s, ok := t.m[key]; ok {
		return s
	}
	return key
}

// F is the string of key used as a printf format.
func (t consoleText) F(key string, args ...any) string {
	return fmt.Sprintf(t.T(key), args...)
}

// State is the word for a source state.
func (t consoleText) State(state string) string { return t.T("state." + state) }

// HTMLLang is the lang attribute of console pages.
func (t consoleText) HTMLLang() string {
	if t.lang == langEN {
		return "en"
	}
	return "zh-CN"
}

// Ago says how long ago (or, for a future time, how soon) t is from now,
// to the largest whole unit: "3 分钟前", "3 minutes ago", "in 2 hours".
func (t consoleText) Ago(at, now time.Time) string {
	if at.IsZero() {
		return ""
	}
	d := now.Sub(at)
	future := d < 0
	if future {
		d = -d
	}
	if d < time.Minute {
		return t.T("ago.now")
	}
	n, unit := relUnit(d)
	if t.lang == langEN {
		s := strconv.Itoa(n) + " " + unit
		if n != 1 {
			s += "s"
		}
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

func relUnit(d time.Duration) (int, string) {
	switch {
	case d < time.Hour:
		return int(d / time.Minute), "minute"
	case d < 48*time.Hour:
		return int(d / time.Hour), "hour"
	}
	return int(d / (24 * time.Hour)), "day"
}

// consoleZH and consoleEN are the console's strings. Keys group by page.
var consoleZH = map[string]string{
	"app":                    "Tributary 管理",
	"nav.overview":           "概览",
	"nav.add":                "添加来源",
	"nav.audit":              "操作日志",
	"nav.signout":            "退出",
	"nav.skip":               "跳到正文",
	"lang.switch":            "English",
	"signin.title":           "登录",
	"signin.token":           "管理令牌（admin.token）",
	"signin.submit":          "登录",
	"signin.wrong":           "令牌不正确。还可以再试 %d 次，之后需等待 15 分钟。",
	"signin.locked":          "登录失败次数过多",
	"signin.retry":           "请在约 %d 分钟后再试。",
	"flash.signedin":         "已登录。",
	"flash.signedout":        "已退出。",
	"flash.paused":           "已暂停该来源。",
	"flash.resumed":          "已恢复该来源，将立即抓取。",
	"flash.polled":           "已请求立即抓取。",
	"flash.removed":          "已删除来源 %s。",
	"flash.removedkeep":      "已删除来源 %s，其条目保留在栏目中。",
	"flash.updated":          "已保存修改。",
	"flash.added":            "已添加来源，将立即抓取。",
	"flash.hide":             "已下架该条目。",
	"flash.unhide":           "已恢复该条目。",
	"flash.pin":              "已置顶该条目。",
	"flash.unpin":            "已取消置顶。",
	"err.forbidden":          "请求被拒绝",
	"err.notfound":           "页面不存在",
	"err.unavailable":        "存储暂时不可用，请稍后再试",
	"err.400":                "请求有误",
	"err.404":                "找不到",
	"err.409":                "无法执行",
	"err.503":                "暂时不可用",
	"err.pending":            "此功能在当前版本中不可用：%s",
	"overview.title":         "栏目与来源",
	"overview.sources":       "%d 个来源",
	"overview.none":          "该栏目还没有来源。",
	"overview.entries":       "条目",
	"overview.poll":          "立即抓取本栏目",
	"overview.manage":        "管理条目",
	"col.state":              "状态",
	"col.lastsuccess":        "上次成功",
	"col.lastattempt":        "上次抓取",
	"col.nextdue":            "下次抓取",
	"col.errors":             "连续错误",
	"col.lasterror":          "最近错误",
	"col.entries":            "条目数",
	"col.origin":             "来源于",
	"col.url":                "地址",
	"col.effective":          "实际抓取",
	"col.sections":           "栏目",
	"col.schedule":           "抓取计划",
	"col.http":               "HTTP 状态",
	"col.dates":              "日期问题",
	"col.articles":           "正文抓取",
	"never":                  "从未",
	"origin.config":          "配置文件",
	"origin.api":             "管理接口",
	"state.ok":               "正常",
	"state.failing":          "失败",
	"state.paused":           "已暂停",
	"state.gone":             "已下线",
	"state.pending":          "待抓取",
	"ago.now":                "刚刚",
	"source.title":           "来源",
	"source.polls":           "最近抓取",
	"source.nopolls":         "还没有抓取记录。",
	"source.poll.time":       "时间",
	"source.poll.result":     "结果",
	"source.poll.took":       "耗时",
	"source.poll.new":        "新增/更新",
	"source.actions":         "操作",
	"source.pause":           "暂停",
	"source.resume":          "恢复",
	"source.pollnow":         "立即抓取",
	"source.remove":          "删除来源",
	"source.keep":            "保留其已发布的条目",
	"source.edit":            "编辑",
	"source.readonly":        "此来源定义在配置文件 %s 第 %d 行；请在文件中修改。这里只能把它加入更多栏目。",
	"source.readonly.nofile": "此来源定义在配置文件中；请在文件中修改。这里只能把它加入更多栏目。",
	"source.dates":           "无日期 %d 条，未来日期 %d 条",
	"source.example":         "示例：%s",
	"result.ok":              "成功",
	"result.not_modified":    "未变化",
	"result.error":           "失败",
	"form.title":             "标题",
	"form.sections":          "栏目",
	"form.schedule":          "抓取计划（cron 或 @every 15m；留空用默认）",
	"form.timezone":          "时区（如 Asia/Shanghai；留空用默认）",
	"form.include":           "只收录（每行一个关键词或 /正则/）",
	"form.exclude":           "排除（每行一个关键词或 /正则/）",
	"form.scrape":            "列表页选择器（没有订阅源的网站）",
	"form.scrape.items":      "条目（必填，留空表示不抓列表页）",
	"form.scrape.title":      "标题",
	"form.scrape.link":       "链接",
	"form.scrape.date":       "日期",
	"form.scrape.date_attr":  "日期属性",
	"form.scrape.summary":    "摘要",
	"form.scrape.image":      "图片",
	"form.scrape.skip":       "跳过",
	"form.content":           "正文抓取",
	"form.content.fetch":     "抓取每条的正文",
	"form.content.selector":  "正文选择器（留空自动识别）",
	"form.content.remove":    "移除的元素（每行一个选择器）",
	"form.content.max":       "每次最多抓取",
	"form.save":              "保存",
	"form.keep":              "离开的栏目中保留其条目",
	"new.title":              "添加来源",
	"new.url":                "网址（订阅源或网页）",
	"new.id":                 "标识（可选，字母数字与 -）",
	"new.discover":           "查找订阅源",
	"new.preview":            "预览",
	"new.add":                "添加",
	"new.found":              "该网页声明的订阅源：",
	"new.isfeed":             "这是一个订阅源。",
	"new.nofeeds":            "没有找到订阅源：%s",
	"new.use":                "使用此源",
	"new.previewof":          "预览：将得到 %d 条",
	"new.skipped":            "跳过 %d 项",
	"new.nodate":             "无日期",
	"new.hint":               "直接填写订阅源地址即可添加；网页地址可先“查找订阅源”，或填写列表页选择器后“预览”。",
	"section.title":          "栏目条目",
	"section.newest":         "最新条目",
	"section.hidden":         "已下架",
	"section.pinned":         "置顶",
	"section.nohidden":       "没有下架的条目。",
	"section.nopinned":       "没有置顶的条目。",
	"section.noentries":      "暂无条目。",
	"section.hide":           "下架",
	"section.unhide":         "恢复",
	"section.pin":            "置顶",
	"section.unpin":          "取消置顶",
	"section.until":          "到期",
	"section.forever":        "不过期",
	"section.1h":             "1 小时",
	"section.1d":             "1 天",
	"section.1w":             "1 周",
	"section.at":             "指定时间",
	"section.hiddenat":       "下架于",
	"section.pinnedat":       "置顶于",
	"section.feeds":          "订阅",
	"audit.title":            "操作日志",
	"audit.time":             "时间",
	"audit.action":           "操作",
	"audit.target":           "对象",
	"audit.client":           "客户端",
	"audit.via":              "途径",
	"audit.result":           "结果",
	"audit.none":             "还没有记录。",
	"audit.json":             "JSON",
	"zone":                   "时区",
}

var consoleEN = map[string]string{
	"app":                    "Tributary console",
	"nav.overview":           "Overview",
	"nav.add":                "Add a source",
	"nav.audit":              "Audit log",
	"nav.signout":            "Sign out",
	"nav.skip":               "Skip to content",
	"lang.switch":            "中文",
	"signin.title":           "Sign in",
	"signin.token":           "Admin token (admin.token)",
	"signin.submit":          "Sign in",
	"signin.wrong":           "Wrong token. %d more tries, then a 15-minute wait.",
	"signin.locked":          "Too many failed sign-ins",
	"signin.retry":           "Try again in about %d minutes.",
	"flash.signedin":         "Signed in.",
	"flash.signedout":        "Signed out.",
	"flash.paused":           "Source paused.",
	"flash.resumed":          "Source resumed; it is polled now.",
	"flash.polled":           "Poll requested.",
	"flash.removed":          "Source %s removed.",
	"flash.removedkeep":      "Source %s removed; its entries stay in the sections.",
	"flash.updated":          "Changes saved.",
	"flash.added":            "Source added; it is polled now.",
	"flash.hide":             "Entry hidden.",
	"flash.unhide":           "Entry shown again.",
	"flash.pin":              "Entry pinned.",
	"flash.unpin":            "Entry unpinned.",
	"err.forbidden":          "Request refused",
	"err.notfound":           "Page not found",
	"err.unavailable":        "The store is unavailable; try again later",
	"err.400":                "Bad request",
	"err.404":                "Not found",
	"err.409":                "Cannot do that",
	"err.503":                "Unavailable",
	"err.pending":            "Not available in this build: %s",
	"overview.title":         "Sections and sources",
	"overview.sources":       "%d sources",
	"overview.none":          "This section has no sources yet.",
	"overview.entries":       "entries",
	"overview.poll":          "Poll this section now",
	"overview.manage":        "Manage entries",
	"col.state":              "State",
	"col.lastsuccess":        "Last success",
	"col.lastattempt":        "Last attempt",
	"col.nextdue":            "Next due",
	"col.errors":             "Errors in a row",
	"col.lasterror":          "Last error",
	"col.entries":            "Entries",
	"col.origin":             "Defined in",
	"col.url":                "URL",
	"col.effective":          "Fetched from",
	"col.sections":           "Sections",
	"col.schedule":           "Schedule",
	"col.http":               "HTTP status",
	"col.dates":              "Date issues",
	"col.articles":           "Articles",
	"never":                  "never",
	"origin.config":          "config file",
	"origin.api":             "admin API",
	"state.ok":               "ok",
	"state.failing":          "failing",
	"state.paused":           "paused",
	"state.gone":             "gone",
	"state.pending":          "pending",
	"ago.now":                "just now",
	"source.title":           "Source",
	"source.polls":           "Recent polls",
	"source.nopolls":         "No polls recorded yet.",
	"source.poll.time":       "Time",
	"source.poll.result":     "Result",
	"source.poll.took":       "Took",
	"source.poll.new":        "New/updated",
	"source.actions":         "Actions",
	"source.pause":           "Pause",
	"source.resume":          "Resume",
	"source.pollnow":         "Poll now",
	"source.remove":          "Remove source",
	"source.keep":            "Keep its published entries",
	"source.edit":            "Edit",
	"source.readonly":        "This source is defined in the config file %s at line %d; edit it there. Here you can only add it to more sections.",
	"source.readonly.nofile": "This source is defined in the config file; edit it there. Here you can only add it to more sections.",
	"source.dates":           "%d undated, %d future-dated",
	"source.example":         "example: %s",
	"result.ok":              "ok",
	"result.not_modified":    "not modified",
	"result.error":           "error",
	"form.title":             "Title",
	"form.sections":          "Sections",
	"form.schedule":          "Schedule (cron or @every 15m; empty: the default)",
	"form.timezone":          "Time zone (e.g. Asia/Shanghai; empty: the default)",
	"form.include":           "Include only (one keyword or /regexp/ per line)",
	"form.exclude":           "Exclude (one keyword or /regexp/ per line)",
	"form.scrape":            "List page selectors (sites without a feed)",
	"form.scrape.items":      "Items (required; empty: not a list page)",
	"form.scrape.title":      "Title",
	"form.scrape.link":       "Link",
	"form.scrape.date":       "Date",
	"form.scrape.date_attr":  "Date attribute",
	"form.scrape.summary":    "Summary",
	"form.scrape.image":      "Image",
	"form.scrape.skip":       "Skip",
	"form.content":           "Article fetching",
	"form.content.fetch":     "Fetch each entry's article",
	"form.content.selector":  "Article selector (empty: detect)",
	"form.content.remove":    "Elements to remove (one selector per line)",
	"form.content.max":       "At most per poll",
	"form.save":              "Save",
	"form.keep":              "Keep its entries in the sections it leaves",
	"new.title":              "Add a source",
	"new.url":                "URL (a feed or a web page)",
	"new.id":                 "Id (optional: letters, digits and -)",
	"new.discover":           "Find feeds",
	"new.preview":            "Preview",
	"new.add":                "Add",
	"new.found":              "Feeds this page advertises:",
	"new.isfeed":             "This is a feed.",
	"new.nofeeds":            "No feeds found: %s",
	"new.use":                "Use this feed",
	"new.previewof":          "Preview: %d entries",
	"new.skipped":            "%d items skipped",
	"new.nodate":             "no date",
	"new.hint":               "A feed URL can be added directly; for a web page, find its feeds first, or fill in list page selectors and preview.",
	"section.title":          "Section entries",
	"section.newest":         "Newest entries",
	"section.hidden":         "Hidden",
	"section.pinned":         "Pinned",
	"section.nohidden":       "No hidden entries.",
	"section.nopinned":       "No pinned entries.",
	"section.noentries":      "No entries yet.",
	"section.hide":           "Hide",
	"section.unhide":         "Unhide",
	"section.pin":            "Pin",
	"section.unpin":          "Unpin",
	"section.until":          "until",
	"section.forever":        "no expiry",
	"section.1h":             "1 hour",
	"section.1d":             "1 day",
	"section.1w":             "1 week",
	"section.at":             "at a time",
	"section.hiddenat":       "hidden",
	"section.pinnedat":       "pinned",
	"section.feeds":          "Subscribe",
	"audit.title":            "Audit log",
	"audit.time":             "Time",
	"audit.action":           "Action",
	"audit.target":           "Target",
	"audit.client":           "Client",
	"audit.via":              "Via",
	"audit.result":           "Result",
	"audit.none":             "No records yet.",
	"audit.json":             "JSON",
	"zone":                   "Zone",
}
