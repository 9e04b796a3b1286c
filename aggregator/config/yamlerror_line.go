package config

import (
	"bytes"
	"errors"
	"io"

	"go.yaml.in/yaml/v3"
)

// problemLine finds the line a yaml.v3 parse error is really about.
// yaml.v3 reports a parser error at its context mark, where the enclosing
// block started ("while parsing a block mapping at line 4"), not where the
// offending token is: a mis-indented line 7 under a mapping that starts
// on line 3 is reported at line 3, which sends the operator to the wrong
// place. The offending line is the first one at which the document stops
// parsing: the shortest prefix of whole lines that fails with the same
// message ends with it. A block-structured prefix of a valid document is
// itself valid, so the failures grow with the prefix and a binary search
// over [reported, last line] finds it in O(log n) parses. The reported
// line is a lower bound (the context starts before the problem).
func problemLine(data []byte, reported int, msg string) int {
	starts := lineStarts(data)
	lo, hi := max(reported, 1), len(starts)
	if lo >= hi {
		return reported
	}
	for lo < hi {
		mid := lo + (hi-lo)/2
		if prefixFails(data[:lineEnd(data, starts, mid)], msg) {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	return lo
}

// lineStarts returns the offset at which each line starts (index 0 is
// line 1).
func lineStarts(data []byte) []int {
	starts := []int{0}
	for i, b := range data {
		if b == '\n' && i+1 < len(data) {
			starts = append(starts, i+1)
		}
	}
	return starts
}

// lineEnd is the offset just past line n (1-based), its newline included.
func lineEnd(data []byte, starts []int, n int) int {
	if n >= len(starts) {
		return len(data)
	}
	return starts[n]
}

// prefixFails reports whether decoding every document of data fails with
// msg (the message without yaml.v3's "yaml: line N: " prefix).
func prefixFails(data []byte, msg string) (failed bool) {
	defer func() {
		if recover() != nil {
			failed = false
		}
	}()
	dec := yaml.NewDecoder(bytes.NewReader(data))
	for {
		var n yaml.Node
		err := dec.Decode(&n)
		if errors.Is(err, io.EOF) {
			return false
		}
		if err != nil {
			m := yamlLine.FindStringSubmatch(err.Error())
			return m != nil && m[2] == msg
		}
	}
}
