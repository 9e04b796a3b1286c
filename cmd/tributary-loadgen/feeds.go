package main

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
)

// ItemsPerFeed is how many items every synthetic feed carries.
const ItemsPerFeed = 20

// Words the synthetic text is made of: Chinese and English, as on a
// regional portal.
var (
	zhWords = strings.Fields("学院 新闻 通知 公告 学术 讲座 研究生 招生 科研 成果 国际 交流 会议 举行 召开 活动 学生 教师 " +
		"图书馆 开放 时间 调整 关于 举办 第十届 创新 创业 大赛 实验室 建设 项目 获批 国家 自然 科学 基金 校园 文化 艺术节")
	enWords = strings.Fields("university faculty research students announce annual conference seminar lecture " +
		"award grant laboratory library opening hours campus international exchange program graduate admission " +
		"science engineering innovation report published journal")
)

// feedBody renders feed i at content version v: RSS 2.0 for even i, Atom
// for odd i, 20 items of mixed Chinese and English, about 10–30 KB. The
// same (i, v) always gives the same bytes; a new v shifts the item window
// so v new items appear at the top.
func feedBody(i, v int) []byte {
	r := rand.New(rand.NewPCG(uint64(i), 0x7472696275746172))
	// Per-feed paragraph count spreads sizes over roughly 10–30 KB.
	paras := 1 + r.IntN(3)
	var b strings.Builder
	b.Grow(32 << 10)
	base := time.Date(2026, 11, 1, 8, 0, 0, 0, time.UTC)
	if i%2 == 0 {
		rssHead(&b, i)
	} else {
		atomHead(&b, i, base.Add(time.Duration(v)*time.Hour))
	}
	for k := v + ItemsPerFeed - 1; k >= v; k-- {
		ir := rand.New(rand.NewPCG(uint64(i), uint64(k)))
		title := sentence(ir, 4+ir.IntN(6))
		desc := paragraphs(ir, paras)
		link := fmt.Sprintf("https://site%d.example.edu.cn/news/%d.html", i, k)
		pub := base.Add(time.Duration(k) * time.Hour)
		if i%2 == 0 {
			fmt.Fprintf(&b, "<item><title>%s</title><link>%s</link><guid>%s</guid><pubDate>%s</pubDate>"+
				"<description><![CDATA[%s]]></description><category>%s</category></item>\n",
				title, link, link, pub.Format(time.RFC1123Z), desc, zhWords[k%len(zhWords)])
		} else {
			fmt.Fprintf(&b, "<entry><title>%s</title><link href=\"%s\"/><id>%s</id><updated>%s</updated>"+
				"<content type=\"html\"><![CDATA[%s]]></content></entry>\n",
				title, link, link, pub.Format(time.RFC3339), desc)
		}
	}
	if i%2 == 0 {
		b.WriteString("</channel></rss>\n")
	} else {
		b.WriteString("</feed>\n")
	}
	return []byte(b.String())
}

func rssHead(b *strings.Builder, i int) {
	fmt.Fprintf(b, `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>成员单位 %d Member %d</title><link>https://site%d.example.edu.cn/</link>
<description>合成测试源 synthetic source</description><language>zh-CN</language>
`, i, i, i)
}

func atomHead(b *strings.Builder, i int, updated time.Time) {
	fmt.Fprintf(b, `<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="zh-CN"><title>成员单位 %d Member %d</title>
<link href="https://site%d.example.edu.cn/"/><id>urn:tributary:loadgen:%d</id><updated>%s</updated>
`, i, i, i, i, updated.Format(time.RFC3339))
}

// sentence mixes Chinese and English words.
func sentence(r *rand.Rand, n int) string {
	var b strings.Builder
	for j := range n {
		if r.IntN(3) == 0 {
			if j > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(enWords[r.IntN(len(enWords))])
			b.WriteByte(' ')
		} else {
			b.WriteString(zhWords[r.IntN(len(zhWords))])
		}
	}
	return strings.TrimSpace(b.String())
}

func paragraphs(r *rand.Rand, n int) string {
	var b strings.Builder
	for range n {
		b.WriteString("<p>")
		b.WriteString(sentence(r, 25+r.IntN(25)))
		b.WriteString("。</p>")
	}
	if r.IntN(2) == 0 {
		fmt.Fprintf(&b, `<p><img src="/img/%d.jpg" alt="图片"></p>`, r.IntN(1000))
	}
	return b.String()
}
