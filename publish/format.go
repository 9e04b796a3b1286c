package publish

// format is one representation of a section; for feeds its value is the URL
// extension (the HTML page has none).
type format string

const (
	formatHTML format = "html"
	formatRSS  format = "rss"
	formatAtom format = "atom"
	formatJSON format = "json"
	// formatAPI is /api/v1/sections/{id}/entries.
	formatAPI format = "api"
	// formatEmbed is the iframe fragment /embed/{id}.html.
	formatEmbed format = "embed"
	// formatOPML is /opml and /sections/{id}.opml.
	formatOPML format = "opml"
	// formatScript is the widget, /embed/{id}.js.
	formatScript format = "js"
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
	case formatAPI:
		return "application/json; charset=utf-8"
	case formatOPML:
		return "text/x-opml; charset=utf-8"
	case formatScript:
		return "text/javascript; charset=utf-8"
	default:
		return "text/html; charset=utf-8"
	}
}

// isPage reports whether f is HTML shown to people, whose strings follow
// the UI language.
func (f format) isPage() bool {
	return f == formatHTML || f == formatEmbed
}
