package curate

import (
	"strings"
	"testing"
	"time"

	"github.com/tributary-rss/tributary/aggregator/filter"
	"github.com/tributary-rss/tributary/aggregator/model"
)

func TestRules_Admit(t *testing.T) {
	news := model.Section{ID: "news", Exclude: []string{"广告"}}
	sports := model.Section{ID: "sports", Include: []string{"体育", "/比赛$/"}}
	tests := []struct {
		name       string
		srcExclude []string
		sec        model.Section
		title      string
		want       bool
	}{
		{"no filter in the way", nil, news, "讲座通知", true},
		{"section exclude", nil, news, "广告：招生", false},
		{"section include keyword", nil, sports, "校运会体育新闻", true},
		{"section include regex", nil, sports, "篮球比赛", true},
		{"section include misses", nil, sports, "讲座通知", false},
		{"source exclude applies in every section", []string{"招聘"}, sports, "体育老师招聘", false},
	}
	cache := &filter.Cache{}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := model.Source{ID: "a", Exclude: tt.srcExclude}
			r, err := New(src, []model.Section{news, sports}, cache)
			if err != nil {
				t.Fatal(err)
			}
			if got := r.Admit(tt.sec, model.Entry{Title: tt.title}); got != tt.want {
				t.Errorf("Admit(%s, %q) = %v, want %v", tt.sec.ID, tt.title, got, tt.want)
			}
		})
	}
}

func TestNew_badPattern(t *testing.T) {
	_, err := New(model.Source{ID: "a"}, []model.Section{{ID: "news", Include: []string{"/(/"}}}, nil)
	if err == nil || !strings.Contains(err.Error(), "section news filter") {
		t.Fatalf("error %v, want one naming the section's filter", err)
	}
}

func TestUnfiltered(t *testing.T) {
	sec := model.Section{ID: "news", Exclude: []string{"广告"}}
	r := Unfiltered(model.Source{ID: "a"}, []model.Section{sec})
	if !r.Admit(sec, model.Entry{Title: "广告"}) {
		t.Error("Unfiltered refused an entry")
	}
	if r.Fingerprint != Fingerprint(model.Source{ID: "a"}, []model.Section{sec}) {
		t.Error("Unfiltered's fingerprint differs from the rules' own")
	}
}

// The fingerprint changes with exactly what decides a section's content.
func TestFingerprint(t *testing.T) {
	src := model.Source{ID: "a", URL: "https://a.example/feed"}
	base := model.Section{ID: "news", MaxItems: 50}
	fp := Fingerprint(src, []model.Section{base})
	changes := []struct {
		name string
		src  func(*model.Source)
		sec  func(*model.Section)
		same bool
	}{
		{"title", nil, func(s *model.Section) { s.Title = "资讯" }, true},
		{"url", func(s *model.Source) { s.URL = "https://b.example/feed" }, nil, true},
		{"section include", nil, func(s *model.Section) { s.Include = []string{"x"} }, false},
		{"section exclude", nil, func(s *model.Section) { s.Exclude = []string{"x"} }, false},
		{"max items", nil, func(s *model.Section) { s.MaxItems = 60 }, false},
		{"max age", nil, func(s *model.Section) { s.MaxAge = time.Hour }, false},
		{"dedup titles", nil, func(s *model.Section) { s.DedupTitles = true }, false},
		{"review", nil, func(s *model.Section) { s.Review = true }, false},
		{"trusted without review", nil, func(s *model.Section) { s.TrustedSourceIDs = []string{"a"} }, true},
		{"source exclude", func(s *model.Source) { s.Exclude = []string{"x"} }, nil, false},
	}
	for _, c := range changes {
		s, sec := src, base
		if c.src != nil {
			c.src(&s)
		}
		if c.sec != nil {
			c.sec(&sec)
		}
		if got := Fingerprint(s, []model.Section{sec}) == fp; got != c.same {
			t.Errorf("%s: same fingerprint = %v, want %v", c.name, got, c.same)
		}
	}
	if Fingerprint(src, []model.Section{base, {ID: "hot"}}) == fp {
		t.Error("a section added: same fingerprint")
	}
}
