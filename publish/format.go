package publish

// format is one representation of a section; its value is the URL extension
// (the HTML page has none).
type format string

const (
	formatHTML format = "html"
	formatRSS  format = "rss"
	formatAtom format = "atom"
	formatJSON format = "json"
)

func formatByExt(ext string) (format, bool) {
	switch f := format(ext); f {
	case formatRSS, formatAtom, formatJSON:
		return f, true
	}
	return "", false
}

func (f format) contentType() string {
	switch f {
	case formatRSS:
		return "application/rss+xml; charset=utf-8"
	case formatAtom:
		return "application/atom+xml; charset=utf-8"
	case formatJSON:
		return "application/feed+json; charset=utf-8"
	default:
		return "text/html; charset=utf-8"
	}
}
