package i18n

// codeMessages word the messages that reach people as codes with
// arguments (model's Msg… and Key… codes: a preview's error, a
// discovery's reason, a refused request, a skipped item), as "msg.<code>"
// with blanks %[1]s, %[2]s, … filled by Fill.
var codeMessages = map[string]Message{
	"msg.unreadable": {
		ZH: "无法读取这个网址（原因见下方英文说明）。",
		EN: "The URL could not be read.",
	},
	"msg.refused": {ZH: "请求未被接受（原因见下方英文说明）。", EN: "The request was refused."},
	"msg.http_not_found": {
		ZH: "网页不存在（HTTP %[1]s）：请检查网址是否正确。",
		EN: "The page does not exist (HTTP %[1]s): check the URL.",
	},
	"msg.http_gone": {ZH: "网页已被网站删除（HTTP %[1]s）。", EN: "The site removed the page (HTTP %[1]s)."},
	"msg.http_forbidden": {
		ZH: "网站拒绝访问（HTTP %[1]s）：可能需要登录，或网站屏蔽了抓取。",
		EN: "The site refuses access (HTTP %[1]s): it may need a login, or block fetching.",
	},
	"msg.http_too_many": {
		ZH: "网站暂时限制访问（HTTP %[1]s，请求过多）：请稍后再试。",
		EN: "The site limits requests for now (HTTP %[1]s): try again later.",
	},
	"msg.http_server": {
		ZH: "网站出错（HTTP %[1]s）：请稍后再试。",
		EN: "The site has an error (HTTP %[1]s): try again later.",
	},
	"msg.http_status": {ZH: "网站返回了 HTTP %[1]s（%[2]s）。", EN: "The site answered HTTP %[1]s (%[2]s)."},
	"msg.timeout": {
		ZH: "网站在限定时间内没有响应：请稍后再试。",
		EN: "The site did not answer in time: try again later.",
	},
	"msg.connection_refused": {
		ZH: "网站拒绝连接：网址或端口可能有误，或网站已关闭。",
		EN: "The site refused the connection: the address or port may be wrong, or the site is down.",
	},
	"msg.connection_reset": {
		ZH: "网站中断了连接：请稍后再试。",
		EN: "The site closed the connection: try again later.",
	},
	"msg.tls_error": {
		ZH: "网站的 HTTPS 证书或加密连接有问题：可以试试以 http:// 开头的网址。",
		EN: "The site's HTTPS certificate or connection is faulty: try the http:// address.",
	},
	"msg.dns_error": {
		ZH: "找不到域名 %[1]s：请检查网址的拼写。",
		EN: "The domain %[1]s does not exist: check the URL's spelling.",
	},
	"msg.forbidden_address": {
		ZH: "这个网址指向内网或本机地址（%[1]s），出于安全考虑不予抓取。",
		EN: "This URL leads to an internal or local address (%[1]s), which is not fetched for safety.",
	},
	"msg.redirect_error": {
		ZH: "这个网址跳转次数过多，或跳转形成了循环。",
		EN: "This URL redirects too many times, or in a loop.",
	},
	"msg.body_too_large": {
		ZH: "内容太大（超过 %[1]s 字节），没有读取。",
		EN: "The document is too large (over %[1]s bytes) and was not read.",
	},
	"msg.html_too_large": {
		ZH: "网页太大（超过 %[1]s 字节），没有读取：请联系管理员调高网页大小上限。",
		EN: "The page is too large (over %[1]s bytes) and was not read: ask the administrator to raise the page size limit.",
	},
	"msg.bad_url":      {ZH: "网址格式不正确。", EN: "The URL is malformed."},
	"msg.cancelled":    {ZH: "请求已取消。", EN: "The request was cancelled."},
	"msg.fetch_failed": {ZH: "无法读取这个网址。", EN: "The URL could not be read."},
	"msg.no_feed":      {ZH: "这个网页没有提供订阅源。", EN: "This page offers no feed."},
	"msg.no_feed_lists": {
		ZH: "这个网页没有提供订阅源，找到了 %[1]s 个新闻列表。",
		EN: "This page offers no feed; lists of entries found: %[1]s.",
	},
	"msg.not_a_feed": {ZH: "这个网址的内容不是订阅源（%[1]s）。", EN: "This URL is not a feed (%[1]s)."},
	"msg.feed_syntax": {
		ZH: "订阅源的格式有误，无法读取。",
		EN: "The feed is malformed and cannot be read.",
	},
	"msg.no_items": {
		ZH: "“条目”选择器在网页上没有匹配到任何元素：请检查选择器，或网站是否改版。",
		EN: "The items selector matched nothing on the page: check it, or whether the site changed its template.",
	},
	"msg.no_list": {
		ZH: "网页上没有找到新闻列表：请在“列表页选择器”中填写“条目”。",
		EN: "No list of entries was found on the page: fill in Items under List page selectors.",
	},
	"msg.several_lists": {
		ZH: "网页上有 %[1]s 个相近的新闻列表，没有自动选择：请点“查找”从中选一个。",
		EN: "The page holds %[1]s comparable lists and none was chosen: press Find and choose one.",
	},
	"msg.selector_invalid": {ZH: "选择器的写法有误。", EN: "A selector is malformed."},
	"msg.selector_stopped": {
		ZH: "选择器运行时间过长，已停止：请换一个更简单的选择器。",
		EN: "A selector ran too long and was stopped: use a simpler one.",
	},
	"msg.source_filter": {
		ZH: "只收录/排除规则的写法有误：%[1]s",
		EN: "An include/exclude rule is malformed: %[1]s",
	},
	"msg.read_failed":  {ZH: "无法读取这个网址。", EN: "The URL could not be read."},
	"msg.skip_matched": {ZH: "符合“跳过”选择器", EN: "matches the skip selector"},
	"msg.skip_no_link": {ZH: "没有可用的链接", EN: "no usable link"},
	"msg.skip_script_link": {
		ZH: "链接是脚本或“#”，没有自己的网址",
		EN: "its links are javascript: or #, with no address of their own",
	},
	"msg.skip_filtered": {ZH: "被只收录/排除规则滤掉", EN: "left out by the include/exclude rules"},
	"msg.skip_page_cut": {
		ZH: "网页太长，从这里往后的条目没有读取",
		EN: "the page is too long: items from here on were not read",
	},
	"msg.url_required": {ZH: "请填写网址。", EN: "Enter a URL."},
	"msg.url_too_long": {
		ZH: "网址太长（最多 %[1]s 字节）。",
		EN: "The URL is too long (at most %[1]s bytes).",
	},
	"msg.url_invalid": {
		ZH: "网址无效：需要以 http:// 或 https:// 开头的完整网址。",
		EN: "Not a valid URL: it must be a full address beginning with http:// or https://.",
	},
	"msg.url_private": {
		ZH: "%[1]s 指向内网或本机地址（%[2]s）：这里只能添加公网上的网址。",
		EN: "%[1]s leads to an internal or local address (%[2]s): only public addresses can be added here.",
	},
	"msg.url_forbidden": {
		ZH: "这个网址连接到了内网或本机地址：这里只能添加公网上的网址。",
		EN: "This URL connects to an internal or local address: only public addresses can be added here.",
	},
	"msg.url_no_feed": {
		ZH: "这个网页没有订阅源，也没有找到新闻列表：请在“列表页选择器”中填写“条目”。",
		EN: "This page has no feed and no list was found on it: fill in Items under List page selectors.",
	},
	"msg.url_lists": {
		ZH: "这个网页没有订阅源，有几个相近的新闻列表，无法自动选择：请先点“查找”选一个。",
		EN: "This page has no feed, and its lists are too alike to choose one: press Find and choose.",
	},
	"msg.id_invalid": {
		ZH: "标识只能用小写字母、数字和 -，并以字母或数字开头。",
		EN: "The id takes lower-case letters, digits and -, starting with a letter or digit.",
	},
	"msg.id_taken": {
		ZH: "标识 %[1]s 已被另一个来源使用（%[3]s）。",
		EN: "The id %[1]s is taken by another source (%[3]s).",
	},
	"msg.id_added": {ZH: "标识为 %[1]s 的来源刚刚已被添加。", EN: "A source with id %[1]s was just added."},
	"msg.source_exists": {
		ZH: "%[1]s 已经是来源 %[2]s：可以在该来源的页面把它加入更多栏目。",
		EN: "%[1]s is already source %[2]s: add it to more sections on that source's page.",
	},
	"msg.title_invalid": {ZH: "标题含有无效字符。", EN: "The title holds invalid characters."},
	"msg.title_too_long": {
		ZH: "标题太长（最多 %[1]s 个字）。",
		EN: "The title is too long (at most %[1]s characters).",
	},
	"msg.sections_none":     {ZH: "请至少选择一个栏目。", EN: "Choose at least one section."},
	"msg.sections_too_many": {ZH: "栏目太多（最多 %[1]s 个）。", EN: "Too many sections (at most %[1]s)."},
	"msg.section_unknown":   {ZH: "没有栏目 %[1]s。", EN: "There is no section %[1]s."},
	"msg.schedule_invalid": {
		ZH: "抓取计划的写法不对：可以填 @every 15m、@every 1h，或 cron 表达式（如 */10 * * * *）。",
		EN: "The schedule is not valid: use @every 15m, @every 1h, or a cron spec (such as */10 * * * *).",
	},
	"msg.timezone_invalid": {
		ZH: "不认识这个时区：请填写如 Asia/Shanghai 这样的时区名。",
		EN: "Unknown time zone: use a name such as Asia/Shanghai.",
	},
	"msg.selector_bad":      {ZH: "选择器的写法有误：%[1]s", EN: "This selector is malformed: %[1]s"},
	"msg.date_attr_invalid": {ZH: "“%[1]s”不是属性名。", EN: "%[1]s is not an attribute name."},
	"msg.remove_too_many": {
		ZH: "要移除的元素太多（最多 %[1]s 个选择器）。",
		EN: "Too many elements to remove (at most %[1]s selectors).",
	},
	"msg.max_per_poll_low": {ZH: "每次最多抓取的篇数至少为 1。", EN: "At most per poll must be at least 1."},
	"msg.max_per_poll_form": {
		ZH: "每次最多抓取的篇数须为不小于 1 的整数，填写的是“%[1]s”。",
		EN: "At most per poll must be a whole number of at least 1, not %[1]s.",
	},
	"msg.filters_too_many": {ZH: "规则太多（最多 %[1]s 条）。", EN: "Too many rules (at most %[1]s)."},
	"msg.filter_invalid":   {ZH: "这条规则的写法有误：%[1]s", EN: "This rule is malformed: %[1]s"},
	"msg.clear_and_set": {
		ZH: "不能在同一次修改中既清除又设置 %[1]s。",
		EN: "Cannot clear %[1]s and set it in one change.",
	},
	"msg.nothing_changed": {ZH: "没有修改任何内容。", EN: "Nothing was changed."},
	"msg.config_remove": {
		ZH: "来源 %[1]s 定义在配置文件中（%[2]s）：请在文件中删除。",
		EN: "Source %[1]s is defined in the config file (%[2]s): remove it there.",
	},
	"msg.config_edit": {
		ZH: "来源 %[1]s 定义在配置文件中：请在 %[3]s 修改；这里只能把它加入更多栏目。",
		EN: "Source %[1]s is defined in the config file: edit it at %[3]s; here it can only be added to more sections.",
	},
	"msg.config_section": {
		ZH: "来源 %[1]s 由配置文件列在栏目 %[2]s 中：请在 %[3]s 移除。",
		EN: "Source %[1]s is listed in section %[2]s by the config file: remove it at %[3]s.",
	},
	"msg.source_not_found": {
		ZH: "没有来源 %[1]s（可能已被删除）。",
		EN: "There is no source %[1]s (it may have been removed).",
	},
	"msg.section_not_found": {ZH: "没有栏目 %[1]s。", EN: "There is no section %[1]s."},
	"msg.source_paused":     {ZH: "来源 %[1]s 已暂停：请先恢复。", EN: "Source %[1]s is paused: resume it first."},
	"msg.session_not_found": {ZH: "登录已过期，请重新登录。", EN: "The session expired: sign in again."},
	"msg.action_unknown":    {ZH: "未知的操作“%[1]s”。", EN: "Unknown action %[1]s."},
	"msg.entry_invalid":     {ZH: "“%[1]s”不是条目标识。", EN: "%[1]s is not an entry id."},
	"msg.until_not_pin":     {ZH: "只有置顶可以设置到期时间。", EN: "Only a pin takes an expiry."},
	"msg.until_past":        {ZH: "到期时间 %[1]s 已经过去。", EN: "The expiry %[1]s is not in the future."},
	"msg.entry_not_in":      {ZH: "条目 %[1]s 不在栏目 %[2]s 中。", EN: "Entry %[1]s is not in section %[2]s."},
	"msg.entry_hidden": {
		ZH: "条目 %[1]s 在栏目 %[2]s 中已下架：请先恢复再置顶。",
		EN: "Entry %[1]s is hidden in section %[2]s: unhide it before pinning.",
	},
	"msg.pins_full": {
		ZH: "栏目 %[1]s 已有 %[2]s 条置顶：请先取消一条。",
		EN: "Section %[1]s already has %[2]s pins: unpin one first.",
	},
	"msg.hidden_full": {
		ZH: "栏目 %[1]s 已下架 %[2]s 条：请先恢复一些。",
		EN: "Section %[1]s already hides %[2]s entries: unhide some first.",
	},
	"msg.pin_time_invalid": {
		ZH: "请填写日期和时间，如 2026-11-20T18:00（填写的是“%[1]s”）。",
		EN: "Enter a date and time such as 2026-11-20T18:00 (not %[1]s).",
	},
	"msg.pin_expiry_unknown": {ZH: "未知的到期选项“%[1]s”。", EN: "Unknown expiry %[1]s."},
}
