package config

import (
	"strings"
	"testing"
)

func TestParse_Site(t *testing.T) {
	tests := []struct {
		name, yaml string
		want       string // error substring with its line; empty means valid
	}{
		{"none", "", ""},
		{"all set", "site:\n  title: 示例大学新闻网\n  logo: https://www.example.edu.cn/logo.png\n  css: https://www.example.edu.cn/tributary.css\n" +
			"  footer:\n    text: © 示例大学\n    links:\n      - text: 京ICP备12345678号\n        url: https://beian.miit.gov.cn/\n", ""},
		{"logo not http", "site:\n  logo: javascript:alert(1)\n", "t.yaml:2: logo: must be an absolute http or https URL"},
		{"relative css", "site:\n  css: /site.css\n", "t.yaml:2: css: must be an absolute http or https URL"},
		{"css breaks the CSP", "site:\n  css: https://cdn.example.org/a.css;script-src *\n", "t.yaml:2: css: must not contain spaces"},
		{"logo with password", "site:\n  logo: https://u:p@example.org/l.png\n", "t.yaml:2: logo: must not carry"},
		{"link file url", "site:\n  footer:\n    links:\n      - text: x\n        url: file:///etc/passwd\n", "t.yaml:5: url: must be an absolute http or https URL"},
		{"link without url", "site:\n  footer:\n    links:\n      - text: x\n", "t.yaml:4: footer link has no url"},
		{"link without text", "site:\n  footer:\n    links:\n      - url: https://beian.miit.gov.cn/\n", "t.yaml:4: footer link has no text"},
		{"unknown key", "site:\n  footer:\n    html: <b>x</b>\n", "t.yaml:3: unknown key \"html\" in footer"},
		{"long title", "site:\n  title: " + strings.Repeat("长", MaxSiteText+1) + "\n", "t.yaml:2: title: at most 500 characters"},
		{"date formats", "ui:\n  date_format: 2006年1月2日\n  date_format_current_year: 01-02 15:04\n", ""},
		{"date format without year", "ui:\n  date_format: 01-02\n", "t.yaml:2: date_format: \"01-02\" shows no year"},
		{"date format not a layout", "ui:\n  date_format: yyyy-mm-dd\n", "t.yaml:2: date_format: \"yyyy-mm-dd\" is not a Go time layout"},
		{"short form not a layout", "ui:\n  date_format_current_year: today\n", "t.yaml:2: date_format_current_year: \"today\" is not a Go time layout"},
		{"section timezone", "sections:\n  - id: a\n    timezone: America/Los_Angeles\n    sources:\n      - url: https://example.org/a.xml\n", ""},
		{"bad section timezone", "sections:\n  - id: a\n    timezone: Mars/Olympus\n    sources:\n      - url: https://example.org/a.xml\n", "t.yaml:3: timezone: \"Mars/Olympus\" is not a known IANA time zone"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := tt.yaml
			if !strings.Contains(doc, "sections:") {
				doc += publishBase
			}
			_, err := Parse("t.yaml", []byte(doc), nil)
			if tt.want == "" {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %v, want one containing %q", err, tt.want)
			}
		})
	}
}

func TestConfig_SectionLocation(t *testing.T) {
	doc := "defaults:\n  timezone: Asia/Tokyo\nsections:\n" +
		"  - id: a\n    timezone: America/Los_Angeles\n    sources:\n      - url: https://example.org/a.xml\n" +
		"  - id: b\n    sources:\n      - url: https://example.org/b.xml\n"
	c, err := Parse("t.yaml", []byte(doc), nil)
	if err != nil {
		t.Fatal(err)
	}
	secs := c.Sections()
	if got := secs[0].Location.String(); got != "America/Los_Angeles" {
		t.Errorf("section a: %s", got)
	}
	if got := secs[1].Location.String(); got != "Asia/Tokyo" {
		t.Errorf("section b inherits defaults.timezone: %s", got)
	}
	c, err = Parse("t.yaml", []byte(publishBase), nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := c.Sections()[0].Location.String(); got != DefaultTimezone {
		t.Errorf("default zone %s", got)
	}
	if c.Site.Title != DefaultSiteTitle || c.UI.DateFormat != DefaultDateFormat || c.UI.DateFormatCurrentYear != "" {
		t.Errorf("defaults: %+v %+v", c.Site, c.UI)
	}
}
