package publish

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/url"
)

// Date styles of the widget and the iframe (?date, data-date).
const (
	// dateFull is the section page's date (ui.date_format), the default.
	dateFull = "full"
	// dateShort is month and day (MM-DD) in the section's zone, for
	// narrow portal boxes where the year is understood.
	dateShort = "short"
	// dateNone shows no date.
	dateNone = "none"
)

// shortDateLayout is dateShort's layout.
const shortDateLayout = "01-02"

// maxMoreBytes bounds ?more: every accepted value is a cache key, and a
// list page's address is far shorter.
const maxMoreBytes = 2048

// embedStyle is what the host page chose, beyond theme and lines, for how
// the iframe fragment shows its headlines. The zero value is the default:
// source labels shown, full dates, "更多" to the section page, the
// theme's own background.
type embedStyle struct {
	hideSource bool
	// date is dateShort or dateNone; "" is dateFull.
	date string
	// more is the absolute http(s) URL "更多" links to instead of the
	// section page.
	more string
	// transparent paints no background whatever the theme.
	transparent bool
}

// parseEmbedStyle reads ?show_source, ?date, ?more and ?background of the
// iframe fragment; a bad value is a queryError naming its parameter.
func parseEmbedStyle(q url.Values) (embedStyle, error) {
	var st embedStyle
	var err error
	if st.hideSource, err = parseShowSource(q); err != nil {
		return embedStyle{}, err
	}
	if st.date, err = parseDateStyle(q); err != nil {
		return embedStyle{}, err
	}
	if st.more, err = parseMore(q); err != nil {
		return embedStyle{}, err
	}
	if st.transparent, err = parseBackground(q); err != nil {
		return embedStyle{}, err
	}
	return st, nil
}

// parseShowSource reads ?show_source and reports whether it hides the
// source label.
func parseShowSource(q url.Values) (hide bool, err error) {
	switch q.Get("show_source") {
	case "", "true", "1":
		return false, nil
	case "false", "0":
		return true, nil
	}
	return false, queryError("show_source", `must be "true" or "false"`)
}

// parseDateStyle reads ?date; the default, full, is "".
func parseDateStyle(q url.Values) (string, error) {
	switch d := q.Get("date"); d {
	case "", dateFull:
		return "", nil
	case dateShort, dateNone:
		return d, nil
	}
	return "", queryError("date", `must be "full", "short" (MM-DD) or "none"`)
}

// parseMore reads ?more, the host's own list page. Only an absolute http
// or https URL is taken: anything else (javascript:, data:, a relative
// path that would resolve against Tributary) is refused rather than
// linked.
func parseMore(q url.Values) (string, error) {
	if !q.Has("more") {
		return "", nil
	}
	raw := q.Get("more")
	if len(raw) > maxMoreBytes {
		return "", queryError("more", fmt.Sprintf("must be at most %d bytes", maxMoreBytes))
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", queryError("more", "must be an absolute http:// or https:// URL")
	}
	return u.String(), nil
}

// parseBackground reads ?background: only "transparent", which paints no
// background in either theme so the host's box shows through.
func parseBackground(q url.Values) (bool, error) {
	switch q.Get("background") {
	case "":
		return false, nil
	case "transparent":
		return true, nil
	}
	return false, queryError("background", `must be "transparent" (or left out for the theme's own)`)
}

// applyStyle applies d's embedStyle to the fragment's view.
func (v *embedView) applyStyle(d feedData) {
	st := d.Embed
	v.HideSource, v.Transparent = st.hideSource, st.transparent
	if st.more != "" {
		v.More = st.more
	}
	switch st.date {
	case dateNone:
		v.NoDate = true
	case dateShort:
		// entryViews made one view per entry, in order.
		for i := range min(len(v.Entries), len(d.Entries)) {
			v.Entries[i].Date = d.Dates.in(entryPublished(d.Entries[i])).Format(shortDateLayout)
		}
	}
}

// tag names st in an ETag: "" for the default, so existing tags stay.
// The more URL is hashed, since it may hold any character.
func (st embedStyle) tag() string {
	var tag string
	if st.hideSource {
		tag += "-ns"
	}
	if st.date != "" {
		tag += "-d" + st.date
	}
	if st.more != "" {
		sum := sha256.Sum256([]byte(st.more))
		tag += "-m" + hex.EncodeToString(sum[:6])
	}
	if st.transparent {
		tag += "-bt"
	}
	return tag
}
