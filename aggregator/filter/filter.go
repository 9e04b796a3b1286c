package filter

import (
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/tributary-rss/tributary/aggregator/model"
)

// Filter is a compiled pair of include and exclude lists. The nil *Filter
// and the zero Filter pass everything. It is safe for concurrent use.
type Filter struct {
	include, exclude []pattern
}

// pattern is one compiled list element: a regular expression or a
// lower-cased keyword.
type pattern struct {
	re      *regexp.Regexp
	keyword string
}

// Compile compiles the lists; the error names the first bad pattern.
func Compile(include, exclude []string) (*Filter, error) {
	inc, err := compileList(include)
	if err != nil {
		return nil, fmt.Errorf("include: %w", err)
	}
	exc, err := compileList(exclude)
	if err != nil {
		return nil, fmt.Errorf("exclude: %w", err)
	}
	return &Filter{include: inc, exclude: exc}, nil
}

func compileList(list []string) ([]pattern, error) {
	out := make([]pattern, 0, len(list))
	for _, raw := range list {
		p, err := compilePattern(raw)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}

// CheckPattern reports whether raw is a valid pattern, for config
// validation: an empty keyword, an empty expression "//" and an invalid RE2
// expression are errors.
func CheckPattern(raw string) error {
	_, err := compilePattern(raw)
	return err
}

func compilePattern(raw string) (pattern, error) {
	if expr, ok := regexBody(raw); ok {
		if expr == "" {
			return pattern{}, errors.New("empty regular expression //")
		}
		re, err := regexp.Compile(expr)
		if err != nil {
			return pattern{}, fmt.Errorf("invalid regular expression %s: %w", raw, err)
		}
		return pattern{re: re}, nil
	}
	kw := strings.ToLower(strings.TrimSpace(raw))
	if kw == "" {
		return pattern{}, errors.New("empty keyword")
	}
	return pattern{keyword: kw}, nil
}

// regexBody returns the expression between the slashes of "/…/".
func regexBody(raw string) (string, bool) {
	if len(raw) >= 2 && raw[0] == '/' && raw[len(raw)-1] == '/' {
		return raw[1 : len(raw)-1], true
	}
	return "", false
}

// Match reports whether e passes the filter.
func (f *Filter) Match(e model.Entry) bool {
	if f == nil || (len(f.include) == 0 && len(f.exclude) == 0) {
		return true
	}
	t := text{entry: &e}
	if len(f.include) > 0 && !t.any(f.include) {
		return false
	}
	return !t.any(f.exclude)
}

// text is the matchable text of one entry, lower-cased on first need.
type text struct {
	entry *model.Entry
	lower []string
}

func (t *text) fields() []string {
	out := make([]string, 0, 2+len(t.entry.Categories))
	out = append(out, t.entry.Title, t.entry.Summary)
	return append(out, t.entry.Categories...)
}

// any reports whether one of the patterns matches one of the fields.
func (t *text) any(ps []pattern) bool {
	for _, p := range ps {
		if p.re != nil {
			for _, f := range t.fields() {
				if p.re.MatchString(f) {
					return true
				}
			}
			continue
		}
		if t.lower == nil {
			for _, f := range t.fields() {
				t.lower = append(t.lower, strings.ToLower(f))
			}
		}
		for _, f := range t.lower {
			if strings.Contains(f, p.keyword) {
				return true
			}
		}
	}
	return false
}
