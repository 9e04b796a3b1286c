package config

import (
	"reflect"
	"testing"
	"time"

	"github.com/tributary-rss/tributary/aggregator/model"
)

func TestLoad_EntryRules(t *testing.T) {
	c, err := Load("testdata/entries.yaml", nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.Defaults.SummaryLength != 80 || !reflect.DeepEqual(c.Defaults.TrackingParams, []string{"ref", "mkt_*"}) {
		t.Errorf("defaults = %+v", c.Defaults)
	}
	secs := c.Sections()
	tests := []struct {
		name      string
		got, want any
	}{
		{"news include", secs[0].Include, []string{"通知", "/^关于.*的(公告|通知)$/"}},
		{"news exclude", secs[0].Exclude, []string{"广告"}},
		{"news dedup_titles", secs[0].DedupTitles, true},
		{"news max_age from defaults", secs[0].MaxAge, 720 * time.Hour},
		{"hot max_age", secs[1].MaxAge, 48 * time.Hour},
		{"hot dedup_titles off", secs[1].DedupTitles, false},
		{"hot no filter", secs[1].Include, []string(nil)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !reflect.DeepEqual(tt.got, tt.want) {
				t.Errorf("got %#v, want %#v", tt.got, tt.want)
			}
		})
	}
	srcs := c.Sources()
	// The source filter is given once and applies to both sections.
	if !reflect.DeepEqual(srcs[0].Exclude, []string{"/(?i)sponsored/"}) || srcs[0].Include != nil {
		t.Errorf("source a filter = %v / %v", srcs[0].Include, srcs[0].Exclude)
	}
	if srcs[1].Exclude != nil {
		t.Errorf("source b exclude = %v, want none", srcs[1].Exclude)
	}
}

func TestLoad_EntryRuleDefaults(t *testing.T) {
	c, err := Load("testdata/minimal.yaml", nil)
	if err != nil {
		t.Fatal(err)
	}
	sec := c.Sections()[0]
	if c.Defaults.SummaryLength != DefaultSummaryLength || sec.MaxAge != 0 || sec.DedupTitles || sec.Include != nil {
		t.Errorf("defaults: summary_length %d, section %+v", c.Defaults.SummaryLength, sec)
	}
}

func TestParse_InvalidEntryRules(t *testing.T) {
	src := func(extra string) string {
		return "sections:\n  - id: news\n" + extra + "    sources:\n      - url: https://example.com/a.xml\n"
	}
	tests := []struct {
		name string
		yaml string
		want []string
	}{
		{"invalid regex names its line", src("    include:\n      - 通知\n      - \"/关于(通知/\"\n"), []string{
			"5: include[1]: invalid regular expression /关于(通知/: error parsing regexp: missing closing ): `关于(通知`"}},
		{"lookahead is not RE2", src("    exclude: [\"/a(?!b)/\"]\n"), []string{
			"3: exclude[0]: invalid regular expression /a(?!b)/: error parsing regexp: invalid or unsupported Perl syntax: `(?!`"}},
		{"empty regex", src("    include: [\"//\"]\n"), []string{"3: include[0]: empty regular expression //"}},
		{"empty keyword", src("    exclude: [\"\"]\n"), []string{"3: exclude[0]: empty keyword"}},
		{"source filter", "sections:\n  - id: news\n    sources:\n      - url: https://example.com/a.xml\n        include:\n          - \"/[/\"\n", []string{
			"6: include[0]: invalid regular expression /[/: error parsing regexp: missing closing ]: `[`"}},
		{"filter not a list", src("    include: 通知\n"), []string{`3: include: expected a list, got "通知"`}},
		{"filter element not a string", src("    include:\n      - {a: 1}\n"), []string{`4: include[0]: expected a string, got a mapping`}},
		{"dedup_titles not a bool", src("    dedup_titles: yes please\n"), []string{`3: dedup_titles: expected true or false, got "yes please"`}},
		{"dedup_titles number", src("    dedup_titles: 1\n"), []string{`3: dedup_titles: expected true or false, got "1"`}},
		{"negative max_age", src("    max_age: -1h\n"), []string{`3: max_age: must not be negative, got -1h0m0s (0 means no limit)`}},
		{"zero summary_length", "defaults:\n  summary_length: 0\n" + section, []string{`2: summary_length: must be at least 1, got 0`}},
		{"bad tracking param", "defaults:\n  tracking_params: [ok, \"*\"]\n" + section, []string{
			`2: tracking_params[1]: "*" is not a query key (write key, or prefix*)`}},
		{"one url two filters", "sections:\n  - id: news\n    sources:\n      - url: https://example.com/a.xml\n        include: [a]\n  - id: hot\n    sources:\n      - url: https://example.com/a.xml\n        include: [b]\n", []string{
			`9: include: conflicts with the include list for the same url at line 5`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Parse("t.yaml", []byte(tt.yaml), nil)
			assertProblems(t, c, err, "t.yaml", tt.want)
		})
	}
}

// TestSections_sourceFiltersShared pins that a filter written on one listing
// reaches the Source that every listing shares.
func TestSections_sourceFiltersShared(t *testing.T) {
	c, err := Parse("t.yaml", []byte("sections:\n  - id: news\n    sources:\n      - url: https://example.com/a.xml\n  - id: hot\n    sources:\n      - url: https://example.com/a.xml\n        exclude: [x]\n"), nil)
	if err != nil {
		t.Fatal(err)
	}
	want := []model.Source{{Exclude: []string{"x"}, SectionIDs: []string{"news", "hot"}}}
	got := c.Sources()
	if len(got) != 1 || !reflect.DeepEqual(got[0].Exclude, want[0].Exclude) || !reflect.DeepEqual(got[0].SectionIDs, want[0].SectionIDs) {
		t.Errorf("sources = %+v", got)
	}
}
