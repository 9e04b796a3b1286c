package xsstest

import (
	"html"
	"strings"
	"testing"
)

func TestAdapt(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"call in attribute", `<IMG SRC=/ onerror="alert(String.fromCharCode(88,83,83))"></img>`, `<IMG SRC=/ onerror="S"></img>`},
		{"two calls", `<a onclick=alert(1)>x</a><b onclick="ALERT ('x')">`, `<a onclick=S>x</a><b onclick="S">`},
		{"unbalanced call kept", `<IMG SRC="` + "`<javascript:alert>`" + `('XSS')"`, `<IMG SRC="` + "`<javascript:alert>`" + `('XSS')"`},
		{"third-party script", `<SCRIPT SRC=http://xss.rocks/xss.js?< B >`, `<SCRIPT SRC=R< B >`},
		{"protocol-relative", `<SCRIPT SRC=//xss.rocks/.j>`, `<SCRIPT SRC=R>`},
		{"decimal references", `<IMG SRC=&#106;&#58;&#97;&#108;&#101;&#114;&#116;&#40;&#49;&#41;>`, `<IMG SRC=&#106;&#58;&#83;>`},
		{"padded references", `x="&#0000097&#0000108&#0000101&#0000114&#0000116&#0000040&#0000041"`, `x="&#0000083"`},
		{"mixed references", `<a href="&#x6A;&#0000058&#0000097lert('XSS')">`, `<a href="&#x6A;&#x3A;&#x53;">`},
		{"references without a call", `<IMG SRC="jav&#x09;ascript:alert(1)">`, `<IMG SRC="jav&#x09;ascript:S">`},
		{"base64", `<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">`, `<a href="data:text/html;base64,PHNjcmlwdD5TPC9zY3JpcHQ+">`},
		{"vbscript left alone", `<a href="VBScript:msgbox(1)">vb</a>`, `<a href="VBScript:msgbox(1)">vb</a>`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Adapt(tt.in, "S", "R"); got != tt.want {
				t.Errorf("Adapt(%q)\n got %q\nwant %q", tt.in, got, tt.want)
			}
		})
	}
}

// Every vector of the corpus that names alert or a third-party host comes
// out adapted: no alert call is left where the browser would decode it.
func TestAdapt_corpus(t *testing.T) {
	adapted := 0
	for i, v := range Vectors() {
		out := Adapt(v, "S", "R")
		decoded := html.UnescapeString(out)
		if alertCall.MatchString(decoded) && closeParen(decoded, alertCall.FindStringIndex(decoded)[1]) > 0 {
			t.Errorf("vector %d %q: an alert call survived in %q", i+1, v, out)
		}
		if externalURL.MatchString(out) {
			t.Errorf("vector %d %q: a third-party URL survived in %q", i+1, v, out)
		}
		if out != v {
			adapted++
		}
	}
	if adapted < 80 {
		t.Errorf("%d vectors adapted, want at least 80 of %d", adapted, len(Vectors()))
	}
}

func TestScript(t *testing.T) {
	s := Script("http://127.0.0.1:1/exec/a.b.1")
	if strings.ContainsAny(s, "'\"` <>%&\t\n") {
		t.Errorf("Script has a character that would end its context: %s", s)
	}
	// "h" "t" ... as char codes, never as a string literal.
	if !strings.Contains(s, "String.fromCharCode(104,116,116,112,58,47,47,") || strings.Contains(s, "127.0.0.1") {
		t.Errorf("Script does not build the canary URL from char codes: %s", s)
	}
}
