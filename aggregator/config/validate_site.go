package config

import (
	"fmt"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"
)

// Site and date display defaults.
const (
	// DefaultSiteTitle names the index page when site.title is unset.
	DefaultSiteTitle = "Tributary"
	// DefaultDateFormat is ui.date_format's default in both languages: ISO
	// dates with the year, the form Chinese portals and English readers
	// alike read without ambiguity.
	DefaultDateFormat = "2006-01-02"
	// MaxSiteText bounds the site's title, footer text and link texts in
	// runes: they are shown on every page.
	MaxSiteText = 500
	// MaxFooterLinks bounds site.footer.links.
	MaxFooterLinks = 20
)

// SiteConfig is the operator's identity on the public pages. Everything is
// shown as text or as a link, never as HTML, so a footer cannot inject
// markup or script.
type SiteConfig struct {
	// Title names the index page and follows section titles (default
	// "Tributary").
	Title string `yaml:"title"`
	// Logo is an absolute http(s) URL of an image shown in the header.
	Logo string `yaml:"logo"`
	// CSS is an absolute http(s) URL of a stylesheet loaded after ours;
	// the pages' Content-Security-Policy allows exactly that URL.
	CSS    string       `yaml:"css"`
	Footer FooterConfig `yaml:"footer"`
}

// FooterConfig is the footer of every HTML page: a line of text (such as
// a copyright) and links (such as the ICP filing number linked to
// https://beian.miit.gov.cn/).
type FooterConfig struct {
	Text  string       `yaml:"text"`
	Links []LinkConfig `yaml:"links"`
}

// LinkConfig is one footer link.
type LinkConfig struct {
	Text string `yaml:"text"`
	URL  string `yaml:"url"`
	// Line is where the link starts in the file.
	Line int `yaml:"-"`
}

func (v *validator) site(c *Config) {
	s := &c.Site
	v.siteText(&s.Title, "title")
	v.siteText(&s.Footer.Text, "text")
	for _, f := range []struct {
		p   *string
		key string
	}{{&s.Logo, "logo"}, {&s.CSS, "css"}} {
		if v.filled(f.p) {
			v.check(f.p, f.key, checkSiteURL(*f.p))
		}
	}
	if len(s.Footer.Links) > MaxFooterLinks {
		v.probs.add(v.line(&s.Footer.Links, 0), "links: at most %d footer links, got %d", MaxFooterLinks, len(s.Footer.Links))
	}
	for i := range s.Footer.Links {
		l := &s.Footer.Links[i]
		if v.failed(l) {
			continue
		}
		v.siteText(&l.Text, "text")
		switch {
		case v.filled(&l.URL):
			v.check(&l.URL, "url", checkSiteURL(l.URL))
		case !v.failed(&l.URL):
			v.probs.add(l.Line, "footer link has no url")
		}
		if l.Text == "" && !v.failed(&l.Text) {
			v.probs.add(l.Line, "footer link has no text")
		}
	}
	v.dateFormats(&c.UI)
	for i := range c.SectionConfigs {
		if tz := &c.SectionConfigs[i].Timezone; v.filled(tz) {
			v.check(tz, "timezone", checkTimezone(*tz))
		}
	}
}

// siteText checks a line of text shown on every page.
func (v *validator) siteText(p *string, key string) {
	if !v.filled(p) {
		return
	}
	if n := utf8.RuneCountInString(*p); n > MaxSiteText {
		v.check(p, key, fmt.Errorf("at most %d characters, got %d", MaxSiteText, n))
	}
}

// checkSiteURL accepts an absolute http(s) URL with a host and no
// credentials. It goes into a Content-Security-Policy (site.css), where
// whitespace, ';' or ',' would end the source expression.
func checkSiteURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Hostname() == "" {
		return fmt.Errorf("must be an absolute http or https URL, got %q", raw)
	}
	if u.User != nil {
		return fmt.Errorf("must not carry a user name or password")
	}
	if strings.ContainsAny(raw, " \t\r\n;,'\"") {
		return fmt.Errorf("must not contain spaces, quotes, ';' or ',' (percent-encode them), got %q", raw)
	}
	return nil
}

// Two instants that differ in every layout element, so a layout that
// shows any of them formats them differently.
var (
	layoutProbeA = time.Date(2031, 2, 3, 4, 5, 6, 0, time.UTC)
	layoutProbeB = time.Date(2042, 11, 22, 13, 44, 55, 0, time.UTC)
)

func (v *validator) dateFormats(ui *UIConfig) {
	if v.filled(&ui.DateFormat) {
		v.check(&ui.DateFormat, "date_format", checkDateLayout(ui.DateFormat, true))
	}
	if v.filled(&ui.DateFormatCurrentYear) {
		v.check(&ui.DateFormatCurrentYear, "date_format_current_year", checkDateLayout(ui.DateFormatCurrentYear, false))
	}
}

// checkDateLayout accepts a Go time layout that shows something of the
// date and, when needYear, the year: a date without a year reads as this
// year's, which is what misled readers of last year's entries.
func checkDateLayout(layout string, needYear bool) error {
	if len(layout) > 64 {
		return fmt.Errorf("at most 64 bytes, got %d", len(layout))
	}
	a, b := layoutProbeA.Format(layout), layoutProbeB.Format(layout)
	if a == b {
		return fmt.Errorf("%q is not a Go time layout: write the reference time 2006-01-02 15:04 the way dates should look", layout)
	}
	if needYear && !strings.Contains(a, "31") {
		return fmt.Errorf("%q shows no year (2006 or 06); use date_format_current_year for a short form of this year's dates", layout)
	}
	return nil
}

func applySiteDefaults(c *Config) {
	setString(&c.Site.Title, DefaultSiteTitle)
	setString(&c.UI.DateFormat, DefaultDateFormat)
}
