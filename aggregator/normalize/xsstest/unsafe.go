package xsstest

import (
	"strings"

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

// UnsafeHTML returns what in the HTML fragment s could run script, load or
// restyle anything, or submit data; "" when nothing does. It reads s token
// by token, as a browser would, so an evasion in any case or encoding is
// seen as what it is.
func UnsafeHTML(s string) string {
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

// FindMarkup returns the first tag, comment or doctype in s read as HTML, ""
// when s is plain text (text that would show the same in any HTML context
// once escaped, and that a reader treating it as HTML would not run).
func FindMarkup(s string) string {
	z := html.NewTokenizer(strings.NewReader(s))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return ""
		case html.TextToken:
			continue
		default:
			return string(z.Raw())
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
		return unsafeURL(elem, key, a.Val)
	}
	return ""
}

// unsafeURL reports a URL attribute that is not web or mail.
func unsafeURL(elem, key, val string) string {
	v := normalizeScheme(val)
	for _, scheme := range []string{"javascript:", "vbscript:", "data:", "livescript:", "mocha:"} {
		if strings.HasPrefix(v, scheme) {
			return "URL " + val + " in <" + elem + " " + key + "> survived"
		}
	}
	if !strings.HasPrefix(v, "http://") && !strings.HasPrefix(v, "https://") && !strings.HasPrefix(v, "mailto:") && v != "" {
		return "non-web URL " + val + " in " + key + " survived"
	}
	return ""
}

// UnsafeURL reports a link (an entry's or a source's) that a reader could
// not follow safely: anything but an absolute http(s) URL, judged the way
// browsers read schemes (case and control characters ignored).
func UnsafeURL(u string) string {
	v := normalizeScheme(u)
	if v == "" || strings.HasPrefix(v, "http://") || strings.HasPrefix(v, "https://") {
		return ""
	}
	return "link " + u + " is not http(s)"
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
