package publish

import "maps"

// The console's strings for sections' review queues.
func init() {
	maps.Copy(consoleZH, reviewZH)
	maps.Copy(consoleEN, reviewEN)
}

var reviewZH = map[string]string{
	"review.title":            "待审核 · %s",
	"review.heading":          "待审核",
	"review.count":            "共 %d 条等待审核",
	"review.back":             "返回栏目",
	"review.explain":          "本栏目开启了先审后发：新条目须经通过才会出现在栏目页面、订阅源、挂件和接口中；拒绝后不会再出现，即使来源修改了它。",
	"review.nodate":           "（原文无日期，按首次抓取时间）",
	"review.original":         "查看原文",
	"review.approve":          "通过",
	"review.reject":           "拒绝",
	"review.approve.selected": "通过所选",
	"review.reject.selected":  "拒绝所选",
	"review.approve.page":     "全部通过（本页 %d 条）",
	"review.more":             "本页显示最新的 %d 条，共 %d 条；处理后可继续。",
	"review.empty":            "没有等待审核的条目。",
	"review.none":             "请先勾选要处理的条目。",
	"review.pending":          "待审核 %d 条",
	"review.queue":            "审核队列",
	"flash.approve.n":         "已通过 %d 条，栏目已更新。",
	"flash.reject.n":          "已拒绝 %d 条。",
	"flash.approve.some":      "已通过 %d 条，其余未处理：",
	"flash.reject.some":       "已拒绝 %d 条，其余未处理：",

	"audit.action.entry.approve": "审核通过",
	"audit.action.entry.reject":  "审核拒绝",
	"audit.action.entry.review":  "审核",

	"msg." + "review_off":       "栏目 %[1]s 没有开启先审后发（在配置中为该栏目设置 review: true）。",
	"msg." + "entry_not_queued": "条目 %[1]s 不在栏目 %[2]s 的审核队列中。",
	"msg." + "entry_rejected":   "条目 %[1]s 已在栏目 %[2]s 中被拒绝，拒绝不可撤销。",
	"msg." + "entry_published":  "条目 %[1]s 已在栏目 %[2]s 中发布；如需撤下请使用“下架”。",
	"msg." + "review_none":      "没有选择条目。",
	"msg." + "review_too_many":  "一次最多处理 %[1]s 条。",
}

var reviewEN = map[string]string{
	"review.title":            "Review · %s",
	"review.heading":          "Review",
	"review.count":            "%d entries waiting for review",
	"review.back":             "Back to the section",
	"review.explain":          "This section reviews before publishing: a new entry shows on the section's page, feeds, widget and API only once approved; a rejected one never shows, even if its source edits it.",
	"review.nodate":           "(no date at the source: first seen)",
	"review.original":         "Original",
	"review.approve":          "Approve",
	"review.reject":           "Reject",
	"review.approve.selected": "Approve selected",
	"review.reject.selected":  "Reject selected",
	"review.approve.page":     "Approve all (%d on this page)",
	"review.more":             "Showing the newest %d of %d; the rest follow once these are decided.",
	"review.empty":            "Nothing waits for review.",
	"review.none":             "Tick the entries to decide first.",
	"review.pending":          "%d waiting for review",
	"review.queue":            "Review queue",
	"flash.approve.n":         "Approved %d; the section is updated.",
	"flash.reject.n":          "Rejected %d.",
	"flash.approve.some":      "Approved %d, the rest not decided:",
	"flash.reject.some":       "Rejected %d, the rest not decided:",

	"audit.action.entry.approve": "Approve",
	"audit.action.entry.reject":  "Reject",
	"audit.action.entry.review":  "Review",

	"msg." + "review_off":       "Section %[1]s does not review its entries (set review: true on it in the config).",
	"msg." + "entry_not_queued": "Entry %[1]s is not waiting for review in section %[2]s.",
	"msg." + "entry_rejected":   "Entry %[1]s was rejected in section %[2]s; a rejection is final.",
	"msg." + "entry_published":  "Entry %[1]s is published in section %[2]s; hide it instead.",
	"msg." + "review_none":      "No entry chosen.",
	"msg." + "review_too_many":  "At most %[1]s entries at once.",
}
