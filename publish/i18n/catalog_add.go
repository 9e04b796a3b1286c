package i18n

// addMessages are the words of the console's add flow (console_new.go):
// finding a feed or a list on a page, and the preview of what a source
// would give.
var addMessages = map[string]Message{
	"new.find": {ZH: "查找", EN: "Find"},
	"new.feeds": {
		ZH: "这个网页提供了 %d 个订阅源，选一个使用：",
		EN: "This page offers feeds (%d); use one:",
	},
	"new.lists": {
		ZH: "这个网页没有订阅源，找到了 %d 个新闻列表。请选择要订阅的一个（已选中最可能的）：",
		EN: "This page has no feed, but lists of entries (%d) were found on it. Choose the one to follow (the likeliest is chosen):",
	},
	"new.list":  {ZH: "列表 %d", EN: "List %d"},
	"new.items": {ZH: "%d 条", EN: "%d items"},
	"new.best":  {ZH: "推荐", EN: "best"},
	"new.tune":  {ZH: "修改这个列表的选择器", EN: "Adjust this list's selectors"},
	"new.fieldswin": {
		ZH: "如果在下面的“列表页选择器”中填写了“条目”，将以填写的选择器为准。",
		EN: "When Items is filled in under List page selectors below, those selectors are used instead.",
	},
	"new.none":   {ZH: "没有找到订阅源，也没有找到新闻列表", EN: "No feed and no list found"},
	"new.cannot": {ZH: "无法读取这个网址", EN: "This URL could not be read"},
	"new.nonehelp": {
		ZH: "请在下面的“列表页选择器”中填写“条目”：每条新闻所在元素的 CSS 选择器，例如 ul.news li。标题、链接和日期可以留空，会在每一条中自动识别。填好后点“预览”检查。",
		EN: "Fill in Items under List page selectors below: a CSS selector for each entry's element, such as ul.news li. Title, link and date may stay empty: they are found in each item. Then press Preview to check.",
	},
	"new.settings": {ZH: "添加到", EN: "Add to"},
	"new.more": {
		ZH: "更多设置（标识、抓取计划、时区、筛选）",
		EN: "More settings (id, schedule, time zone, filters)",
	},
	"new.scrapehelp": {
		ZH: "“条目”是每条新闻所在元素的 CSS 选择器（如 ul.news li）；其余留空时在每一条中自动识别。",
		EN: "Items is a CSS selector for each entry's element (such as ul.news li); the others, left empty, are found in each item.",
	},
	"new.fetchnote": {
		ZH: "列表页只有标题和日期，已勾选“抓取每条的正文”：正文、完整标题和发布时间从每条的链接读取。",
		EN: "A list page gives headlines and dates only, so fetching each entry's article is ticked: its body, full headline and time come from each entry's link.",
	},

	// A preview (console_new.go).
	"prev.title":                {ZH: "预览：将得到 %d 条", EN: "Preview: %d entries"},
	"prev.kind.feed":            {ZH: "订阅源", EN: "feed"},
	"prev.kind.discovered_feed": {ZH: "网页提供的订阅源", EN: "feed the page offers"},
	"prev.kind.list_page":       {ZH: "列表页", EN: "list page"},
	"prev.kind.none":            {ZH: "未读取", EN: "not read"},
	"prev.advertised": {
		ZH: "读取网页提供的订阅源时出错：",
		EN: "Reading the feed the page offers failed: ",
	},
	"prev.warnings":          {ZH: "请检查", EN: "Check"},
	"prev.detected":          {ZH: "自动识别的选择器", EN: "Selectors detection chose"},
	"prev.selectors":         {ZH: "所用选择器", EN: "Selectors used"},
	"prev.nodate":            {ZH: "无日期（将以首次抓取时间为准）", EN: "no date (dated when first fetched)"},
	"prev.datetext":          {ZH: "网页上写的是“%s”", EN: "the page says %q"},
	"prev.more":              {ZH: "还有 %d 条未显示。", EN: "%d more not shown."},
	"prev.nothing":           {ZH: "没有读到任何条目。", EN: "No entries were read."},
	"prev.skipped":           {ZH: "跳过的 %d 项", EN: "Skipped (%d)"},
	"prev.position":          {ZH: "第 %d 项", EN: "item %d"},
	"prev.article":           {ZH: "第一篇正文（添加后将这样保存）", EN: "The first article, as it will be kept"},
	"prev.article.published": {ZH: "发布时间", EN: "Published"},
	"prev.article.author":    {ZH: "作者/来源", EN: "Author"},
	"prev.article.failed": {
		ZH: "正文读取失败（原因见下方英文说明）。",
		EN: "The article could not be read.",
	},
	"prev.noarticle": {
		ZH: "没有抓取正文：勾选“抓取每条的正文”后再预览，即可看到第一篇正文。",
		EN: "No article was fetched: tick \"Fetch each entry's article\" and preview again to see the first one.",
	},

	// Selectors, named short.
	"sel.items":     {ZH: "条目", EN: "items"},
	"sel.title":     {ZH: "标题", EN: "title"},
	"sel.link":      {ZH: "链接", EN: "link"},
	"sel.date":      {ZH: "日期", EN: "date"},
	"sel.date_attr": {ZH: "日期属性", EN: "date attribute"},
	"sel.summary":   {ZH: "摘要", EN: "summary"},
	"sel.image":     {ZH: "图片", EN: "image"},
	"sel.skip":      {ZH: "跳过", EN: "skip"},

	// Skipped items.
	"skip.other": {ZH: "其他原因（见英文说明）", EN: "another reason"},
}
