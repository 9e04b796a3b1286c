package i18n

// pageMessages are the public pages' and embeds' words: the index, a
// section's page, the headline lists, the iframe and the error pages.
var pageMessages = map[string]Message{
	"page.home":       {ZH: "全部栏目", EN: "All sections"},
	"page.older":      {ZH: "更早 →", EN: "Older →"},
	"page.newest":     {ZH: "← 最新", EN: "← Newest"},
	"page.noentries":  {ZH: "暂无内容。", EN: "No entries yet."},
	"page.nosections": {ZH: "尚未配置栏目。", EN: "No sections are configured."},
	"page.pages":      {ZH: "翻页", EN: "Pages"},
	// A headline list's link to its section (widget, iframe, index).
	"page.more":  {ZH: "更多 »", EN: "More »"},
	"page.count": {ZH: "共 %d 条", EN: "%d entries"},
	// Labels a section's newest headlines on the index.
	"page.latest": {ZH: "最新", EN: "Latest"},
	// Marks an entry an editor pinned to the top of a section.
	"page.pinned": {ZH: "置顶", EN: "Pinned"},

	// Error pages: a title per kind of failure and the way back.
	"page.notfound":      {ZH: "页面不存在", EN: "Page not found"},
	"page.notfound.hint": {ZH: "此地址没有对应的栏目或页面。", EN: "There is no section or page at this address."},
	"page.badrequest":    {ZH: "请求有误", EN: "Bad request"},
	"page.servererror":   {ZH: "出错了", EN: "Something went wrong"},
	"page.unavailable":   {ZH: "服务暂时不可用，请稍后再试", EN: "Temporarily unavailable; please try again later"},
	"page.backhome":      {ZH: "返回全部栏目", EN: "Back to all sections"},

	// The zone dates are shown in when it is China's.
	"zone.beijing": {ZH: "北京时间", EN: "Beijing time"},
}

// subscribeMessages are the subscribe page's words, and the section
// page's link to it.
var subscribeMessages = map[string]Message{
	"sub.link":  {ZH: "订阅方法 · 二维码", EN: "How to subscribe · QR code"},
	"sub.title": {ZH: "订阅「%s」", EN: "Subscribe to %s"},
	"sub.intro": {
		ZH: "订阅后，本栏目的新文章会自动出现在你的阅读器里，不必再逐个打开网站查看。",
		EN: "Subscribe, and new articles of this section come to your feed reader by themselves: no need to visit each site.",
	},
	"sub.feeds": {ZH: "订阅地址", EN: "Feed addresses"},
	"sub.feeds.hint": {
		ZH: "复制一个地址，粘贴到阅读器的“添加订阅”里。不知道选哪个时，用 RSS 即可。",
		EN: "Copy an address and paste it into your reader's “Add feed”. If unsure which to pick, use RSS.",
	},
	"sub.copy":       {ZH: "复制", EN: "Copy"},
	"sub.copied":     {ZH: "已复制", EN: "Copied"},
	"sub.copyfailed": {ZH: "请按 Ctrl+C（手机上长按地址）复制。", EN: "Press Ctrl+C (or long-press the address) to copy it."},
	"sub.reader":     {ZH: "什么是阅读器？", EN: "What is a feed reader?"},
	"sub.reader.text": {
		ZH: "阅读器（也叫 RSS 阅读器、订阅器）把你关注的网站的更新集中到一处，按时间列出新文章，并记住哪些已经读过。" +
			"手机上的阅读器应用、电脑上的桌面阅读器、在浏览器里使用的网页版阅读器都可以，一些浏览器插件和邮件客户端也能订阅。" +
			"它们大多免费，选一个顺手的即可。",
		EN: "A feed reader (also called an RSS reader) gathers the updates of the sites you follow in one place, " +
			"lists new articles as they appear and remembers which you have read. There are reader apps for phones, " +
			"desktop readers for computers and web readers used in the browser; some browser extensions and e-mail " +
			"programs subscribe to feeds too. Most are free: pick one you like.",
	},
	"sub.steps":  {ZH: "怎么订阅", EN: "How to subscribe"},
	"sub.step.1": {ZH: "安装或打开一个阅读器。", EN: "Install or open a feed reader."},
	"sub.step.2": {
		ZH: "找到“添加订阅”（也可能叫“订阅源”“添加网址”或一个“+”按钮）。",
		EN: "Find “Add feed” (it may be called “Subscribe”, “Add URL” or a “+” button).",
	},
	"sub.step.3": {
		ZH: "粘贴上面复制的地址并确认，之后本栏目的新文章就会出现在阅读器里。",
		EN: "Paste the address you copied above and confirm: new articles of this section now show in your reader.",
	},
	"sub.phone":      {ZH: "在手机上打开", EN: "Open on your phone"},
	"sub.phone.text": {ZH: "用手机相机或“扫一扫”扫描二维码，打开本栏目的页面。", EN: "Scan this code with your phone's camera to open the section's page."},
	"sub.qralt":      {ZH: "本栏目页面的二维码", EN: "QR code of the section's page"},
	// The sentence around the link to the section's OPML: before it, the
	// link, then a full stop.
	"sub.opml.before": {ZH: "想分别关注本栏目的每个来源网站？可以导入", EN: "To follow each source site of this section on its own, import the"},
	"sub.opml.link":   {ZH: "来源列表（OPML）", EN: "list of sources (OPML)"},
	"sub.back":        {ZH: "返回栏目", EN: "Back to the section"},
}

// articleMessages are an article page's words.
var articleMessages = map[string]Message{
	"article.original": {ZH: "阅读原文", EN: "Read the original"},
	// Labels of the entry's details, punctuation included as each
	// language writes it.
	"article.source":    {ZH: "来源：", EN: "Source: "},
	"article.author":    {ZH: "作者：", EN: "Author: "},
	"article.published": {ZH: "发布时间：", EN: "Published: "},
	// Followed by the section's title.
	"article.back":     {ZH: "返回", EN: "Back to"},
	"article.untitled": {ZH: "（无标题）", EN: "(untitled)"},
	// Stands for content too large for a page.
	"article.toolong": {ZH: "全文篇幅过长，此处不予显示，请阅读原文。", EN: "The full text is too long to show here; please read it at the source."},
}
