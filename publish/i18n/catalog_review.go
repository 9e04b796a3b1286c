package i18n

// reviewMessages are the words of sections' review queues.
var reviewMessages = map[string]Message{
	"review.title":   {ZH: "待审核 · %s", EN: "Review · %s"},
	"review.heading": {ZH: "待审核", EN: "Review"},
	"review.count":   {ZH: "共 %d 条等待审核", EN: "%d entries waiting for review"},
	"review.back":    {ZH: "返回栏目", EN: "Back to the section"},
	"review.explain": {
		ZH: "本栏目开启了先审后发：新条目须经通过才会出现在栏目页面、订阅源、挂件和接口中；拒绝后不会再出现，即使来源修改了它。",
		EN: "This section reviews before publishing: a new entry shows on the section's page, feeds, widget and API only once approved; a rejected one never shows, even if its source edits it.",
	},
	"review.nodate":           {ZH: "（原文无日期，按首次抓取时间）", EN: "(no date at the source: first seen)"},
	"review.original":         {ZH: "查看原文", EN: "Original"},
	"review.approve":          {ZH: "通过", EN: "Approve"},
	"review.reject":           {ZH: "拒绝", EN: "Reject"},
	"review.approve.selected": {ZH: "通过所选", EN: "Approve selected"},
	"review.reject.selected":  {ZH: "拒绝所选", EN: "Reject selected"},
	"review.approve.page":     {ZH: "全部通过（本页 %d 条）", EN: "Approve all (%d on this page)"},
	"review.more": {
		ZH: "本页显示最新的 %d 条，共 %d 条；处理后可继续。",
		EN: "Showing the newest %d of %d; the rest follow once these are decided.",
	},
	"review.empty":       {ZH: "没有等待审核的条目。", EN: "Nothing waits for review."},
	"review.none":        {ZH: "请先勾选要处理的条目。", EN: "Tick the entries to decide first."},
	"review.pending":     {ZH: "待审核 %d 条", EN: "%d waiting for review"},
	"review.queue":       {ZH: "审核队列", EN: "Review queue"},
	"flash.approve.n":    {ZH: "已通过 %d 条，栏目已更新。", EN: "Approved %d; the section is updated."},
	"flash.reject.n":     {ZH: "已拒绝 %d 条。", EN: "Rejected %d."},
	"flash.approve.some": {ZH: "已通过 %d 条，其余未处理：", EN: "Approved %d, the rest not decided:"},
	"flash.reject.some":  {ZH: "已拒绝 %d 条，其余未处理：", EN: "Rejected %d, the rest not decided:"},

	"audit.action.entry.approve": {ZH: "审核通过", EN: "Approve"},
	"audit.action.entry.reject":  {ZH: "审核拒绝", EN: "Reject"},
	"audit.action.entry.review":  {ZH: "审核", EN: "Review"},

	"msg.review_off": {
		ZH: "栏目 %[1]s 没有开启先审后发（在配置中为该栏目设置 review: true）。",
		EN: "Section %[1]s does not review its entries (set review: true on it in the config).",
	},
	"msg.entry_not_queued": {
		ZH: "条目 %[1]s 不在栏目 %[2]s 的审核队列中。",
		EN: "Entry %[1]s is not waiting for review in section %[2]s.",
	},
	"msg.entry_rejected": {
		ZH: "条目 %[1]s 已在栏目 %[2]s 中被拒绝，拒绝不可撤销。",
		EN: "Entry %[1]s was rejected in section %[2]s; a rejection is final.",
	},
	"msg.entry_published": {
		ZH: "条目 %[1]s 已在栏目 %[2]s 中发布；如需撤下请使用“下架”。",
		EN: "Entry %[1]s is published in section %[2]s; hide it instead.",
	},
	"msg.review_none":     {ZH: "没有选择条目。", EN: "No entry chosen."},
	"msg.review_too_many": {ZH: "一次最多处理 %[1]s 条。", EN: "At most %[1]s entries at once."},
}
