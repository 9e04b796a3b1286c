package xsstest

import (
	_ "embed"
	"strings"
)

// owasp is the corpus: one vector a line, "#" lines are comments.
//
//go:embed testdata/xss-owasp.txt
var owasp string

// Vectors returns the OWASP filter-evasion vectors in file order.
func Vectors() []string {
	var out []string
	for _, line := range strings.Split(owasp, "\n") {
		line = strings.TrimSuffix(line, "\r")
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		out = append(out, line)
	}
	return out
}
