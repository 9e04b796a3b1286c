package publish

// subscribeText is what the subscribe page says, in one language (see
// subscribe.go). Link is the section page's link to it.
type subscribeText struct {
	Link string
	// Title is a printf format of the section's title.
	Title, Intro                     string
	FeedsHeading, FeedsHint          string
	Copy, Copied, CopyFailed         string
	ReaderHeading, ReaderText        string
	StepsHeading                     string
	Steps                            []string
	PhoneHeading, PhoneText, QRAlt   string
	OPMLBefore, OPMLLink, BackToPage string
}

// subscribeTextFor returns the subscribe page's strings in lang; anything
// but English is Chinese, as textFor.
func subscribeTextFor(lang string) subscribeText {
	if lang == langEN {
		return subscribeText{
			Link:         "How to subscribe · QR code",
			Title:        "Subscribe to %s",
			Intro:        "Subscribe, and new articles of this section come to your feed reader by themselves: no need to visit each site.",
			FeedsHeading: "Feed addresses",
			FeedsHint:    "Copy an address and paste it into your reader's “Add feed”. If unsure which to pick, use RSS.",
			Copy:         "Copy", Copied: "Copied", CopyFailed: "Press Ctrl+C (or long-press the address) to copy it.",
			ReaderHeading: "What is a feed reader?",
			ReaderText: "A feed reader (also called an RSS reader) gathers the updates of the sites you follow in one place, " +
				"lists new articles as they appear and remembers which you have read. There are reader apps for phones, " +
				"desktop readers for computers and web readers used in the browser; some browser extensions and e-mail " +
				"programs subscribe to feeds too. Most are free: pick one you like.",
			StepsHeading: "How to subscribe",
			Steps: []string{
				"Install or open a feed reader.",
				"Find “Add feed” (it may be called “Subscribe”, “Add URL” or a “+” button).",
				"Paste the address you copied above and confirm: new articles of this section now show in your reader.",
			},
			PhoneHeading: "Open on your phone",
			PhoneText:    "Scan this code with your phone's camera to open the section's page.",
			QRAlt:        "QR code of the section's page",
			OPMLBefore:   "To follow each source site of this section on its own, import the",
			OPMLLink:     "list of sources (OPML)",
			BackToPage:   "Back to the section",
		}
	}
	return subscribeText{
		Link:         "订阅方法 · 二维码",
		Title:        "订阅「%s」",
		Intro:        "订阅后，本栏目的新文章会自动出现在你的阅读器里，不必再逐个打开网站查看。",
		FeedsHeading: "订阅地址",
		FeedsHint:    "复制一个地址，粘贴到阅读器的“添加订阅”里。不知道选哪个时，用 RSS 即可。",
		Copy:         "复制", Copied: "已复制", CopyFailed: "请按 Ctrl+C（手机上长按地址）复制。",
		ReaderHeading: "什么是阅读器？",
		ReaderText: "阅读器（也叫 RSS 阅读器、订阅器）把你关注的网站的更新集中到一处，按时间列出新文章，并记住哪些已经读过。" +
			"手机上的阅读器应用、电脑上的桌面阅读器、在浏览器里使用的网页版阅读器都可以，一些浏览器插件和邮件客户端也能订阅。" +
			"它们大多免费，选一个顺手的即可。",
		StepsHeading: "怎么订阅",
		Steps: []string{
			"安装或打开一个阅读器。",
			"找到“添加订阅”（也可能叫“订阅源”“添加网址”或一个“+”按钮）。",
			"粘贴上面复制的地址并确认，之后本栏目的新文章就会出现在阅读器里。",
		},
		PhoneHeading: "在手机上打开",
		PhoneText:    "用手机相机或“扫一扫”扫描二维码，打开本栏目的页面。",
		QRAlt:        "本栏目页面的二维码",
		OPMLBefore:   "想分别关注本栏目的每个来源网站？可以导入",
		OPMLLink:     "来源列表（OPML）",
		BackToPage:   "返回栏目",
	}
}
