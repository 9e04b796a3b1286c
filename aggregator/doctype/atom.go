package doctype

import (
	"bytes"
	"encoding/xml"
	"maps"
	"slices"
	"strings"
)

// Atom namespaces: RFC 4287 and the pre-standard Atom 0.3 some CMSs still
// emit.
const (
	atomNS   = "http://www.w3.org/2005/Atom"
	atom03NS = "http://purl.org/atom/ns#"
)

// EmbeddedAtom finds an Atom <feed> below the root of b (an XHTML page
// carrying its feed inline) and returns it as a standalone document, with
// b's XML declaration (so its encoding still holds) and the namespace
// prefixes the feed used from its ancestors declared on it. A body whose
// root is the feed, or that holds none, gives false.
func EmbeddedAtom(b []byte) ([]byte, bool) {
	if !bytes.Contains(b, []byte("feed")) {
		return nil, false
	}
	d := xml.NewDecoder(bytes.NewReader(b))
	d.Strict = false
	d.Entity = xml.HTMLEntity
	inherited := map[string]string{} // prefix ("" for the default) → namespace
	for depth := 0; ; {
		start := d.InputOffset()
		tok, err := d.RawToken()
		if err != nil {
			return nil, false
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if t.Name.Local == "feed" && depth > 0 && isAtomNS(feedNamespace(t, inherited)) {
				return cutFeed(b, d, t, int(start), inherited)
			}
			for _, a := range t.Attr {
				if p, ok := nsDecl(a); ok {
					inherited[p] = a.Value
				}
			}
			depth++
		case xml.EndElement:
			depth--
		}
	}
}

// cutFeed reads the rest of the feed element that starts at offset start
// and builds the standalone document.
func cutFeed(b []byte, d *xml.Decoder, se xml.StartElement, start int, inherited map[string]string) ([]byte, bool) {
	tagEnd := int(d.InputOffset())
	for depth := 1; depth > 0; {
		tok, err := d.RawToken()
		if err != nil {
			return nil, false
		}
		switch tok.(type) {
		case xml.StartElement:
			depth++
		case xml.EndElement:
			depth--
		}
	}
	end := int(d.InputOffset())
	name := "<" + rawName(se.Name)
	if !bytes.HasPrefix(b[start:], []byte(name)) {
		return nil, false
	}
	var out bytes.Buffer
	out.Grow(end - start + 128)
	out.Write(xmlDeclaration(b))
	out.WriteString(name)
	out.WriteString(missingDecls(se, inherited))
	out.Write(b[start+len(name) : tagEnd])
	out.Write(b[tagEnd:end])
	return out.Bytes(), true
}

// feedNamespace is the namespace of a raw (unresolved) start element.
func feedNamespace(se xml.StartElement, inherited map[string]string) string {
	for _, a := range se.Attr {
		if p, ok := nsDecl(a); ok && p == se.Name.Space {
			return a.Value
		}
	}
	return inherited[se.Name.Space]
}

func isAtomNS(ns string) bool { return ns == atomNS || ns == atom03NS }

// nsDecl reports whether a raw attribute declares a namespace, and for
// which prefix ("" for the default namespace).
func nsDecl(a xml.Attr) (string, bool) {
	switch {
	case a.Name.Space == "" && a.Name.Local == "xmlns":
		return "", true
	case a.Name.Space == "xmlns":
		return a.Name.Local, true
	}
	return "", false
}

// missingDecls declares on the feed the prefixes it inherited from the
// page, and the Atom namespace itself when the feed relied on an
// ancestor's default namespace.
func missingDecls(se xml.StartElement, inherited map[string]string) string {
	own := map[string]bool{}
	for _, a := range se.Attr {
		if p, ok := nsDecl(a); ok {
			own[p] = true
		}
	}
	var sb strings.Builder
	for _, p := range slices.Sorted(maps.Keys(inherited)) {
		ns := inherited[p]
		if own[p] || (p == "" && !isAtomNS(ns)) {
			continue
		}
		if p == "" {
			sb.WriteString(` xmlns="`)
		} else {
			sb.WriteString(" xmlns:" + p + `="`)
		}
		xml.EscapeText(&sb, []byte(ns))
		sb.WriteString(`"`)
	}
	return sb.String()
}

func rawName(n xml.Name) string {
	if n.Space == "" {
		return n.Local
	}
	return n.Space + ":" + n.Local
}

// xmlDeclaration returns b's own XML declaration, so that its encoding
// still describes the bytes, or a UTF-8 one.
func xmlDeclaration(b []byte) []byte {
	t := bytes.TrimLeft(b, " \t\r\n")
	if bytes.HasPrefix(t, []byte("<?xml")) {
		if end := bytes.Index(t[:min(len(t), 512)], []byte("?>")); end > 0 {
			return append(append([]byte(nil), t[:end+2]...), '\n')
		}
	}
	return []byte("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n")
}
