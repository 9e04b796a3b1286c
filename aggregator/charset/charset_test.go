package charset

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
	"golang.org/x/text/encoding/unicode"
)

func encode(t testing.TB, enc encoding.Encoding, s string) string {
	t.Helper()
	out, err := enc.NewEncoder().String(s)
	if err != nil {
		t.Fatalf("encode %q: %v", s, err)
	}
	return out
}

func TestToUTF8(t *testing.T) {
	gbk := func(s string) string { return encode(t, simplifiedchinese.GBK, s) }
	utf16 := func(e unicode.Endianness, s string) string {
		return encode(t, unicode.UTF16(e, unicode.UseBOM), s)
	}
	const rss = `<rss><channel><title>新闻 学院</title></channel></rss>`
	tests := []struct {
		name        string
		body        string
		contentType string
		want        string
		wantCharset string
	}{
		{"empty", "", "", "", "utf-8"},
		{"utf-8 undeclared", rss, "", rss, "utf-8"},
		{"utf-8 bom stripped", bomUTF8 + `<?xml version="1.0" encoding="UTF-8"?>` + rss, "", `<?xml version="1.0" encoding="UTF-8"?>` + rss, "utf-8"},
		{"utf-16le bom", utf16(unicode.LittleEndian, `<?xml version="1.0" encoding="UTF-16"?>`+rss), "text/xml; charset=gbk", `<?xml version="1.0" encoding="utf-8"?>` + rss, "utf-16le"},
		{"utf-16be bom", utf16(unicode.BigEndian, `<?xml version="1.0"?>`+rss), "", `<?xml version="1.0"?>` + rss, "utf-16be"},
		{"gbk declared", gbk(`<?xml version="1.0" encoding="gbk"?>` + rss), "", `<?xml version="1.0" encoding="utf-8"?>` + rss, "gbk"},
		{"declaration beats header", gbk(`<?xml version="1.0" encoding="GB2312"?>` + rss), "text/xml; charset=utf-8", `<?xml version="1.0" encoding="utf-8"?>` + rss, "gb2312"},
		{"single quotes, upper case, leading space", gbk("\n <?XML version='1.0' Encoding = 'GBK' standalone='yes'?>" + rss), "", "\n <?XML version='1.0' Encoding = 'utf-8' standalone='yes'?>" + rss, "gbk"},
		{"header charset", gbk(rss), "application/xml; charset=GBK", rss, "gbk"},
		{"quoted header charset", gbk(rss), `text/xml; charset="gb2312"`, rss, "gb2312"},
		{"unknown declared label falls to header", gbk(`<?xml version="1.0" encoding="x-klingon"?>` + rss), "text/xml; charset=gbk", `<?xml version="1.0" encoding="utf-8"?>` + rss, "gbk"},
		{"replacement label ignored", `<?xml version="1.0" encoding="hz-gb-2312"?>` + rss, "", `<?xml version="1.0" encoding="utf-8"?>` + rss, "utf-8"},
		{"utf-16 declared without bom ignored", `<?xml version="1.0" encoding="utf-16"?>` + rss, "", `<?xml version="1.0" encoding="utf-8"?>` + rss, "utf-8"},
		{"utf8 alias rewritten", `<?xml version="1.0" encoding="UTF8"?>` + rss, "", `<?xml version="1.0" encoding="utf-8"?>` + rss, "utf8"},
		{"gbk sniffed", gbk(rss), "text/xml", rss, "gb18030"},
		{"false utf-8 declaration", gbk(`<?xml version="1.0" encoding="utf-8"?>` + rss), "text/xml; charset=utf-8", `<?xml version="1.0" encoding="utf-8"?>` + rss, "gb18030"},
		{"utf-8 cut mid-character", strings.Repeat(rss, 5) + "\xe5\xad", "", strings.Repeat(rss, 5), "utf-8"},
		{"declared utf-8 cut mid-character", `<?xml version="1.0" encoding="utf-8"?>` + strings.Repeat(rss, 5) + "\xe5\xad", "", `<?xml version="1.0" encoding="utf-8"?>` + strings.Repeat(rss, 5), "utf-8"},
		{"latin-1 header on utf-8", rss, "text/xml; charset=ISO-8859-1", rss, "utf-8"},
		{"real latin-1", "<title>caf\xe9</title>", "text/xml; charset=ISO-8859-1", "<title>café</title>", "iso-8859-1"},
		{"big5 declared", encode(t, traditionalBig5(), `<?xml version="1.0" encoding="big5"?><title>資訊 新聞</title>`), "", `<?xml version="1.0" encoding="utf-8"?><title>資訊 新聞</title>`, "big5"},
		{"json with header charset", gbk(`{"title":"资讯"}`), "application/feed+json; charset=gbk", `{"title":"资讯"}`, "gbk"},
		{"json utf-8", `{"title":"资讯"}`, "application/feed+json", `{"title":"资讯"}`, "utf-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := []byte(tt.body)
			orig := bytes.Clone(in)
			out, charset, err := ToUTF8(in, tt.contentType)
			if err != nil {
				t.Fatal(err)
			}
			if string(out) != tt.want {
				t.Errorf("out = %q\nwant  %q", out, tt.want)
			}
			if charset != tt.wantCharset {
				t.Errorf("charset = %q, want %q", charset, tt.wantCharset)
			}
			if !bytes.Equal(in, orig) {
				t.Error("ToUTF8 modified its input")
			}
		})
	}
}

// A valid UTF-8 body with nothing to rewrite is returned without a copy.
func TestToUTF8_noCopy(t *testing.T) {
	in := []byte(`<?xml version="1.0" encoding="utf-8"?><rss/>`)
	out, _, err := ToUTF8(in, "")
	if err != nil || &out[0] != &in[0] {
		t.Errorf("ToUTF8 copied a clean UTF-8 body (err %v)", err)
	}
}

func BenchmarkToUTF8(b *testing.B) {
	item := `<item><title>学院新闻：成员单位资讯汇总</title><link>https://example.edu.cn/a/1</link>` +
		`<description>这是一条用于基准测试的中文新闻摘要，包含常用汉字。</description></item>` + "\n"
	var sb strings.Builder
	sb.WriteString(`<?xml version="1.0" encoding="gbk"?><rss version="2.0"><channel><title>新闻</title>`)
	for sb.Len() < 100<<10 {
		sb.WriteString(item)
	}
	sb.WriteString(`</channel></rss>`)
	body := []byte(encode(b, simplifiedchinese.GBK, sb.String()))
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := ToUTF8(body, "text/xml"); err != nil {
			b.Fatal(err)
		}
	}
}

func FuzzToUTF8(f *testing.F) {
	f.Add([]byte(`<?xml version="1.0" encoding="gbk"?><rss/>`), "text/xml")
	f.Add([]byte("\xff\xfe<\x00?\x00"), "")
	f.Add([]byte("\xd0\xc2\xce\xc5"), "text/xml; charset=big5")
	f.Add([]byte(`{"a":"\xe5\xad"}`), "application/json")
	f.Fuzz(func(t *testing.T, body []byte, contentType string) {
		out, _, err := ToUTF8(body, contentType)
		if err != nil {
			return
		}
		if !utf8.Valid(out) {
			t.Fatalf("output is not UTF-8: %q", out)
		}
		if enc := declaredEncoding(out); enc != "" && !strings.EqualFold(enc, "utf-8") {
			t.Fatalf("declaration still says %q: %q", enc, out)
		}
	})
}

func traditionalBig5() encoding.Encoding { return traditionalchinese.Big5 }
