package parse

import (
	"regexp"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"
)

// An article page prints what it says of the article on an info line
// near the headline: "发布时间：2026-12-03 16:35 来源：教务处 作者：张三
// 点击数：128 【字号：大 中 小】". The line is read by its labels: the text
// after a label, up to the next label (or a bracket, a bar, or the wide
// gap templates leave between fields), is its value.

// labelKind says what an info line label introduces.
type labelKind uint8

const (
	labelStop   labelKind = iota // a value not read (clicks, font size…): it ends the one before
	labelDate                    // the publication time, by rank
	labelAuthor                  // who wrote or sent the article, by rank
)

// infoLabel is one label of an info line. rank orders labels of a kind,
// best first; a date of updateRank is read only when no other date is
// printed.
type infoLabel struct {
	kind labelKind
	rank int
}

// updateRank is the rank of "更新时间" and its kin: the time of the last
// edit, the publication time only for want of one.
const updateRank = 9

// infoLabels are the labels of info lines. Authors: 作者 and its kin
// first, then the sending office (来源, 供稿), then who put it online
// (发布者), then the editor.
var infoLabels = map[string]infoLabel{
	"发布时间": {labelDate, 0}, "发布日期": {labelDate, 0}, "发表时间": {labelDate, 0}, "发表日期": {labelDate, 0},
	"发稿时间": {labelDate, 0}, "发文时间": {labelDate, 0}, "发文日期": {labelDate, 0}, "发布于": {labelDate, 0},
	"时间": {labelDate, 1}, "日期": {labelDate, 1}, "上传时间": {labelDate, 2}, "添加时间": {labelDate, 2},
	"录入时间": {labelDate, 2}, "创建时间": {labelDate, 2}, "成文日期": {labelDate, 3},
	"更新时间": {labelDate, updateRank}, "更新日期": {labelDate, updateRank}, "修改时间": {labelDate, updateRank}, "最后更新": {labelDate, updateRank},

	"作者": {labelAuthor, 0}, "撰稿": {labelAuthor, 0}, "撰稿人": {labelAuthor, 0}, "撰文": {labelAuthor, 0},
	"文字": {labelAuthor, 0}, "记者": {labelAuthor, 0}, "通讯员": {labelAuthor, 0},
	"来源": {labelAuthor, 1}, "信息来源": {labelAuthor, 1}, "文章来源": {labelAuthor, 1}, "稿件来源": {labelAuthor, 1},
	"新闻来源": {labelAuthor, 1}, "消息来源": {labelAuthor, 1}, "供稿": {labelAuthor, 1}, "供稿单位": {labelAuthor, 1},
	"供稿部门": {labelAuthor, 1}, "发布单位": {labelAuthor, 1}, "发布部门": {labelAuthor, 1}, "发布机构": {labelAuthor, 1},
	"来稿单位": {labelAuthor, 1}, "发文机关": {labelAuthor, 1},
	"发布者": {labelAuthor, 2}, "发布人": {labelAuthor, 2}, "发稿人": {labelAuthor, 2}, "录入": {labelAuthor, 2}, "录入者": {labelAuthor, 2},
	"编辑": {labelAuthor, 3}, "责任编辑": {labelAuthor, 3}, "责编": {labelAuthor, 3}, "编辑部门": {labelAuthor, 3},

	"点击": {}, "点击数": {}, "点击量": {}, "点击率": {}, "浏览": {}, "浏览次数": {}, "浏览量": {}, "阅读": {}, "阅读次数": {},
	"阅读量": {}, "阅读数": {}, "访问": {}, "访问次数": {}, "访问量": {}, "人气": {}, "热度": {}, "次数": {}, "点赞": {},
	"字号": {}, "字体": {}, "字体大小": {}, "文字大小": {}, "分享": {}, "分享到": {}, "摄影": {}, "图片": {}, "审核": {}, "审稿": {},
	"签发": {}, "校对": {}, "评论": {}, "关键词": {}, "关键字": {}, "标签": {}, "所属栏目": {}, "栏目": {}, "分类": {},
	"索引号": {}, "文号": {}, "发文字号": {}, "主题分类": {}, "有效性": {}, "打印": {}, "关闭": {}, "收藏": {},
}

