package i18n

// moderationMessages are the words of a section's page in the console
// (search, filter, pages, one row of actions per entry) and the audit
// log's names of actions.
var moderationMessages = map[string]Message{
	"section.found":        {ZH: "符合条件的条目", EN: "Matching entries"},
	"section.q":            {ZH: "搜索标题", EN: "Search titles"},
	"section.q.hint":       {ZH: "标题中的字词", EN: "words in the title"},
	"section.source":       {ZH: "来源", EN: "Source"},
	"section.source.all":   {ZH: "全部来源", EN: "All sources"},
	"section.filter":       {ZH: "筛选", EN: "Filter"},
	"section.clear":        {ZH: "清除筛选", EN: "Clear filter"},
	"section.first":        {ZH: "← 回到最新", EN: "← Newest"},
	"section.older":        {ZH: "更早的条目 →", EN: "Older entries →"},
	"section.searchon":     {ZH: "继续搜索更早的条目 →", EN: "Search older entries →"},
	"section.searched":     {ZH: "已查找 %d 条，尚未找完。", EN: "Searched %d entries; there are more."},
	"section.pages":        {ZH: "翻页", EN: "Pages"},
	"section.pinnedtag":    {ZH: "已置顶", EN: "pinned"},
	"section.pinuntil":     {ZH: "置顶至…", EN: "Pin until…"},
	"section.forever.hint": {ZH: "直接点“置顶”则不过期。", EN: "“Pin” alone pins with no expiry."},
	"section.nomatch":      {ZH: "没有符合条件的条目。", EN: "No entries match."},
	"section.badcursor": {
		ZH: "翻页位置无效或已过期，已从最新的条目显示。",
		EN: "That page position is invalid or gone; showing the newest entries.",
	},
	"section.q.invalid": {
		ZH: "搜索词含有无法识别的字符，已忽略。",
		EN: "The search has characters that cannot be read; it was left out.",
	},
	"section.q.toolong": {
		ZH: "搜索词最多 %d 个字，您输入了 %d 个字，已忽略。",
		EN: "A search is at most %d characters; yours has %d, so it was left out.",
	},
	"section.source.unknown": {
		ZH: "本栏目没有来源“%s”，已显示全部来源。",
		EN: "This section has no source “%s”; showing all sources.",
	},

	"audit.action.source.add":      {ZH: "添加来源", EN: "Source added"},
	"audit.action.source.update":   {ZH: "修改来源", EN: "Source edited"},
	"audit.action.source.remove":   {ZH: "删除来源", EN: "Source removed"},
	"audit.action.source.pause":    {ZH: "暂停来源", EN: "Source paused"},
	"audit.action.source.resume":   {ZH: "恢复抓取", EN: "Source resumed"},
	"audit.action.source.poll":     {ZH: "立即抓取来源", EN: "Source polled now"},
	"audit.action.section.poll":    {ZH: "立即抓取栏目", EN: "Section polled now"},
	"audit.action.entry.hide":      {ZH: "下架", EN: "Hidden"},
	"audit.action.entry.unhide":    {ZH: "恢复", EN: "Unhidden"},
	"audit.action.entry.pin":       {ZH: "置顶", EN: "Pinned"},
	"audit.action.entry.unpin":     {ZH: "取消置顶", EN: "Unpinned"},
	"audit.action.session.signin":  {ZH: "登录", EN: "Signed in"},
	"audit.action.session.signout": {ZH: "退出登录", EN: "Signed out"},
	"audit.action.auth.failed":     {ZH: "令牌错误", EN: "Wrong token"},
	"audit.until":                  {ZH: "到期", EN: "until"},
	"audit.entryid":                {ZH: "条目", EN: "entry"},
	"audit.section":                {ZH: "栏目", EN: "section"},
	"audit.via.console":            {ZH: "管理后台", EN: "console"},
	"audit.via.api":                {ZH: "管理 API", EN: "admin API"},
}
