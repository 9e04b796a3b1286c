package parse

import (
	"regexp"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
)

// Article pages end with lines no republished article wants: a pager to
// the neighbouring articles ("上一条：… 下一条：…"), print and close
// buttons ("【打印】【关闭】"), a font size switch ("【字号：大 中 小】") and
// share bars ("分享到：微信 微博"). Templates name them with classes of
// every kind, or none, so they are recognized by their text: a small
// block (maxBoilerplateRunes) that is a pager, or holds nothing but such
// tools, goes before the body is extracted. The body element itself and
// its ancestors are never removed.

// maxBoilerplateRunes bounds the text of a block removed as boilerplate:
// anything longer is content, whatever it starts with.
const maxBoilerplateRunes = 400

// maxPagerLinks bounds the links of a pager block ("上一条", "下一条", a
// close or back link or two).
const maxPagerLinks = 6

var (
	// pagerRe is the start of a pager line.
	pagerRe = regexp.MustCompile(`^(?:上一?[条篇页则]|下一?[条篇页则]|前一篇|后一篇|(?i:previous|next)(?:\s+(?:post|article))?)\s*[:：]`)
	// toolRe is one tool of a page's tool bar, in its brackets if any.
	toolRe = regexp.MustCompile(`[【\[（(<]?\s*(?:(?:字号|字体|文字大小|字体大小|字号大小)\s*[:：]?(?:\s*[【\[（(<]?\s*[大中小默认]+\s*[】\]）)>]?)*|打印本页|打印此页|打印文章|打印页面|打印正文|打印|关闭本页|关闭窗口|关闭页面|关闭|收藏本页|收藏本文|加入收藏|收藏|返回顶部|返回首页|返回列表|返回上一页|返回|推荐给朋友|复制链接|复制网址|分享到|分享至|分享)\s*[:：]?\s*[】\]）)>]?`)
	// shareRe is a share target named beside "分享到".
	shareRe = regexp.MustCompile(`(?i)QQ空间|QQ好友|QQ|微信|朋友圈|新浪微博|腾讯微博|微博|豆瓣|人人网|开心网|百度|更多|weibo|wechat|qzone`)
	// leadingToolsRe is the tools a text starts with.
	leadingToolsRe = regexp.MustCompile(`^(?:\s*(?:` + toolRe.String() + `))*`)
	// fillerRe is what separates the tools.
	fillerRe = regexp.MustCompile(`[\s|｜/·•、,，;；:：\-_【】\[\]（）()<>《》]+`)
)

// removeBoilerplate removes the pager, tool and share blocks of doc (see
// above), never keep or an element holding it.
func removeBoilerplate(root, keep *html.Node, ix *pageIndex) {
	var drop []*html.Node
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		alone := childrenStandAlone(n)
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode {
				continue
			}
			if r := ix.runes[c]; alone && r > 0 && r <= maxBoilerplateRunes && !within(c, keep) && isBoilerplate(c) {
				drop = append(drop, c)
				continue
			}
			walk(c)
		}
	}
	walk(root)
	for _, n := range drop {
		n.Parent.RemoveChild(n)
	}
}

// childrenStandAlone reports whether the elements in n are blocks of
// their own: n holds no text beside them but brackets and separators. A
// word inside a sentence ("请<b>关闭</b>电源") is no tool however it reads
// alone.
func childrenStandAlone(n *html.Node) bool {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.TextNode && strings.TrimSpace(fillerRe.ReplaceAllString(c.Data, "")) != "" {
			return false
		}
	}
	return true
}

// isBoilerplate reports whether the block n is a pager, or holds only
// tools and share targets.
func isBoilerplate(n *html.Node) bool {
	text := spacedText(n)
	if !mayBeBoilerplate(text) {
		return false
	}
	if utf8.RuneCountInString(text) <= maxToolRunes && onlyTools(text) {
		return true
	}
	return isPager(n, text)
}

// maxToolRunes bounds the text of a tool or share bar.
const maxToolRunes = 100

// onlyTools reports whether text is nothing but tools, or share targets
// after "分享".
func onlyTools(text string) bool {
	rest := strings.TrimLeft(fillerRe.ReplaceAllString(toolRe.ReplaceAllString(text, " "), " "), " ")
	if rest == "" {
		return toolRe.MatchString(text)
	}
	return strings.Contains(text, "分享") && strings.TrimSpace(fillerRe.ReplaceAllString(shareRe.ReplaceAllString(rest, " "), "")) == ""
}

// boilerplateWords are in every tool, share bar and pager: a block
// without one of them is content, known without the regular expressions.
var boilerplateWords = []string{"打印", "关闭", "收藏", "返回", "分享", "字号", "字体", "文字大小", "推荐", "复制",
	"上一", "下一", "上篇", "下篇", "上条", "下条", "上页", "下页", "前一篇", "后一篇", "revious", "ext"}

func mayBeBoilerplate(text string) bool {
	for _, w := range boilerplateWords {
		if strings.Contains(text, w) {
			return true
		}
	}
	return false
}

// isPager reports whether the block n, whose text is text, is a pager:
// it starts, once the tools before it are dropped, with "上一条：" or the
// like, and holds a few links at most.
func isPager(n *html.Node, text string) bool {
	text = strings.TrimLeft(text[len(leadingToolsRe.FindString(text)):], " 【[")
	return pagerRe.MatchString(text) && linkCount(n) <= maxPagerLinks
}

// linkCount counts the <a> elements in n.
func linkCount(n *html.Node) int {
	c := 0
	if n.Type == html.ElementNode && n.Data == "a" {
		c++
	}
	for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
		c += linkCount(ch)
	}
	return c
}
