package normalize

import (
	"bufio"
	"os"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// forbiddenElements may never reach a reader: they run script, load
// documents or plugins, restyle the page, or submit data.
var forbiddenElements = map[string]bool{
	"script": true, "style": true, "iframe": true, "frame": true, "frameset": true,
	"form": true, "input": true, "button": true, "textarea": true, "select": true, "isindex": true,
	"object": true, "embed": true, "applet": true, "svg": true, "math": true,
	"base": true, "link": true, "meta": true, "xml": true, "bgsound": true,
	"video": true, "audio": true, "source": true, "marquee": true, "body": true, "html": true,
}

// urlAttributes carry URLs a browser may follow or load.
var urlAttributes = map[string]bool{
	"href": true, "src": true, "action": true, "formaction": true, "background": true,
	"dynsrc": true, "lowsrc": true, "cite": true, "data": true, "poster": true, "xlink:href": true,
}

// TestNormalizer_SanitizeHTML_OWASP feeds every payload of the fixture
// through the sanitizer and checks the result token by token, so an
// evasion that slips past in any case or encoding is caught.
func TestNormalizer_SanitizeHTML_OWASP(t *testing.T) {
	f, err := os.Open("testdata/xss-owasp.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	n := New(Options{})
	sc := bufio.NewScanner(f)
	count := 0
	for sc.Scan() {
		payload := sc.Text()
		if payload == "" || strings.HasPrefix(payload, "#") {
			continue
		}
		count++
		for _, wrap := range []string{"%s", "<p>before</p>%s<p>after</p>"} {
			out := n.SanitizeHTML(strings.Replace(wrap, "%s", payload, 1), "https://news.example.edu.cn/a/1.htm")
			if problem := unsafeHTML(out); problem != "" {
				t.Errorf("payload %d %q\n  gave %q\n  %s", count, payload, out, problem)
			}
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if count < 80 {
		t.Fatalf("fixture has %d payloads, want at least 80", count)
	}
}

// unsafeHTML returns what is unsafe in s, "" when nothing is.
func unsafeHTML(s string) string {
	z := html.NewTokenizer(strings.NewReader(s))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return ""
		case html.StartTagToken, html.SelfClosingTagToken, html.EndTagToken:
			tok := z.Token()
			if forbiddenElements[strings.ToLower(tok.Data)] {
				return "element <" + tok.Data + "> survived"
			}
			for _, a := range tok.Attr {
				if p := unsafeAttr(tok.Data, a); p != "" {
					return p
				}
			}
		}
	}
}

func unsafeAttr(elem string, a html.Attribute) string {
	key := strings.ToLower(a.Key)
	if a.Namespace != "" {
		key = strings.ToLower(a.Namespace) + ":" + key
	}
	switch {
	case strings.HasPrefix(key, "on"):
		return "event handler " + key + " survived"
	case key == "style" || key == "class" || key == "srcdoc":
		return "attribute " + key + " survived"
	case urlAttributes[key]:
		v := normalizeScheme(a.Val)
		for _, scheme := range []string{"javascript:", "vbscript:", "data:", "livescript:", "mocha:"} {
			if strings.HasPrefix(v, scheme) && !(scheme == "data:" && elem == "img" && strings.HasPrefix(v, "data:image/") && !strings.HasPrefix(v, "data:image/svg")) {
				return "URL " + a.Val + " in " + key + " survived"
			}
		}
		if !strings.HasPrefix(v, "http://") && !strings.HasPrefix(v, "https://") && !strings.HasPrefix(v, "mailto:") && v != "" {
			return "non-web URL " + a.Val + " in " + key + " survived"
		}
	}
	return ""
}

// normalizeScheme lower-cases a URL and drops what browsers ignore in a
// scheme (control characters and whitespace), as an attacker hopes.
func normalizeScheme(v string) string {
	var b strings.Builder
	for _, r := range v {
		if r <= 0x20 || r == 0x7f {
			continue
		}
		b.WriteRune(r)
	}
	return strings.ToLower(b.String())
}

// TestUnsafeHTML proves the checker above catches what it must.
func TestUnsafeHTML(t *testing.T) {
	tests := []struct {
		in     string
		unsafe bool
	}{
		{`<p>ok <a href="https://e.example/" rel="nofollow noopener">x</a><img src="https://e.example/i.png"/></p>`, false},
		{`<SCRIPT>alert(1)</SCRIPT>`, true},
		{`<a href="JaVa&#x09;script:alert(1)">x</a>`, true},
		{`<a href="vbscript:msgbox(1)">x</a>`, true},
		{`<img src="data:text/html,x">`, true},
		{`<img src="data:image/svg+xml;base64,AAAA">`, true},
		{`<p onclick="x()">x</p>`, true},
		{`<p style="x">x</p>`, true},
		{`<svg></svg>`, true},
		{`<object data="x"></object>`, true},
	}
	for _, tt := range tests {
		if got := unsafeHTML(tt.in) != ""; got != tt.unsafe {
			t.Errorf("unsafeHTML(%q) unsafe = %v, want %v", tt.in, got, tt.unsafe)
		}
	}
}
