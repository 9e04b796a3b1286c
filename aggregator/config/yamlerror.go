package config

import (
	"bytes"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

var (
	// yamlLine splits yaml.v3's "yaml: line N: msg" so the line can be put
	// in our own "path:line:" form.
	yamlLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)
	// unknownAnchor is reported by yaml.v3 without a line.
	unknownAnchor = regexp.MustCompile(`^unknown anchor '(.*)' referenced$`)
)

// addYAMLError reports a yaml.v3 error at the line it concerns. yaml.v3
// leaves the line out in three cases, each recovered here: errors on the
// first line (it counts lines from 0 and prints none for 0), bad bytes found
// by its reader, and unknown anchors.
//
// yaml.v3's messages name what it expected, not the text it read, except
// an unknown anchor's name: that is cut like any quoted value (excerpt).
func addYAMLError(probs *problemList, data []byte, err error) {
	msg := err.Error()
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1])
		probs.add(problemLine(data, line, m[2]), "%s", clip(m[2], maxMessage))
		return
	}
	msg = strings.TrimPrefix(msg, "yaml: ")
	line := 1
	if m := unknownAnchor.FindStringSubmatch(msg); m != nil {
		line = lineOf(data, bytes.Index(data, []byte("*"+m[1])))
		msg = "unknown anchor '" + excerpt(m[1]) + "' referenced"
	} else if isReaderError(msg) {
		line = lineOf(data, firstBadChar(data))
	}
	probs.add(line, "%s", clip(msg, maxMessage))
}

// maxQuoted is the most of a value a message quotes, and maxMessage the
// longest message taken from a parser. A config problem points at a line;
// it never needs to print a file back, and a file named by mistake (an
// include of /etc/shadow, a key) must not end up in a terminal or a log.
const (
	maxQuoted  = 60
	maxMessage = 200
)

// excerpt is the first line of s cut to maxQuoted runes, "…" marking what
// was left out.
func excerpt(s string) string {
	first, _, multiline := strings.Cut(s, "\n")
	if cut := clip(first, maxQuoted); multiline || cut != first {
		return strings.TrimSuffix(cut, "…") + "…"
	}
	return s
}

// clip cuts s to at most n runes, "…" marking a cut.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	runes := []rune(s)
	return string(runes[:n]) + "…"
}

// describeShape names what a document holds without quoting any of it,
// for a file that is not what was expected: its content may be anything.
func describeShape(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		return "plain text"
	default:
		return "an unsupported YAML value"
	}
}

func isReaderError(msg string) bool {
	return strings.Contains(msg, "control characters") ||
		strings.Contains(msg, "UTF-8") ||
		strings.Contains(msg, "Unicode character")
}

// lineOf returns the 1-based line of byte offset off (line 1 for -1).
func lineOf(data []byte, off int) int {
	if off < 0 {
		return 1
	}
	return bytes.Count(data[:off], []byte("\n")) + 1
}

// firstBadChar returns the offset of the first byte sequence YAML 1.2
// (section 5.1) does not allow in a stream, or -1.
func firstBadChar(data []byte) int {
	for off := 0; off < len(data); {
		r, size := utf8.DecodeRune(data[off:])
		if (r == utf8.RuneError && size == 1) || !printable(r) {
			return off
		}
		off += size
	}
	return -1
}

func printable(r rune) bool {
	switch {
	case r == '\t' || r == '\n' || r == '\r' || r == 0x85:
		return true
	case r >= 0x20 && r <= 0x7e:
		return true
	case r >= 0xa0 && r <= 0xd7ff, r >= 0xe000 && r <= 0xfffd, r >= 0x10000:
		return true
	}
	return false
}
