package i18n

import (
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/tributary-rss/tributary/aggregator/model"
)

// TestCatalog_bothLanguages: every message has its Chinese and its
// English, each in its own language, with the same blanks to fill.
func TestCatalog_bothLanguages(t *testing.T) {
	if len(catalog) < 400 {
		t.Fatalf("the catalog holds %d messages: an area's table is not merged", len(catalog))
	}
	for key, m := range catalog {
		if m.ZH == "" {
			t.Errorf("%s has no Chinese", key)
		}
		if m.EN == "" {
			t.Errorf("%s has no English", key)
		}
		if m.EN != "" && strings.ContainsFunc(m.EN, isHan) && !englishQuotesChinese[key] {
			t.Errorf("%s: English %q is Chinese", key, m.EN)
		}
		if got, want := blanks(m.ZH), blanks(m.EN); !slices.Equal(got, want) {
			t.Errorf("%s: Chinese fills %q, English %q", key, got, want)
		}
		if m.One != "" && !slices.Equal(blanks(m.One), blanks(m.EN)) {
			t.Errorf("%s: One fills %q, English %q", key, blanks(m.One), blanks(m.EN))
		}
	}
}

// englishQuotesChinese are English messages that show Chinese on
// purpose: an example of what Chinese sites write, or the way to the
// other language.
var englishQuotesChinese = map[string]bool{"form.titlestrip": true, "lang.switch": true}

func isHan(r rune) bool { return unicode.Is(unicode.Han, r) }

var blank = regexp.MustCompile(`%(\[\d+\])?[-+# 0-9.]*[a-zA-Z%]`)

// blanks are the printf blanks of s, sorted, with their verbs reduced
// to "v" (a language may quote its argument its own way: %q, “%s”).
func blanks(s string) []string {
	var out []string
	for _, b := range blank.FindAllStringSubmatch(s, -1) {
		if b[0] == "%%" {
			continue
		}
		out = append(out, b[1]+"v")
	}
	slices.Sort(out)
	return out
}

func TestMerge_duplicate(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("a key in two areas did not stop merge")
		}
	}()
	merge(map[string]Message{"a": {ZH: "甲", EN: "a"}}, map[string]Message{"a": {ZH: "乙", EN: "b"}})
}

func TestLookup(t *testing.T) {
	tests := []struct {
		lang, key, want string
		ok              bool
	}{
		{ZH, "page.home", "全部栏目", true},
		{EN, "page.home", "All sections", true},
		// Anything but English reads Chinese.
		{"fr", "page.home", "全部栏目", true},
		{"", "page.home", "全部栏目", true},
		{EN, "no.such.key", "", false},
	}
	for _, tt := range tests {
		got, ok := Lookup(tt.lang, tt.key)
		if got != tt.want || ok != tt.ok {
			t.Errorf("Lookup(%q, %q) = %q, %v; want %q, %v", tt.lang, tt.key, got, ok, tt.want, tt.ok)
		}
	}
	// A gap shows as its key rather than failing the page.
	if got := T(EN, "no.such.key"); got != "no.such.key" {
		t.Errorf("T of a missing key = %q", got)
	}
}

func TestN(t *testing.T) {
	tests := []struct {
		lang string
		n    int
		want string
	}{
		{EN, 0, "0 sources"},
		{EN, 1, "1 source"},
		{EN, 2, "2 sources"},
		{ZH, 1, "共 1 个来源"},
		{ZH, 2, "共 2 个来源"},
	}
	for _, tt := range tests {
		if got := N(tt.lang, "status.summary", tt.n, tt.n); got != tt.want {
			t.Errorf("N(%s, %d) = %q, want %q", tt.lang, tt.n, got, tt.want)
		}
	}
}