// labelRe finds the labels of infoLabels followed by a colon, each at the
// start of the text or after white space, a digit or punctuation: "会议时间："
// in an article's text is no label.
var labelRe = func() *regexp.Regexp {
	names := make([]string, 0, len(infoLabels))
	for l := range infoLabels {
		names = append(names, regexp.QuoteMeta(l))
	}
	// Longest first, so "发布时间" wins over "时间".
	sort.Slice(names, func(i, j int) bool {
		if len(names[i]) != len(names[j]) {
			return len(names[i]) > len(names[j])
		}
		return names[i] < names[j]
	})
	return regexp.MustCompile(`(?:^|[\s\d\]】)）|｜/·•，,;；:：])(` + strings.Join(names, "|") + `)\s*[:：]`)
}()

// valueEndRe ends a label's value before the next label: a bracket, a
// bar or the wide gap of two spaces (rawSpacedText keeps those).
var valueEndRe = regexp.MustCompile(`[【\[|｜]|  `)

// dateRe finds a date in an info line, with its time if printed;
// clockRe tells whether a date text holds a time.
var (
	dateRe  = regexp.MustCompile(`\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?(?:\s*T?\s*\d{1,2}\s*(?:[:：]\s*\d{2}(?:\s*[:：]\s*\d{2})?|[时点]\s*\d{1,2}\s*分?(?:\s*\d{1,2}\s*秒)?))?`)
	clockRe = regexp.MustCompile(`\d{1,2}\s*[:：时]\s*\d{2}`)
)

// infoField is one labelled value of an info line: raw runs to the next
// label, value stops earlier, at a bracket, a bar or a wide gap.
type infoField struct {
	label      infoLabel
	raw, value string
}

// infoFields reads the labelled values of text (see rawSpacedText).
func infoFields(text string) []infoField {
	if !strings.ContainsAny(text, ":：") {
		return nil // every label ends with a colon
	}
	locs := labelRe.FindAllStringSubmatchIndex(text, -1)
	out := make([]infoField, 0, len(locs))
	for i, loc := range locs {
		end := len(text)
		if i+1 < len(locs) {
			end = locs[i+1][0]
		}
		raw := strings.TrimLeft(text[loc[1]:end], " ")
		value := raw
		if m := valueEndRe.FindStringIndex(value); m != nil {
			value = value[:m[0]]
		}
		out = append(out, infoField{label: infoLabels[text[loc[2]:loc[3]]], raw: raw, value: strings.TrimSpace(value)})
	}
	return out
}

// infoLine is the best info line of a page: the small block (at most
// maxInfoRunes) with the most labels, outside the page's chrome and body
// when it can be, and nearest the body.
type infoLine struct {
	node   *html.Node
	text   string
	fields []infoField
	score  int
}

// maxInfoRunes bounds the text of an info line block.
const maxInfoRunes = 240

// findInfoLine returns the page's info line, nil when no block holds a
// label of a date or an author. Among blocks of equal score the one
// nearest the body wins (before it rather than after); without a known
// body, the one nearest after the headline's element (head, when found),
// else the first.
func findInfoLine(doc *goquery.Document, body, head *html.Node, ix *pageIndex) *infoLine {
	var best *infoLine
	for _, n := range infoBlocks(doc, ix) {
		line := readInfoLine(n, body)
		if line == nil {
			continue
		}
		if best == nil || line.score > best.score || line.score == best.score && nearer(ix, body, head, n, best.node) {
			best = line
		}
	}
	return best
}

// infoBlocks are the largest blocks of at most maxInfoRunes: an element
// that small whose parent holds more. Labels printed in sibling spans
// come together in one block this way.
func infoBlocks(doc *goquery.Document, ix *pageIndex) []*html.Node {
	var out []*html.Node
	for _, n := range doc.Find("body *").Nodes {
		r := ix.runes[n]
		if r == 0 || r > maxInfoRunes {
			continue
		}
		if p := n.Parent; p == nil || ix.runes[p] > maxInfoRunes || p.Data == "body" {
			out = append(out, n)
		}
	}
	return out
}

