package filter

import (
	"encoding/json"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/tributary-rss/tributary/aggregator/model"
)

func loadEntries(t *testing.T) []model.Entry {
	t.Helper()
	data, err := os.ReadFile("testdata/entries.json")
	if err != nil {
		t.Fatal(err)
	}
	var es []model.Entry
	if err := json.Unmarshal(data, &es); err != nil {
		t.Fatal(err)
	}
	return es
}

func TestFilter_Match(t *testing.T) {
	entries := loadEntries(t)
	tests := []struct {
		name             string
		include, exclude []string
		want             []string // ids that pass
	}{
		{"no lists pass all", nil, nil, []string{"e1", "e2", "e3", "e4", "e5", "e6"}},
		{"keyword in title", []string{"通知"}, nil, []string{"e2"}},
		{"keyword is case-insensitive", []string{"RELEASE"}, nil, []string{"e4", "e6"}},
		{"keyword in summary", []string{"田径场"}, nil, []string{"e1"}},
		{"keyword in category", []string{"golang"}, nil, []string{"e6"}},
		{"any include matches", []string{"体育", "招聘"}, nil, []string{"e1", "e5"}},
		{"exclude keyword", nil, []string{"sponsored", "advertisement"}, []string{"e1", "e2", "e4", "e5", "e6"}},
		{"exclude wins over include", []string{"release"}, []string{"rc1"}, []string{"e4"}},
		{"regex", []string{`/^Go \d+\.\d+/`}, nil, []string{"e6"}},
		{"regex is case-sensitive", []string{`/^go /`}, nil, nil},
		{"regex with (?i)", []string{`/(?i)^go /`}, nil, []string{"e6"}},
		{"regex over categories", nil, []string{`/^(通知公告|Advertisement)$/`}, []string{"e1", "e4", "e5", "e6"}},
		{"regex CJK class", []string{`/20\d\d年/`}, nil, []string{"e1"}},
		{"keyword spaces trimmed", []string{"  rust "}, nil, []string{"e4"}},
		{"slash alone is a keyword", []string{"/"}, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Compile(tt.include, tt.exclude)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, e := range entries {
				if f.Match(e) {
					got = append(got, e.ID)
				}
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("passed %v, want %v", got, tt.want)
			}
		})
	}
}

func TestCompile_errors(t *testing.T) {
	tests := []struct {
		name             string
		include, exclude []string
		want             string
	}{
		{"unclosed group", []string{"/a(b/"}, nil, "include: invalid regular expression /a(b/"},
		{"perl lookahead is not RE2", nil, []string{"/a(?=b)/"}, "exclude: invalid regular expression /a(?=b)/"},
		{"empty regex", []string{"//"}, nil, "include: empty regular expression"},
		{"empty keyword", nil, []string{"  "}, "exclude: empty keyword"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Compile(tt.include, tt.exclude)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

func TestFilter_nilPassesAll(t *testing.T) {
	var f *Filter
	if !f.Match(model.Entry{Title: "x"}) {
		t.Error("nil filter rejected an entry")
	}
}

func TestCache_Filter(t *testing.T) {
	var c Cache
	a, err := c.Filter([]string{"x"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := c.Filter([]string{"x"}, nil)
	if a != b {
		t.Error("same lists compiled twice")
	}
	other, _ := c.Filter(nil, []string{"x"})
	if other == a {
		t.Error("include and exclude lists share a cache entry")
	}
	if f, err := c.Filter(nil, nil); f != nil || err != nil {
		t.Errorf("empty lists = %v, %v; want nil, nil", f, err)
	}
	if _, err := c.Filter([]string{"/(/"}, nil); err == nil {
		t.Error("invalid pattern accepted")
	}
}
