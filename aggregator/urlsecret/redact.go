package urlsecret

import (
	"net/url"
	"strings"
)

// Redact is raw without what an operator's URL may hold in secret: the
// user:password@ part, and every parameter p names secret in the query,
// in a query-like fragment ("#access_token=…") and among a path
// segment's parameters (";jsessionid=…"). A secret parameter is dropped
// whole, name and value, so no spelling of its value survives. Everything
// else keeps its original spelling and order, and a URL with nothing to
// remove is returned as is. A URL that does not parse, before or after,
// is dropped (""): what it hides cannot be told.
//
// Parameters are split on ";" as well as "&", because some servers read
// "a=1;key=x" as two parameters. Secrets written as a plain path segment
// ("/feeds/<token>/rss") cannot be told from a name and are kept.
func Redact(raw string, p Params) string {
	if !strings.ContainsAny(raw, "@?#;") {
		return raw
	}
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	changed := u.User != nil
	u.User = nil
	if q, ok := p.dropParams(u.RawQuery); ok {
		u.RawQuery, changed = q, true
		u.ForceQuery = false
	}
	if strings.Contains(u.Fragment, "=") {
		if f, ok := p.dropParams(u.EscapedFragment()); ok {
			u.RawFragment, changed = f, true
			u.Fragment, _ = url.PathUnescape(f)
		}
	}
	if path, ok := p.dropPathParams(u.EscapedPath()); ok {
		u.RawPath, changed = path, true
		u.Path, _ = url.PathUnescape(path)
	}
	if !changed {
		return raw
	}
	out := u.String()
	if back, err := url.Parse(out); err != nil || back.User != nil {
		// net/url writes a few odd inputs back in a form that reads
		// differently ("//@// " becomes "//%20", "//@//@" becomes "//@"):
		// publish nothing rather than that.
		return ""
	}
	return out
}

// QueryValues returns the values, as written, of the secret parameters of
// a raw query, so that a caller can find them where they were copied.
func (p Params) QueryValues(rawQuery string) []string {
	var values []string
	for _, seg := range strings.FieldsFunc(rawQuery, isParamSep) {
		if p.secretSegment(seg) {
			_, val, _ := strings.Cut(seg, "=")
			values = append(values, val)
		}
	}
	return values
}

func isParamSep(r rune) bool { return r == '&' || r == ';' }

// secretSegment reports whether one "name=value" parameter is secret:
// its name is, or its value, decoded, carries a parameter whose name is
// (a URL passed as a parameter, "next=%2Fcb%3Ftoken%3D…"), so that no
// decoding of the published URL shows "token=…".
func (p Params) secretSegment(seg string) bool {
	name, _, _ := strings.Cut(seg, "=")
	if p.Secret(name) {
		return true
	}
	decoded, stable := decodeAll(seg)
	if !stable {
		return true
	}
	for _, piece := range strings.FieldsFunc(decoded, func(r rune) bool { return strings.ContainsRune("&;?#", r) }) {
		name, _, _ := strings.Cut(piece, "=")
		if p.Secret(name) {
			return true
		}
	}
	return false
}

// dropParams removes the secret parameters of a query string, keeping the
// others and their separators as written; ok is false when none matched.
func (p Params) dropParams(q string) (string, bool) {
	if q == "" {
		return q, false
	}
	var b strings.Builder
	dropped := false
	sep := "" // the separator written before the current segment
	for rest := q; ; {
		seg := rest
		i := strings.IndexAny(rest, "&;")
		if i >= 0 {
			seg = rest[:i]
		}
		if p.secretSegment(seg) {
			dropped = true
		} else {
			if b.Len() > 0 {
				b.WriteString(sep)
			}
			b.WriteString(seg)
		}
		if i < 0 {
			break
		}
		sep, rest = rest[i:i+1], rest[i+1:]
	}
	if !dropped {
		return q, false
	}
	return b.String(), true
}

// dropPathParams removes the secret parameters of each path segment
// ("/feed;jsessionid=…;v=1" → "/feed;v=1"), the segment's name kept.
func (p Params) dropPathParams(path string) (string, bool) {
	if !strings.Contains(path, ";") {
		return path, false
	}
	segs := strings.Split(path, "/")
	dropped := false
	for i, seg := range segs {
		name, params, ok := strings.Cut(seg, ";")
		if !ok {
			continue
		}
		if kept, ok := p.dropParams(params); ok {
			segs[i], dropped = name, true
			if kept != "" {
				segs[i] += ";" + kept
			}
		}
	}
	if !dropped {
		return path, false
	}
	return strings.Join(segs, "/"), true
}
