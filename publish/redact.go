package publish

import (
	"context"
	"net/url"
	"strings"

	"github.com/tributary-rss/tributary/aggregator/model"
)

// defaultSecretParams are query keys whose values are credentials in the
// feed URLs operators configure: API keys, tokens, signatures and session
// ids. Matched case-insensitively; Options.SecretParams adds to them.
var defaultSecretParams = [...]string{
	"key", "api_key", "apikey", "api-key",
	"token", "access_token", "auth", "auth_token",
	"secret", "client_secret", "password", "passwd",
	"sig", "signature", "session", "sid",
}

// secretParams tells a query key that carries a credential: one of the
// exact keys, or one starting with a prefix (config entries "prefix*").
// Keys are compared lower-cased and percent-decoded.
type secretParams struct {
	exact    map[string]bool
	prefixes []string
}

// newSecretParams is the default list plus extra ("key" or "prefix*").
func newSecretParams(extra []string) secretParams {
	p := secretParams{exact: make(map[string]bool, len(defaultSecretParams)+len(extra))}
	for _, k := range defaultSecretParams {
		p.exact[k] = true
	}
	for _, k := range extra {
		k = strings.ToLower(strings.TrimSpace(k))
		if prefix, ok := strings.CutSuffix(k, "*"); ok && prefix != "" {
			p.prefixes = append(p.prefixes, prefix)
		} else if k != "" {
			p.exact[k] = true
		}
	}
	return p
}

func (p secretParams) match(key string) bool {
	if k, err := url.QueryUnescape(key); err == nil {
		key = k
	}
	key = strings.ToLower(key)
	if p.exact[key] {
		return true
	}
	for _, prefix := range p.prefixes {
		if strings.HasPrefix(key, prefix) {
			return true
		}
	}
	return false
}

// redactURL is raw without what an operator's feed URL may hold in
// secret: the user:password@ part and every query (or query-like
// fragment) parameter secret matches. Everything else keeps its original
// spelling, and a URL with nothing to remove is returned as is. A URL
// that does not parse is dropped (""): what it hides cannot be told.
//
// Parameters are split on ";" as well as "&", because some servers read
// "a=1;key=x" as two parameters.
func redactURL(raw string, secret secretParams) string {
	if !strings.ContainsAny(raw, "@?#") {
		return raw
	}
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	changed := u.User != nil
	u.User = nil
	if q, ok := dropParams(u.RawQuery, secret); ok {
		u.RawQuery, changed = q, true
		u.ForceQuery = false
	}
	if strings.Contains(u.Fragment, "=") {
		if f, ok := dropParams(u.EscapedFragment(), secret); ok {
			u.RawFragment, changed = f, true
			u.Fragment, _ = url.PathUnescape(f)
		}
	}
	if !changed {
		return raw
	}
	return u.String()
}

// dropParams removes the secret parameters of a query string, keeping the
// others and their separators as written; ok is false when none matched.
func dropParams(q string, secret secretParams) (string, bool) {
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
		key, _, _ := strings.Cut(seg, "=")
		if secret.match(key) {
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

// sourceSecrets are the credentials of one source's feed URL, to find
// them where the source's own links carried them along: a relative link
// resolved against the feed URL keeps its user:password@, and a
// fragment-only one ("#top") keeps its query too.
type sourceSecrets struct {
	userinfo string   // "user:password@" as net/url writes it; empty if none
	values   []string // values of the secret parameters, as written
}

// minSecretValue is the shortest parameter value scrubbed from links and
// content: a shorter one would match too much that is not it.
const minSecretValue = 4

func secretsOf(feedURL string, secret secretParams) sourceSecrets {
	var ss sourceSecrets
	u, err := url.Parse(feedURL)
	if err != nil {
		return ss
	}
	if u.User != nil {
		ss.userinfo = u.User.String() + "@"
	}
	for _, seg := range strings.FieldsFunc(u.RawQuery, func(r rune) bool { return r == '&' || r == ';' }) {
		key, val, _ := strings.Cut(seg, "=")
		if secret.match(key) && len(val) >= minSecretValue {
			ss.values = append(ss.values, val)
		}
	}
	return ss
}

func (ss sourceSecrets) empty() bool { return ss.userinfo == "" && len(ss.values) == 0 }

// scrub removes the source's credentials from s: the userinfo where it
// follows "//" (a URL's authority), and each secret value where it is a
// parameter's whole value ("=value" followed by a separator, a quote or
// the end). Both anchors keep a short user name or value from matching
// ordinary text.
func (ss sourceSecrets) scrub(s string) string {
	if ss.userinfo != "" {
		s = strings.ReplaceAll(s, "//"+ss.userinfo, "//")
	}
	for _, v := range ss.values {
		s = replaceParamValue(s, v)
	}
	return s
}

func replaceParamValue(s, v string) string {
	needle := "=" + v
	var b strings.Builder
	for {
		i := strings.Index(s, needle)
		if i < 0 {
			break
		}
		end := i + len(needle)
		b.WriteString(s[:i+1])
		if end == len(s) || strings.ContainsRune("&;#\"' <>", rune(s[end])) {
			b.WriteString("redacted")
		} else {
			b.WriteString(v)
		}
		s = s[end:]
	}
	if b.Len() == 0 {
		return s
	}
	b.WriteString(s)
	return b.String()
}

// publicEntry is e as every public output shows it. The source's feed URL
// and site link lose their userinfo and secret parameters. The entry's
// own link and image are the source's content: a secret-looking parameter
// there may be a CDN's public signature, so they lose only their userinfo
// and the source's own credentials if they carried them along, as does
// the HTML content.
func publicEntry(e model.Entry, secret secretParams) model.Entry {
	ss := secretsOf(e.SourceURL, secret)
	e.SourceURL = redactURL(e.SourceURL, secret)
	e.SourceLink = redactURL(e.SourceLink, secret)
	link := redactUserinfo(ss.scrub(e.Link))
	if e.Title == e.Link {
		// An untitled item is named by its link.
		e.Title = link
	}
	e.Link = link
	e.Image = redactUserinfo(ss.scrub(e.Image))
	if !ss.empty() {
		e.Content = ss.scrub(e.Content)
		e.Summary = ss.scrub(e.Summary)
	}
	return e
}

// redactUserinfo drops the user:password@ of an absolute URL.
func redactUserinfo(raw string) string {
	if !strings.Contains(raw, "@") {
		return raw
	}
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	if u.User == nil {
		return raw
	}
	u.User = nil
	return u.String()
}

// publicReader is the EntryReader every render reads through: the
// entries it returns are publicEntry copies, so no format can show a
// stored credential, whatever fields it picks.
type publicReader struct {
	EntryReader
	secret secretParams
}

func (r publicReader) SectionPage(ctx context.Context, sectionID string, q model.PageQuery) (model.Page, error) {
	page, err := r.EntryReader.SectionPage(ctx, sectionID, q)
	if err != nil {
		return page, err
	}
	entries := make([]model.Entry, len(page.Entries))
	for i, e := range page.Entries {
		entries[i] = publicEntry(e, r.secret)
	}
	page.Entries = entries
	return page, nil
}