// readInfoLine reads n as an info line, nil when it has no label of a
// date or an author. The score counts its distinct labels, more for
// dates and authors, less inside the chrome or the body.
func readInfoLine(n, body *html.Node) *infoLine {
	text := rawSpacedText(n)
	fields := infoFields(text)
	score, seen := 0, map[infoLabel]bool{}
	for _, f := range fields {
		if seen[f.label] {
			continue
		}
		seen[f.label] = true
		switch {
		case f.label.kind == labelDate && dateRe.MatchString(f.raw):
			score += 3
		case f.label.kind == labelAuthor && f.value != "":
			score += 2
		case f.label.kind == labelStop:
			score++
		}
	}
	if score > 0 && score < 3 && dateRe.MatchString(text) {
		// A date printed bare beside a count or an author:
		// "2026年12月03日 16:35 点击：128".
		score += 2
	}
	if score < 2 {
		return nil
	}
	if inChrome(n) {
		score -= 3
	}
	if body != nil && within(body, n) {
		score -= 2
	}
	return &infoLine{node: n, text: text, fields: fields, score: score}
}

// nearer reports whether a is nearer than b to where an info line
// belongs: just before the body, else just after the headline's element,
// else early in the page.
func nearer(ix *pageIndex, body, head, a, b *html.Node) bool {
	oa, ob := ix.order[a], ix.order[b]
	switch {
	case body != nil:
		return closer(ix.order[body]-oa, ix.order[body]-ob)
	case head != nil:
		return closer(oa-ix.order[head], ob-ix.order[head])
	}
	return oa < ob
}

// closer compares two signed distances to an anchor, positive on the
// side expected: any expected one beats any other, then the smaller.
func closer(da, db int) bool {
	switch {
	case da >= 0 && db < 0:
		return true
	case da < 0 && db >= 0:
		return false
	case da >= 0:
		return da < db
	}
	return -da < -db
}

// headlineElement is the first element outside the page's chrome whose
// text is the headline, nil when none is (a headline read from <title>).
func headlineElement(doc *goquery.Document, headline string, ix *pageIndex) *html.Node {
	if headline == "" {
		return nil
	}
	want := utf8.RuneCountInString(strings.ReplaceAll(headline, " ", ""))
	for _, n := range doc.Find("body *").Nodes {
		if r := ix.runes[n]; r >= want && r <= want+2*utf8.RuneCountInString(headline) && !inChrome(n) && headingText(n) == headline {
			return n
		}
	}
	return nil
}

// dateCandidate is a printed publication time and how much it says.
type dateCandidate struct {
	text string
	// fallback marks an update time, read only when nothing else is.
	fallback bool
}

// clock reports whether the text holds a time of day.
func (d dateCandidate) clock() bool { return clockRe.MatchString(d.text) }

// pickDate is the first candidate with a time of day, else the first
// with a date, the update times coming after all others.
func pickDate(cands []dateCandidate) string {
	primary := slices.DeleteFunc(slices.Clone(cands), func(d dateCandidate) bool { return d.fallback })
	for _, set := range [][]dateCandidate{primary, cands} {
		for _, d := range set {
			if d.clock() {
				return d.text
			}
		}
		if len(set) > 0 {
			return set[0].text
		}
	}
	return ""
}

// lineDates are the dates of an info line, by label rank, then an
// unlabelled date of the line (one printed bare beside labelled authors
// and counts: "2026年12月03日 16:35 点击：128"), with the headline's text
// taken out first: a headline may hold a date of its own.
func lineDates(line *infoLine, headline string) []dateCandidate {
	if line == nil {
		return nil
	}
	fields := slices.Clone(line.fields)
	slices.SortStableFunc(fields, func(a, b infoField) int { return a.label.rank - b.label.rank })
	var out []dateCandidate
	for _, f := range fields {
		if f.label.kind != labelDate {
			continue
		}
		if d := dateRe.FindString(f.raw); d != "" {
			out = append(out, dateCandidate{text: collapse(d), fallback: f.label.rank == updateRank})
		}
	}
	if len(out) == 0 || out[0].fallback {
		text := line.text
		if headline != "" {
			text = strings.Replace(collapse(text), headline, " ", 1)
		}
		if d := dateRe.FindString(text); d != "" {
			out = slices.Insert(out, 0, dateCandidate{text: collapse(d)})
		}
	}
	return out
}

// maxAuthorRunes bounds an author value read whole; a longer one keeps
// its first word (a template that printed no gap before the next field).
const maxAuthorRunes = 40

