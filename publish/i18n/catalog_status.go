package i18n

// statusMessages are /status's words, for operators. Its table's columns
// are the console's (col.…) and its states the console's (state.…), so
// both pages word them alike.
var statusMessages = map[string]Message{
	"status.title":     {ZH: "来源状态", EN: "Sources"},
	"status.json":      {ZH: "JSON", EN: "JSON"},
	"status.ready":     {ZH: "就绪检查", EN: "Readiness"},
	"status.ready.ok":  {ZH: "正常", EN: "ok"},
	"status.notready":  {ZH: "未就绪：", EN: "not ready: "},
	"status.asof":      {ZH: "更新于", EN: "as of"},
	"status.nosources": {ZH: "尚未配置来源。", EN: "No sources configured."},
	"status.nomatch":   {ZH: "没有符合筛选条件的来源。", EN: "No source matches these filters."},

	// The bars of links above the table.
	"status.filter.state":   {ZH: "状态", EN: "State"},
	"status.filter.section": {ZH: "栏目", EN: "Section"},
	"status.sortby":         {ZH: "排序", EN: "Sort by"},
	"status.language":       {ZH: "语言", EN: "Language"},
	"status.all":            {ZH: "全部", EN: "All"},
	"status.sort.state":     {ZH: "状态", EN: "state"},
	"status.sort.name":      {ZH: "名称", EN: "name"},
	"status.sort.next_due":  {ZH: "下次抓取", EN: "next due"},
	"status.sort.errors":    {ZH: "错误次数", EN: "errors"},
	"status.sort.entries":   {ZH: "条目数", EN: "entries"},

	// Columns the console has no words for.
	"col.source":  {ZH: "来源", EN: "Source"},
	"status.http": {ZH: "HTTP", EN: "HTTP"},

	// The line under the title: how many sources are listed.
	"status.summary":       {ZH: "共 %d 个来源", EN: "%d sources", One: "%d source"},
	"status.summary.shown": {ZH: "共 %[2]d 个来源，显示 %[1]d 个", EN: "%[1]d of %[2]d sources", One: "%[1]d of %[2]d source"},

	// Notes under a source's URLs.
	"status.redirect.discovered": {ZH: "页面声明的订阅源", EN: "the feed the page advertises"},
	"status.redirect.moved":      {ZH: "已永久迁移", EN: "moved permanently"},
	"status.detected":            {ZH: "自动识别的列表：%s", EN: "list detected: %s"},
	"status.skipped": {
		ZH:  "列表中 %d 项没有链接，已跳过",
		EN:  "%d list items without a link skipped",
		One: "%d list item without a link skipped",
	},
	"status.undated": {ZH: "%d 条没有可用的日期", EN: "%d items without a usable date", One: "%d item without a usable date"},
	"status.future":  {ZH: "%d 条的日期在未来", EN: "%d items dated in the future", One: "%d item dated in the future"},
	"status.example": {ZH: "例如", EN: "e.g."},
	// A source with content.fetch: its articles fetched, failed (with the
	// last failure's reason) and waiting.
	"status.articles":           {ZH: "正文：%s", EN: "articles: %s"},
	"status.articles.ok":        {ZH: "成功 %d 篇", EN: "%d ok"},
	"status.articles.failed":    {ZH: "，失败 %d 篇", EN: ", %d failed"},
	"status.articles.lasterror": {ZH: "：%s", EN: ": %s"},
	"status.articles.pending":   {ZH: "，待抓取 %d 篇", EN: ", %d pending"},
	// How long a stale source has published nothing.
	"status.silence":       {ZH: "%d 天未更新", EN: "stale, %d days", One: "stale, %d day"},
	"status.silence.never": {ZH: "从未更新", EN: "stale, never updated"},
}

// timeMessages say how far a time is from now, to its largest whole unit
// (see Relative).
var timeMessages = map[string]Message{
	"time.now":         {ZH: "刚刚", EN: "just now"},
	"time.soon":        {ZH: "不到 1 分钟后", EN: "in less than a minute"},
	"time.minutes.ago": {ZH: "%d 分钟前", EN: "%d minutes ago", One: "%d minute ago"},
	"time.minutes.in":  {ZH: "%d 分钟后", EN: "in %d minutes", One: "in %d minute"},
	"time.hours.ago":   {ZH: "%d 小时前", EN: "%d hours ago", One: "%d hour ago"},
	"time.hours.in":    {ZH: "%d 小时后", EN: "in %d hours", One: "in %d hour"},
	"time.days.ago":    {ZH: "%d 天前", EN: "%d days ago", One: "%d day ago"},
	"time.days.in":     {ZH: "%d 天后", EN: "in %d days", One: "in %d day"},
}
