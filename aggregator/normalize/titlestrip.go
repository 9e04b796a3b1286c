package normalize

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
)

// MaxTitleStrip bounds a source's title_strip list: every title of the
// source goes through each entry.
const MaxTitleStrip = 64

// TitleStrip is a source's title_strip list compiled: labels CMS list
// pages put in titles ("[置顶]", "【学校要闻】", "[12]") that a source
// wants gone, as an alternative to leaving the item out with scrape.skip.
// A literal entry is removed where it begins or ends a title; an entry
// written "/re/" is an RE2 expression whose every match is removed
// (anchor it with ^ or $ to cut only an end). White space left at the
// ends is trimmed and runs of it joined. A title that would be left empty
// keeps its labels: a title of a label alone is still a title.
//
// The nil *TitleStrip removes nothing. It is safe for concurrent use.
type TitleStrip struct {
	rules []stripRule
}

// stripRule is one entry: a literal or an expression.
type stripRule struct {
	literal string
	re      *regexp.Regexp
}

// CheckTitleStrip reports what is wrong with one title_strip entry, for
// config and admin API validation: an empty entry, an empty expression
// "//", or one that is no RE2 expression.
func CheckTitleStrip(raw string) error {
	_, err := compileStripRule(raw)
	return err
}

// CompileTitleStrip compiles a title_strip list; an error names the
// first bad entry by its index ("title_strip[1]: …"). An empty list
// gives nil.
func CompileTitleStrip(list []string) (*TitleStrip, error) {
	if len(list) == 0 {
		return nil, nil
	}
	if len(list) > MaxTitleStrip {
		return nil, fmt.Errorf("title_strip: more than %d entries", MaxTitleStrip)
	}
	ts := &TitleStrip{rules: make([]stripRule, 0, len(list))}
	for i, raw := range list {
		r, err := compileStripRule(raw)
		if err != nil {
			return nil, fmt.Errorf("title_strip[%d]: %w", i, err)
		}
		ts.rules = append(ts.rules, r)
	}
	return ts, nil
}

// lenientTitleStrip compiles the entries of list that compile: the
// config and the admin API refuse bad ones, and a title is better
// cleaned by the good entries than not at all.
func lenientTitleStrip(list []string) *TitleStrip {
	if len(list) == 0 {
		return nil
	}
	ts := &TitleStrip{}
	for _, raw := range list[:min(len(list), MaxTitleStrip)] {
		if r, err := compileStripRule(raw); err == nil {
			ts.rules = append(ts.rules, r)
		}
	}
	return ts
}

func compileStripRule(raw string) (stripRule, error) {
	if len(raw) >= 2 && raw[0] == '/' && raw[len(raw)-1] == '/' {
		expr := raw[1 : len(raw)-1]
		if expr == "" {
			return stripRule{}, errors.New("empty regular expression //")
		}
		re, err := regexp.Compile(expr)
		if err != nil {
			return stripRule{}, fmt.Errorf("invalid regular expression %s: %w", raw, err)
		}
		return stripRule{re: re}, nil
	}
	if strings.TrimSpace(raw) == "" {
		return stripRule{}, errors.New("empty label")
	}
	return stripRule{literal: strings.TrimSpace(raw)}, nil
}

// Apply is title without the labels of ts (see TitleStrip).
func (ts *TitleStrip) Apply(title string) string {
	if ts == nil || len(ts.rules) == 0 {
		return title
	}
	out := strings.TrimSpace(title)
	for _, r := range ts.rules {
		if r.re != nil {
			out = strings.TrimSpace(r.re.ReplaceAllString(out, ""))
			continue
		}
		out = strings.TrimSpace(strings.TrimPrefix(out, r.literal))
		out = strings.TrimSpace(strings.TrimSuffix(out, r.literal))
	}
	if out = collapseSpace(out); out == "" {
		return title
	}
	return out
}