// cleanAuthor trims an author value of what is not a name: a date that
// follows it, punctuation, and the placeholders CMSs print for none
// ("未知", "admin", "本站").
func cleanAuthor(v string) string {
	if loc := dateRe.FindStringIndex(v); loc != nil {
		v = v[:loc[0]]
	}
	v = strings.Trim(collapse(v), " :：,，;；。.·|｜-—_()（）[]【】")
	if utf8.RuneCountInString(v) > maxAuthorRunes {
		v, _, _ = strings.Cut(v, " ")
	}
	if placeholderAuthors[strings.ToLower(v)] {
		return ""
	}
	return v
}

// placeholderAuthors are what CMSs print when nobody filled the field.
var placeholderAuthors = map[string]bool{
	"未知": true, "佚名": true, "不详": true, "无": true, "暂无": true, "admin": true, "administrator": true,
	"管理员": true, "系统管理员": true, "超级管理员": true, "本站": true, "本网": true, "本站原创": true, "原创": true,
	"网络": true, "互联网": true, "转载": true, "null": true, "none": true, "": true,
}

// pubDateMetas name the <meta> elements holding the publication time:
// government portals' PubDate (their metadata standard), and the
// OpenGraph, schema.org and Dublin Core ones.
var pubDateMetas = []string{"pubdate", "publishdate", "publish_date", "publication_date", "article:published_time",
	"datepublished", "dc.date.issued", "dcterms.issued", "dc.date"}

// articleDates lists the publication times a page prints, most
// trustworthy first: its CMS's own date element, its info line, its
// metadata, a <time datetime> outside the body.
func articleDates(doc *goquery.Document, body *html.Node, fam *cmsFamily, line *infoLine, headline string) []dateCandidate {
	var out []dateCandidate
	if fam != nil && fam.date != nil {
		for _, n := range doc.FindMatcher(fam.date).Nodes {
			if v := nodeAttr(n, "datetime"); v != "" {
				out = append(out, dateCandidate{text: collapse(v)})
			} else if d := dateRe.FindString(rawSpacedText(n)); d != "" {
				out = append(out, dateCandidate{text: collapse(d)})
			}
		}
	}
	out = append(out, lineDates(line, headline)...)
	for _, name := range pubDateMetas {
		if v := metaContent(doc, name); v != "" && strings.ContainsAny(v, "0123456789") {
			out = append(out, dateCandidate{text: v})
		}
	}
	for _, n := range doc.Find("time[datetime]").Nodes {
		if body == nil || !within(body, n) {
			out = append(out, dateCandidate{text: collapse(nodeAttr(n, "datetime"))})
			break
		}
	}
	return out
}

// authorCandidate is a named author and the rank of its label (see
// infoLabels).
type authorCandidate struct {
	name string
	rank int
}

// articleAuthor is who wrote or sent the article: of the CMS's author
// element, the info line and the ContentSource metadata of government
// portals, the best ranked label with a real value (作者 before 来源 and
// 供稿, before 发布者, before 编辑).
func articleAuthor(doc *goquery.Document, fam *cmsFamily, line *infoLine) string {
	var cands []authorCandidate
	if fam != nil && fam.author != nil {
		for _, n := range doc.FindMatcher(fam.author).Nodes {
			text := rawSpacedText(n)
			if fields := infoFields(text); len(fields) > 0 {
				cands = append(cands, authorFields(fields)...)
			} else if v := cleanAuthor(text); v != "" {
				cands = append(cands, authorCandidate{name: v})
			}
		}
	}
	if line != nil {
		cands = append(cands, authorFields(line.fields)...)
	}
	if v := cleanAuthor(metaContent(doc, "contentsource")); v != "" {
		cands = append(cands, authorCandidate{name: v, rank: 1})
	}
	if len(cands) == 0 {
		return ""
	}
	return slices.MinFunc(cands, func(a, b authorCandidate) int { return a.rank - b.rank }).name
}

// authorFields are the authors among fields, with their ranks.
func authorFields(fields []infoField) []authorCandidate {
	var out []authorCandidate
	for _, f := range fields {
		if f.label.kind != labelAuthor {
			continue
		}
		if v := cleanAuthor(f.value); v != "" {
			out = append(out, authorCandidate{name: v, rank: f.label.rank})
		}
	}
	return out
}
