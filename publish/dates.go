package publish

import (
	"time"

	"github.com/tributary-rss/tributary/aggregator/model"
)

// DefaultDateFormat is the layout of entry dates when Options.DateFormat is
// empty: ISO dates with the year, in both UI languages.
const DefaultDateFormat = "2006-01-02"

// dateStyle is how one render shows dates to people: in the section's zone
// (never the visitor's), with the operator's layouts. Every surface (page,
// iframe, the widget's data, the index) formats through it, so they agree.
type dateStyle struct {
	loc    *time.Location
	layout string
	// short, when set, replaces layout for dates in year.
	short string
	year  int
}

// dateStyle returns the style of sec's renders. year is the current year in
// the section's zone when a short form is configured (it is part of the
// render's cache key, so renders roll over at New Year), else 0.
func (s *Server) dateStyle(sec model.Section, year int) dateStyle {
	return dateStyle{loc: s.sectionLocation(sec), layout: s.opts.DateFormat, short: s.opts.DateFormatCurrentYear, year: year}
}

// sectionLocation is the section's zone, else the server's.
func (s *Server) sectionLocation(sec model.Section) *time.Location {
	if sec.Location != nil {
		return sec.Location
	}
	return s.opts.Location
}

// currentYear is the year now in sec's zone when a short form for the
// current year is configured, else 0 (renders do not depend on it).
func (s *Server) currentYear(sec model.Section) int {
	if s.opts.DateFormatCurrentYear == "" {
		return 0
	}
	return s.opts.Now().In(s.sectionLocation(sec)).Year()
}

// in is t in the style's zone; a zero style (feeds rendered without one)
// keeps UTC.
func (ds dateStyle) in(t time.Time) time.Time {
	if ds.loc == nil {
		return t.UTC()
	}
	return t.In(ds.loc)
}

// format is the date people read.
func (ds dateStyle) format(t time.Time) string {
	t = ds.in(t)
	if ds.short != "" && t.Year() == ds.year {
		return t.Format(ds.short)
	}
	layout := ds.layout
	if layout == "" {
		layout = DefaultDateFormat
	}
	return t.Format(layout)
}

// zone is the IANA name of the style's zone, for the widget's data.
func (ds dateStyle) zone() string {
	if ds.loc == nil {
		return "UTC"
	}
	return ds.loc.String()
}

// showsDates reports whether renders in f show dates to people, so that
// a short form for the current year makes the year part of their key.
func showsDates(f format) bool {
	switch f {
	case formatHTML, formatEmbed, formatAPI, formatIndex:
		return true
	}
	return false
}

// atom is t as an Atom date (RFC 3339) in the style's zone.
func (ds dateStyle) atom(t time.Time) string {
	return ds.in(t).Format(time.RFC3339)
}

// sameZone reports whether two configs of a section show dates in the
// same zone (a change must drop its cached renders).
func sameZone(a, b model.Section) bool {
	name := func(l *time.Location) string {
		if l == nil {
			return ""
		}
		return l.String()
	}
	return name(a.Location) == name(b.Location)
}
