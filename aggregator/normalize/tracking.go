package normalize

import (
	"net/url"
	"slices"
	"strings"
)

// defaultTrackingParams are the query keys removed from every link: they
// say who shared or clicked a link, not which document it names, so two
// links differing only in them are the same story. A key ending in "*" is a
// prefix. Keys compare case-insensitively. Options.TrackingParams adds to
// this list (config defaults.tracking_params).
//
// Deliberately absent: "ref", "source", "id", "page", "p", "s" and other
// short keys that some CMSs use to select the article itself.
var defaultTrackingParams = []string{
	// Campaign tagging: Google Analytics, Matomo/Piwik, HubSpot, Marketo.
	"utm_*", "mtm_*", "pk_*", "piwik_*", "hsa_*", "_hsenc", "_hsmi", "mkt_tok",
	"_ga", "_gl", "mc_cid", "mc_eid", "vero_id", "oly_anon_id", "oly_enc_id",
	// Click ids of ad and social networks.
	"fbclid", "gclid", "gclsrc", "dclid", "gbraid", "wbraid", "msclkid",
	"yclid", "twclid", "ttclid", "igshid", "li_fat_id", "ref_src", "ref_url",
	// Share buttons and apps, common on Chinese sites (Alibaba spm/scm,
	// WeChat, Weibo, Bilibili, Toutiao).
	"spm", "spm_id_from", "scm", "from", "share", "share_*", "shareid",
	"isappinstalled", "sharer_sharetime", "sharer_shareid", "clicktime",
	"enterid", "ascene", "scene", "srcid", "chksm", "vd_source", "wxfrom",
	"tt_from", "timestamp_share", "share_token",
}

// tracking decides which query keys are tracking parameters. Its zero
// value strips nothing; it is read-only after newTracking, so safe to share.
type tracking struct {
	exact    map[string]bool
	prefixes []string
}

// newTracking builds the matcher for defaultTrackingParams plus extra.
func newTracking(extra []string) *tracking {
	t := &tracking{exact: map[string]bool{}}
	for _, k := range slices.Concat(defaultTrackingParams, extra) {
		k = strings.ToLower(strings.TrimSpace(k))
		if p, ok := strings.CutSuffix(k, "*"); ok && p != "" {
			t.prefixes = append(t.prefixes, p)
		} else if k != "" {
			t.exact[k] = true
		}
	}
	return t
}

// isTracking reports whether the raw (still escaped) query part
// "key=value" has a tracking key.
func (t *tracking) isTracking(part string) bool {
	key, _, _ := strings.Cut(part, "=")
	if k, err := url.QueryUnescape(key); err == nil {
		key = k
	}
	key = strings.ToLower(key)
	if t.exact[key] {
		return true
	}
	for _, p := range t.prefixes {
		if strings.HasPrefix(key, p) {
			return true
		}
	}
	return false
}

// stripQuery removes tracking parts (and empty ones) from a raw query,
// keeping the others in order and spelled as given.
func (t *tracking) stripQuery(raw string) string {
	if raw == "" {
		return ""
	}
	parts := strings.Split(raw, "&")
	parts = slices.DeleteFunc(parts, func(p string) bool { return p == "" || t.isTracking(p) })
	return strings.Join(parts, "&")
}

// cleanLink is the published form of an absolute http(s) link: tracking
// parameters removed, everything else (path, meaningful query, fragment)
// as the source wrote it. Links that are not absolute web URLs and links
// without a query are returned unchanged.
func (t *tracking) cleanLink(link string) string {
	beforeFrag, frag, hasFrag := strings.Cut(link, "#")
	head, rawQuery, hasQuery := strings.Cut(beforeFrag, "?")
	if !hasQuery {
		return link
	}
	out := head
	if query := t.stripQuery(rawQuery); query != "" {
		out += "?" + query
	}
	if hasFrag {
		out += "#" + frag
	}
	return out
}

// canonical is the form of a link used to recognize the same document:
// scheme and host lower-cased, a default port, the fragment and tracking
// parameters dropped, the remaining query parts sorted (their order never
// selects a different page), an empty path written "/". It is "" for
// anything but an absolute http(s) URL.
func (t *tracking) canonical(link string) string {
	// Links come trimmed and escaped from resolveWeb; escaping here too
	// keeps the result its own canonical form for any input.
	u, err := url.Parse(escapeURL(link))
	if err != nil || !isWebURL(u) {
		return ""
	}
	u.Scheme = strings.ToLower(u.Scheme)
	u.Host = strings.ToLower(u.Host)
	if port := u.Port(); (port == "80" && u.Scheme == "http") || (port == "443" && u.Scheme == "https") || port == "" {
		u.Host = strings.TrimSuffix(u.Host, ":"+port)
	}
	if u.Hostname() == "" {
		return ""
	}
	u.Fragment, u.RawFragment = "", ""
	if u.Path == "" && u.RawPath == "" {
		u.Path = "/"
	}
	if u.RawQuery != "" {
		parts := strings.Split(t.stripQuery(u.RawQuery), "&")
		slices.Sort(parts)
		u.RawQuery = strings.Join(parts, "&")
	}
	u.ForceQuery = false
	u.User = nil
	return u.String()
}
