package i18n

// warningMessages word a list page's warnings (model.ListWarning codes)
// in each form (see Warning): blanks %[1]s the count, %[2]s the total,
// %[3]s the entries the reading gave and %[4]s the detail.
var warningMessages = map[string]Message{
	// WarnEditor: the console's sentences; the detail follows in
	// warn.detail's brackets.
	"warn.title_no_match": {
		ZH: "标题选择器在 %[2]s 条中只匹配到 %[1]s 条：其余条目以链接文字作标题。",
		EN: "The title selector matched in %[1]s of %[2]s items: the others take their link text as title.",
	},
	"warn.date_no_match": {
		ZH: "日期选择器在 %[2]s 条中只匹配到 %[1]s 条：其余条目没有日期。",
		EN: "The date selector matched in %[1]s of %[2]s items: the others have no date.",
	},
	"warn.same_link": {
		ZH: "%[2]s 条中有 %[1]s 条指向同一链接，会合并，最后只得到 %[3]s 条：每条的链接可能选成了分类链接。",
		EN: "%[1]s of %[2]s items share a link and merge, leaving %[3]s entries: each item's link may be a category link.",
	},
	// On a source's page, where what the items merge into is not known.
	"warn.same_link.uncounted": {
		ZH: "%[2]s 条中有 %[1]s 条指向同一链接，会合并成更少的条目：每条的链接可能选成了分类链接。",
		EN: "%[1]s of %[2]s items share a link and merge into fewer entries: each item's link may be a category link.",
	},
	"warn.one_item": {
		ZH: "列表只有 1 条：“条目”选择器可能选错了元素。",
		EN: "The list has a single item: the items selector may pick the wrong element.",
	},
	"warn.no_dates": {
		ZH: "所有条目都没有日期：将以首次抓取时间为准。",
		EN: "No item has a date: entries are dated when first fetched.",
	},
	"warn.odd_years": {
		ZH: "%[2]s 条中有 %[1]s 条的年份看起来不对：请检查日期。",
		EN: "%[1]s of %[2]s items have a year that looks wrong: check the dates.",
	},
	"warn.detail":  {ZH: "（%s）", EN: " (%s)"},
	"warn.unknown": {ZH: "有需要检查的地方（见下方英文说明）。", EN: "Something to check."},

	// WarnStatus: /status's notes, each under status.check.
	"status.check": {ZH: "请检查：%s", EN: "check: %s"},
	"status.warn.title_no_match": {
		ZH: "标题选择器 %[4]s 在 %[2]s 条中只匹配到 %[1]s 条",
		EN: "title selector %[4]s matched in %[1]s of %[2]s items",
	},
	"status.warn.date_no_match": {
		ZH: "日期选择器 %[4]s 在 %[2]s 条中只匹配到 %[1]s 条",
		EN: "date selector %[4]s matched in %[1]s of %[2]s items",
	},
	"status.warn.same_link": {
		ZH: "%[2]s 条中有 %[1]s 条指向同一链接，会合并（%[4]s）",
		EN: "%[1]s of %[2]s items share a link and merge (%[4]s)",
	},
	"status.warn.one_item": {ZH: "列表只有 1 条", EN: "the list has a single item"},
	"status.warn.no_dates": {ZH: "所有条目都没有日期", EN: "no item has a date"},
	"status.warn.odd_years": {
		ZH: "%[2]s 条中有 %[1]s 条的年份看起来不对（%[4]s）",
		EN: "%[1]s of %[2]s items have a year that looks wrong (%[4]s)",
	},

	// WarnCLI: the lines of tributary preview, discover and check --live.
	"cli.warn.title_no_match": {
		ZH: "标题选择器 %[4]s 在 %[2]s 条中只匹配到 %[1]s 条：其余条目以链接文字作标题",
		EN: "the title selector %[4]s matched in %[1]s of %[2]s items: the others take their link text as title",
	},
	"cli.warn.date_no_match": {
		ZH: "日期选择器 %[4]s 在 %[2]s 条中只匹配到 %[1]s 条：其余条目没有日期",
		EN: "the date selector %[4]s matched in %[1]s of %[2]s items: the others have no date",
	},
	"cli.warn.same_link": {
		ZH: "%[2]s 条中有 %[1]s 条指向同一链接（如 %[4]s），会合并，最后只得到 %[3]s 条：每条的链接可能选成了分类链接",
		EN: "%[1]s of %[2]s items share a link (such as %[4]s) and merge, leaving %[3]s entries: each item's link may be a category link",
	},
	"cli.warn.one_item": {
		ZH: "列表只有 1 条：“条目”选择器可能选错了元素",
		EN: "the list has a single item: the items selector may pick the wrong element",
	},
	"cli.warn.no_dates": {
		ZH: "所有条目都没有日期：将以首次抓取时间为准",
		EN: "no item has a date: entries are dated when first fetched",
	},
	"cli.warn.odd_years": {
		ZH: "%[2]s 条中有 %[1]s 条的年份看起来不对（%[4]s）：请检查日期",
		EN: "%[1]s of %[2]s items have a year that looks wrong (%[4]s): check the dates",
	},
}
