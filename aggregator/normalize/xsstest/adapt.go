package xsstest

import (
	"encoding/base64"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Marker names the effects Script has on a page, for detectors.
const (
	// MarkerElement is the tag name of the element Script appends.
	MarkerElement = "xss-marker"
	// MarkerTitle is the document title Script sets.
	MarkerTitle = "PWNED"
)

// Script returns JavaScript that, if it ever runs, requests execURL (an
// image load, which a page's img-src policy is the most likely to let
// through), retitles the document MarkerTitle and appends a MarkerElement.
//
// It holds no quotes, spaces, '<', '>', '%' or '&', so it keeps its meaning
// in place of alert(...) in quoted and unquoted attributes, javascript: URLs
// and script elements alike; it is one parenthesized expression so that it
// is valid after an operator, and it evaluates to undefined so that a
// javascript: URL does not replace the page with its value.
func Script(execURL string) string {
	codes := make([]string, 0, len(execURL))
	for _, r := range execURL {
		codes = append(codes, strconv.Itoa(int(r)))
	}
	return "(document.createElement(/img/.source).src=String.fromCharCode(" + strings.Join(codes, ",") + ")," +
		"document.title=/" + MarkerTitle + "/.source," +
		"document.documentElement.appendChild(document.createElement(/" + MarkerElement + "/.source))," +
		"undefined)"
}

// externalURL matches the third-party hosts the corpus loads scripts,
// styles and documents from (some written with an obfuscated scheme or none).
var externalURL = regexp.MustCompile(`(?i)(?:https?:|httx:)?//(?:xss\.rocks|cdn\.jsdelivr\.net|66\.102\.7\.147|evil\.example)[^\s"'<>()]*`)

// alertCall is the start of the call every vector uses as its proof.
var alertCall = regexp.MustCompile(`(?i)\balert\s*\(`)

// numRef is an HTML numeric character reference, with or without ';'.
var numRef = regexp.MustCompile(`&#([xX][0-9a-fA-F]+|[0-9]+);?`)

// base64Data is the payload of a base64 data: URL (the corpus puts spaces
// in one).
var base64Data = regexp.MustCompile(`(?i)base64,([A-Za-z0-9+/= ]+)`)

// Adapt rewrites a vector so that its execution is observable: every
// alert(...) call becomes script, also where the call is hidden in numeric
// character references or a base64 data: URL (re-encoded the same way), and
// every third-party URL becomes resourceURL, which a test serves and
// watches. What is not JavaScript (VBScript, CSS expressions) is left as
// written: no browser the tests use runs it anyway.
func Adapt(vector, script, resourceURL string) string {
	s := externalURL.ReplaceAllLiteralString(vector, resourceURL)
	s = adaptBase64(s, script)
	s = adaptEncoded(s, script)
	return replaceCalls(s, script)
}

// replaceCalls replaces every alert(...) call whose parentheses balance.
func replaceCalls(s, script string) string {
	var b strings.Builder
	for {
		loc := alertCall.FindStringIndex(s)
		if loc == nil {
			break
		}
		end := closeParen(s, loc[1])
		if end < 0 {
			break
		}
		b.WriteString(s[:loc[0]])
		b.WriteString(script)
		s = s[end:]
	}
	b.WriteString(s)
	return b.String()
}

// closeParen returns the index after the ')' closing the '(' just before
// from, or -1.
func closeParen(s string, from int) int {
	depth := 1
	for i := from; i < len(s); i++ {
		switch s[i] {
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 {
				return i + 1
			}
		}
	}
	return -1
}

func adaptBase64(s, script string) string {
	return base64Data.ReplaceAllStringFunc(s, func(m string) string {
		prefix, data := m[:len("base64,")], m[len("base64,"):]
		raw, err := base64.StdEncoding.DecodeString(strings.ReplaceAll(data, " ", ""))
		if err != nil || !alertCall.Match(raw) {
			return m
		}
		return prefix + base64.StdEncoding.EncodeToString([]byte(replaceCalls(string(raw), script)))
	})
}

// adaptEncoded handles an alert call written (in part) as numeric character
// references: the stretch from the first reference to the end of the call
// is decoded, adapted and written again, every character a reference in the
// style of the first one (hex or decimal, zero-padded or not, ';' or not).
func adaptEncoded(s, script string) string {
	first := numRef.FindStringSubmatchIndex(s)
	if first == nil || alertCall.MatchString(s[first[0]:]) {
		return s
	}
	decoded, rawEnd := decodeRefs(s[first[0]:])
	loc := alertCall.FindStringIndex(decoded)
	if loc == nil {
		return s
	}
	end := closeParen(decoded, loc[1])
	if end < 0 {
		return s
	}
	style := s[first[0]:first[1]]
	encoded := encodeRefs(replaceCalls(decoded[:end], script), style)
	return s[:first[0]] + encoded + s[first[0]+rawEnd[end-1]:]
}

// decodeRefs decodes the numeric references of s; rawEnd[i] is the offset
// in s just after what produced byte i of the result.
func decodeRefs(s string) (string, []int) {
	var b strings.Builder
	var rawEnd []int
	for i := 0; i < len(s); {
		if m := numRef.FindStringSubmatchIndex(s[i:]); m != nil && m[0] == 0 {
			digits := s[i+m[2] : i+m[3]]
			var n int64
			var err error
			if digits[0] == 'x' || digits[0] == 'X' {
				n, err = strconv.ParseInt(digits[1:], 16, 32)
			} else {
				n, err = strconv.ParseInt(digits, 10, 32)
			}
			if err == nil {
				var buf [utf8.UTFMax]byte
				size := utf8.EncodeRune(buf[:], rune(n))
				b.Write(buf[:size])
				for range size {
					rawEnd = append(rawEnd, i+m[1])
				}
				i += m[1]
				continue
			}
		}
		b.WriteByte(s[i])
		rawEnd = append(rawEnd, i+1)
		i++
	}
	return b.String(), rawEnd
}

// encodeRefs writes every character of s as a reference shaped like style
// (one reference, e.g. "&#0000106", "&#x6A;", "&#106;").
func encodeRefs(s, style string) string {
	digits := strings.TrimSuffix(strings.TrimPrefix(style, "&#"), ";")
	semi := strings.HasSuffix(style, ";")
	hex := strings.HasPrefix(digits, "x") || strings.HasPrefix(digits, "X")
	width := 0
	if strings.HasPrefix(strings.TrimLeft(digits, "xX"), "0") {
		width = len(strings.TrimLeft(digits, "xX"))
	}
	var b strings.Builder
	for _, r := range s {
		if hex {
			fmt.Fprintf(&b, "&#x%0*X", width, r)
		} else {
			fmt.Fprintf(&b, "&#%0*d", width, r)
		}
		if semi {
			b.WriteByte(';')
		}
	}
	return b.String()
}
