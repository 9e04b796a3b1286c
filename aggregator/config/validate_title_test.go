package config

import (
	"reflect"
	"testing"
)

func TestParse_TitleStrip(t *testing.T) {
	src := func(list string) string {
		return "sections:\n  - id: news\n    sources:\n      - url: https://example.com/tzgg.htm\n        title_strip:\n" + list
	}
	c, err := Parse("t.yaml", []byte(src("          - \"[置顶]\"\n          - 【学校要闻】\n          - \"/^\\\\[\\\\d+\\\\]\\\\s*/\"\n")), nil)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := c.Sources()[0].TitleStrip, []string{"[置顶]", "【学校要闻】", `/^\[\d+\]\s*/`}; !reflect.DeepEqual(got, want) {
		t.Errorf("title_strip = %q, want %q", got, want)
	}
	tests := []struct {
		name string
		yaml string
		want []string
	}{
		{"a bad expression names its entry and line", src("          - \"[置顶]\"\n          - \"/[/\"\n"), []string{
			"7: title_strip[1]: invalid regular expression /[/: error parsing regexp: missing closing ]: `[`"}},
		{"an empty expression", src("          - \"//\"\n"), []string{"6: title_strip[0]: empty regular expression //"}},
		{"an empty label", src("          - \" \"\n"), []string{"6: title_strip[0]: empty label"}},
		{"not a list", "sections:\n  - id: news\n    sources:\n      - url: https://example.com/tzgg.htm\n        title_strip: \"[置顶]\"\n",
			[]string{`5: title_strip: expected a list, got "[置顶]"`}},
		{"one url two lists", "sections:\n  - id: news\n    sources:\n      - url: https://example.com/a.htm\n        title_strip: [a]\n  - id: hot\n    sources:\n      - url: https://example.com/a.htm\n        title_strip: [b]\n",
			[]string{`9: title_strip: conflicts with the title_strip list for the same url at line 5`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Parse("t.yaml", []byte(tt.yaml), nil)
			assertProblems(t, c, err, "t.yaml", tt.want)
		})
	}
}