// TestLang_State: every state a source can be in has its word, the same
// on /status and the console.
func TestLang_State(t *testing.T) {
	for _, state := range []string{model.StateOK, model.StateFailing, model.StatePaused, model.StateGone, model.StatePending} {
		if _, ok := catalog["state."+state]; !ok {
			t.Errorf("state %s has no word", state)
		}
	}
	if got := Lang(ZH).State("weird"); got != "weird" {
		t.Errorf("an unknown state shows as %q, want its code", got)
	}
}

// TestWarning: every list warning has words in every form and both
// languages, with no blank left unfilled.
func TestWarning(t *testing.T) {
	codes := []string{model.ListWarnTitleNoMatch, model.ListWarnDateNoMatch, model.ListWarnSameLink,
		model.ListWarnOneItem, model.ListWarnNoDates, model.ListWarnOddYears}
	for _, form := range []WarningForm{WarnEditor, WarnStatus, WarnCLI} {
		for _, code := range codes {
			for _, lang := range []string{ZH, EN} {
				for _, entries := range []int{-1, 5} {
					w := model.ListWarning{Code: code, Count: 3, Total: 12, Detail: "span.date"}
					got, ok := Warning(lang, form, w, entries)
					if !ok || got == "" || strings.Contains(got, "%") {
						t.Errorf("%s%s %s: %q, %v", form, code, lang, got, ok)
					}
				}
			}
		}
	}
	if _, ok := Warning(EN, WarnCLI, model.ListWarning{Code: "new_code"}, 0); ok {
		t.Error("an unknown code was worded")
	}
}

// TestWarning_forms pins each form's wording of one warning.
func TestWarning_forms(t *testing.T) {
	w := model.ListWarning{Code: model.ListWarnSameLink, Count: 12, Total: 12, Detail: "https://b.example/xx.htm"}
	tests := []struct {
		lang    string
		form    WarningForm
		entries int
		want    string
	}{
		{EN, WarnEditor, 1, "12 of 12 items share a link and merge, leaving 1 entries: each item's link may be a category link. (https://b.example/xx.htm)"},
		{ZH, WarnEditor, -1, "12 条中有 12 条指向同一链接，会合并成更少的条目：每条的链接可能选成了分类链接。（https://b.example/xx.htm）"},
		{EN, WarnStatus, -1, "12 of 12 items share a link and merge (https://b.example/xx.htm)"},
		{ZH, WarnStatus, -1, "12 条中有 12 条指向同一链接，会合并（https://b.example/xx.htm）"},
		{EN, WarnCLI, 1, "12 of 12 items share a link (such as https://b.example/xx.htm) and merge, leaving 1 entries: each item's link may be a category link"},
	}
	for _, tt := range tests {
		if got, _ := Warning(tt.lang, tt.form, w, tt.entries); got != tt.want {
			t.Errorf("%s %s: %q, want %q", tt.lang, tt.form, got, tt.want)
		}
	}
}

func TestHTMLLang(t *testing.T) {
	for lang, want := range map[string]string{ZH: "zh-CN", EN: "en", "fr": "zh-CN"} {
		if got := HTMLLang(lang); got != want {
			t.Errorf("HTMLLang(%q) = %q, want %q", lang, got, want)
		}
	}
}

// TestFillArgs: blanks take their arguments by position; a missing one
// reads empty and an extra one is dropped, so a producer adding an
// argument breaks no page.
func TestFillArgs(t *testing.T) {
	tests := []struct {
		format string
		args   []string
		want   string
	}{
		{"网页不存在（HTTP %[1]s）", []string{"404"}, "网页不存在（HTTP 404）"},
		{"%[2]s 条中有 %[1]s 条", []string{"3", "20"}, "20 条中有 3 条"},
		{"没有栏目 %[1]s。", nil, "没有栏目 。"},
		{"请至少选择一个栏目。", []string{"extra"}, "请至少选择一个栏目。"},
		{"100%[x", []string{"a"}, "100%[x"},
	}
	for _, tt := range tests {
		if got := fillArgs(tt.format, tt.args); got != tt.want {
			t.Errorf("fillArgs(%q, %q) = %q, want %q", tt.format, tt.args, got, tt.want)
		}
	}
}
